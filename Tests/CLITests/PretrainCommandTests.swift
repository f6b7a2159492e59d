import Foundation
import Imaging
import Testing
import TestSupport

struct PretrainCommandTests {
    @Test func missingImageDirectoryFailsWithItsName() throws {
        let r = try runVLPart(["pretrain", "--images", "/nonexistent/vlpart-images", "--out", "/tmp/never.safetensors"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("/nonexistent/vlpart-images: no .png or .jpg images found"), "\(r.stderr)")
    }

    @Test func datasetWithoutStoreIsAUsageError() throws {
        let r = try runVLPart(["pretrain", "--dataset", "synth", "--out", "/tmp/never.safetensors"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--images"))
    }

    /// A one-step run of a very small model, then `--resume` finishing the schedule: the
    /// checkpoint and the backbone exist and the second run reports the final step.
    @Test func trainsAndResumes() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let images = dir.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        for i in 0..<4 {
            var img = Image(width: 40, height: 40, channels: 3, fill: UInt8(40 * i))
            for j in 0..<(40 * 20 * 3) { img.pixels[j] = UInt8((j * (i + 3)) % 256) }
            try img.writePNG(path: images.appendingPathComponent("\(i).png").path)
        }
        let out = dir.appendingPathComponent("models/tiny.safetensors").path
        let args = ["pretrain", "--images", images.path, "--arch", "nano", "--dim", "16", "--depth", "1", "--heads", "2",
                    "--global-size", "32", "--local-size", "16", "--local-crops", "1", "--out-dim", "32",
                    "--batch", "2", "--epochs", "1", "--out", out]
        let first = try runVLPart(args + ["--max-steps", "1"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("step 1/2"), "\(first.stdout)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("models/tiny.ckpt.safetensors").path))
        let second = try runVLPart(args + ["--resume"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("resuming"), "\(second.stderr)")
        #expect(second.stdout.contains("step 2/2"), "\(second.stdout)")
        #expect(FileManager.default.fileExists(atPath: out))
    }
}
