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

    @Test func datasetNeedsOneSourceAndAStore() throws {
        let both = try runVLPart(["pretrain", "--dataset", "synth", "--images", "/tmp", "--out", "/tmp/never.safetensors"])
        #expect(both.status == 64 && both.stderr.contains("give one of --images DIR, --dataset NAME or --objects"), "\(both.stderr)")
        let objectsAndImages = try runVLPart(["pretrain", "--objects", "--images", "/tmp", "--out", "/tmp/never.safetensors"])
        #expect(objectsAndImages.status == 64 && objectsAndImages.stderr.contains("drop --images"), "\(objectsAndImages.stderr)")
        let objective = try runVLPart(["pretrain", "--objective", "byol", "--images", "/tmp", "--out", "/tmp/never.safetensors"])
        #expect(objective.status == 64 && objective.stderr.contains("--objective must be dino or mae"), "\(objective.stderr)")
        let noStore = try runVLPart(["pretrain", "--dataset", "synth", "--out", "/tmp/never.safetensors",
                                     "--db", "/nonexistent/vlpart.sqlite"])
        #expect(noStore.status != 0 && noStore.stderr.contains("/nonexistent/vlpart.sqlite"), "\(noStore.stderr)")
    }

    /// `--epochs 0` writes the initialisation without images: a checkpoint `features` loads,
    /// the same for the same seed and different for another.
    @Test func zeroEpochsWritesTheRandomInitialisation() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = { (name: String) in dir.appendingPathComponent(name).path }
        for (name, seed) in [("a", "0"), ("b", "0"), ("c", "1")] {
            let r = try runVLPart(["pretrain", "--arch", "nano", "--epochs", "0", "--seed", seed, "--out", path("\(name).safetensors")])
            #expect(r.status == 0 && r.stdout.contains("random initialisation"), "\(r.stdout)\(r.stderr)")
        }
        // Loadable, and the same seed gives the same weights (compared through their features;
        // the files' metadata order may differ between processes).
        var image = Image(width: 32, height: 32, channels: 3, fill: 90)
        for j in 0..<image.pixels.count { image.pixels[j] = UInt8((j * 7) % 256) }
        try image.writePNG(path: path("x.png"))
        var outputs: [Data] = []
        for name in ["a", "b", "c"] {
            let f = try runVLPart(["features", "extract", "--model", path("\(name).safetensors"), "--image", path("x.png"),
                                   "--size", "32", "--output", path("\(name).npy")])
            #expect(f.status == 0, "\(f.stderr)")
            outputs.append((try? Data(contentsOf: URL(fileURLWithPath: path("\(name).npy")))) ?? Data())
        }
        #expect(!outputs[0].isEmpty && outputs[0] == outputs[1] && outputs[0] != outputs[2])
    }

    /// `--dataset` trains on a store dataset's images, found through the root recorded at import.
    @Test func trainsOnAStoreDataset() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("s.sqlite").path
        let imported = try importPACO(db, dataset: "base")
        #expect(imported.status == 0, "\(imported.stderr)")
        let out = dir.appendingPathComponent("d.safetensors").path
        let r = try runVLPart(["pretrain", "--dataset", "base", "--db", db, "--arch", "nano", "--dim", "16", "--depth", "1",
                               "--heads", "2", "--global-size", "32", "--local-size", "16", "--local-crops", "1",
                               "--out-dim", "32", "--batch", "2", "--epochs", "1", "--out", out])
        #expect(r.status == 0 && r.stdout.contains("step 1/1"), "\(r.stdout)\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: out))
        let missing = try runVLPart(["pretrain", "--dataset", "nope", "--db", db, "--arch", "nano", "--out", out])
        #expect(missing.status != 0 && missing.stderr.contains("nope"), "\(missing.stderr)")
    }

    /// `--objective mae --objects`: a masked autoencoder on the store's object crops, killed after
    /// one step and resumed to the end; the encoder loads in `features`; resuming from a DINO
    /// checkpoint fails with the file's name and changes nothing.
    @Test func trainsMAEOnObjectCropsAndResumes() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("s.sqlite").path
        let imported = try importPACO(db, dataset: "base")
        #expect(imported.status == 0, "\(imported.stderr)")
        let out = dir.appendingPathComponent("mae.safetensors").path
        let args = ["pretrain", "--objective", "mae", "--objects", "--db", db, "--arch", "nano", "--dim", "16", "--depth", "1",
                    "--heads", "2", "--global-size", "32", "--decoder-dim", "16", "--decoder-depth", "1",
                    "--batch", "2", "--epochs", "2", "--out", out]
        let first = try runVLPart(args + ["--max-steps", "1"])
        #expect(first.status == 0 && first.stdout.contains("1 steps this run"), "\(first.stdout)\(first.stderr)")
        let second = try runVLPart(args + ["--resume"])
        #expect(second.status == 0 && second.stderr.contains("resuming"), "\(second.stderr)")
        #expect(second.stdout.contains(" steps this run") && !second.stdout.contains(", 0 steps"), "\(second.stdout)")
        var image = Image(width: 32, height: 32, channels: 3, fill: 90)
        for j in 0..<image.pixels.count { image.pixels[j] = UInt8((j * 5) % 256) }
        let png = dir.appendingPathComponent("x.png").path
        try image.writePNG(path: png)
        let f = try runVLPart(["features", "extract", "--model", out, "--image", png, "--size", "32",
                               "--output", dir.appendingPathComponent("x.npy").path])
        #expect(f.status == 0, "\(f.stderr)")

        let dino = dir.appendingPathComponent("dino.safetensors").path
        let dinoArgs = ["pretrain", "--objects", "--db", db, "--arch", "nano", "--dim", "16", "--depth", "1", "--heads", "2",
                        "--global-size", "32", "--local-size", "16", "--local-crops", "1", "--out-dim", "32",
                        "--batch", "2", "--epochs", "1", "--out", dino]
        #expect(try runVLPart(dinoArgs + ["--max-steps", "1"]).status == 0)
        let ckpt = dir.appendingPathComponent("dino.ckpt.safetensors").path
        let before = try Data(contentsOf: URL(fileURLWithPath: ckpt))
        let wrong = try runVLPart(args + ["--resume", "--checkpoint", ckpt])
        #expect(wrong.status != 0 && wrong.stderr.contains("\(ckpt): not a vlpart pretraining checkpoint"), "\(wrong.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: ckpt)) == before)
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
