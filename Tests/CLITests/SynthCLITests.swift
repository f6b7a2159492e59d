import Foundation
import Testing
import TestSupport

@Test func synthWritesTheDatasetLayout() throws {
    let dir = try makeTemporaryDirectory("synth-cli")
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("set").path
    let result = try runVLPart(["synth", out, "--seed", "3", "--images", "8", "--size", "64", "--folder-images", "2"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("6 source, 2 target, 8 class-folder images"))
    let fm = FileManager.default
    for name in ["source.json", "target.json", "target_gt.json", "folder_gt.json", "split.json", "README.md"] {
        #expect(fm.fileExists(atPath: "\(out)/\(name)"), "missing \(name)")
    }
    let images = try fm.contentsOfDirectory(atPath: "\(out)/images").filter { $0.hasSuffix(".png") }
    #expect(images.count == 8)
    for c in ["dog", "bus", "sparrow", "jar"] {
        let files = try fm.contentsOfDirectory(atPath: "\(out)/folder/\(c)").filter { $0.hasSuffix(".png") }
        #expect(files.count == 2, "folder/\(c)")
    }
    // The split file names the novel categories and gives each image its split and scene.
    let split = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/split.json")))
    let dict = try #require(split as? [String: Any])
    #expect(Set(dict["novel"] as? [String] ?? []) == ["dog", "bus", "sparrow", "jar"])
    #expect((dict["images"] as? [[String: Any]])?.count == 8)

    // Same seed, same bytes.
    let again = dir.appendingPathComponent("again").path
    #expect(try runVLPart(["synth", again, "--seed", "3", "--images", "8", "--size", "64", "--folder-images", "2"]).status == 0)
    #expect(fm.contents(atPath: "\(out)/source.json") == fm.contents(atPath: "\(again)/source.json"))
}

@Test func synthRejectsBadOptions() throws {
    let dir = try makeTemporaryDirectory("synth-cli")
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try runVLPart(["synth", dir.path, "--size", "4"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("--size"))
    #expect(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1)
    let help = try runVLPart(["synth", "--help"])
    #expect(help.status == 0 && help.stdout.contains("novel"))
}
