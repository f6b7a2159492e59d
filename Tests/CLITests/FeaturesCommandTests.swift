import Foundation
import Testing
import TestSupport

/// Float32 payload of a little-endian `<f4` .npy written by vlpart or numpy (header skipped).
private func npyFloats(_ url: URL) throws -> [Float] {
    let bytes = [UInt8](try Data(contentsOf: url))
    let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
    let body = Array(bytes[(10 + headerLength)...])
    return stride(from: 0, to: body.count, by: 4).map { i in
        Float(bitPattern: UInt32(body[i]) | UInt32(body[i + 1]) << 8 | UInt32(body[i + 2]) << 16 | UInt32(body[i + 3]) << 24)
    }
}

@Test func featuresExtractWritesEveryOutputMatchingPyTorch() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let model = fixtureURL("features", "dino_tiny_hf").path, input = fixtureURL("features", "input_40x56.npy").path
    let out = { (name: String) in dir.appendingPathComponent(name) }
    let r = try runVLPart(["features", "extract", "--model", model, "--tensor", input, "--stride", "4", "--layer", "0",
                           "--facet", "value", "--output", out("v.npy").path, "--cls-output", out("c.npy").path,
                           "--final-cls-output", out("f.npy").path, "--saliency-output", out("s.npy").path,
                           "--saliency-heads", "1"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("grid 9x13"))
    for (file, fixture) in [("v.npy", "dino_40x56_L0_s4_value.npy"), ("c.npy", "dino_40x56_L0_s4_cls.npy"),
                            ("f.npy", "dino_40x56_L1_s4_final_cls.npy"), ("s.npy", "dino_40x56_L0_s4_saliency.npy")] {
        let ref = try npyFloats(fixtureURL("features", fixture))
        let scale = ref.map(abs).max() ?? 1
        expectClose(try npyFloats(out(file)), ref, atol: 1e-4 * scale, rtol: 0, label: file)
    }
}

@Test func featuresExtractFailsCleanlyOnBadInput() throws {
    let input = fixtureURL("features", "input_40x56.npy").path
    let evil = try runVLPart(["features", "extract", "--model", fixtureURL("features", "foreign_global.pth").path, "--tensor", input])
    #expect(evil.status != 0 && evil.stderr.contains("foreign_global.pth") && evil.stderr.contains("posix.system"))
    let stride = try runVLPart(["features", "extract", "--model", fixtureURL("features", "dino_tiny.pth").path, "--heads", "2",
                                "--tensor", input, "--stride", "3", "--output", "/dev/null"])
    #expect(stride.status != 0 && stride.stderr.contains("stride 3"))
    let noInput = try runVLPart(["features", "extract", "--model", "x.pth"])
    #expect(noInput.status != 0 && noInput.stderr.contains("--tensor"))
}

@Test func benchFeaturesReportsThroughput() throws {
    let r = try runVLPart(["bench", "features", "--model", fixtureURL("features", "dino_tiny_hf").path,
                           "--batch", "2", "--size", "48", "--seconds", "0", "--threads", "1"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("images/s:") && r.stdout.contains("GFLOP/s:"))
}

/// `--precision bf16` runs bf16 where the CPU has AVX512-BF16 (or on the portable kernel when
/// asked), and elsewhere fp32 with a one-line notice; a bad value is a usage error.
@Test func precisionFlagRunsBF16OrSaysWhyNot() throws {
    let args = ["bench", "features", "--model", fixtureURL("features", "dino_tiny_hf").path,
                "--batch", "1", "--size", "48", "--seconds", "0", "--threads", "1", "--precision", "bf16"]
    let native = try runVLPart(args, environment: ["VLPART_BF16_PORTABLE": ""])
    #expect(native.status == 0, "\(native.stderr)")
    let hasBF16 = try runVLPart(["doctor"]).stdout.contains("avx512_bf16")
    if hasBF16 {
        #expect(native.stdout.contains("precision: bf16"), "\(native.stdout)")
    } else {
        #expect(native.stdout.contains("precision: fp32"), "\(native.stdout)")
        let notices = native.stderr.split(separator: "\n").filter { $0.contains("no AVX512-BF16") }
        #expect(notices.count == 1, "\(native.stderr)")
    }
    let portable = try runVLPart(args, environment: ["VLPART_BF16_PORTABLE": "1"])
    #expect(portable.status == 0, "\(portable.stderr)")
    #expect(portable.stdout.contains("precision: bf16"), "\(portable.stdout)")
    let bad = try runVLPart(Array(args.dropLast()) + ["fp16"])
    #expect(bad.status != 0)
    #expect(bad.stderr.contains("fp16"), "\(bad.stderr)")
}
