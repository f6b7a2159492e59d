import Foundation
import Testing
import TestSupport
@testable import Tensor

private func fixture(_ name: String) -> String { fixtureURL("tensor", name).path }

@Test func npyReadsEveryVersionAndDtype() throws {
    let a = try Npy.read(path: fixture("a_f4.npy"))
    #expect(a.shape == [3, 5])
    #expect(try Npy.read(path: fixture("a_f4_v2.npy")) == a)
    #expect(try Npy.read(path: fixture("a_f4_v3.npy")) == a)
    let half = try Npy.read(path: fixture("a_f2.npy"))
    expectClose(half.data, a.data, atol: 2e-3, rtol: 1e-3, label: "f2")
    let ints = try Npy.read(path: fixture("ints_i8.npy"))
    #expect(ints.shape == [4, 3] && ints.data == (-3..<9).map(Float.init))
    let scalar = try Npy.read(path: fixture("scalar_f4.npy"))
    #expect(scalar.shape == [] && scalar.data == [2.5])
}

@Test(arguments: ["fortran_f4.npy", "bigendian_f4.npy", "a_u1.npy", "a_f4.pth-missing"])
func npyRejectsWhatItCannotRead(name: String) {
    #expect(throws: TensorIOError.self) { try Npy.read(path: fixture(name)) }
    do { _ = try Npy.read(path: fixture(name)) } catch {
        let text = "\(error)"
        #expect(text.contains(name) && !text.contains("\n"), "\(text)")
    }
}

@Test func npyAndSafeTensorsRoundTrip() throws {
    let dir = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let t = Tensor(shape: [2, 3, 1], data: [1, -2, 3.5, 0, 1e-8, -7])
    let npy = dir.appendingPathComponent("t.npy").path
    try Npy.write(t, path: npy)
    #expect(try Npy.read(path: npy) == t)
    let st = dir.appendingPathComponent("t.safetensors").path
    try SafeTensors.write(["b": t, "a": Tensor(shape: [], data: [4])], path: st, metadata: ["format": "pt"])
    let (back, meta) = try SafeTensors.readWithMetadata(path: st)
    #expect(back["b"] == t && back["a"]?.data == [4] && meta["format"] == "pt")
}

@Test func safeTensorsConvertsF16AndBF16() throws {
    let (t, meta) = try SafeTensors.readWithMetadata(path: fixture("mixed.safetensors"))
    let ref = try Npy.read(path: fixture("a_f4.npy"))
    #expect(t["a32"] == ref)
    expectClose(t["a16"]!.data, ref.data, atol: 2e-3, rtol: 1e-3, label: "F16")
    expectClose(t["abf"]!.data, ref.data, atol: 1e-2, rtol: 1e-2, label: "BF16")
    #expect(t["scalar"]?.shape == [] && t["scalar"]?.data == [1.5])
    #expect(meta["format"] == "pt")
}

@Test(arguments: ["truncated.safetensors", "short.safetensors", "hugeheader.safetensors", "overlap.safetensors"])
func safeTensorsRejectsMalformedFiles(name: String) {
    do {
        _ = try SafeTensors.read(path: fixture(name))
        Issue.record("\(name) was accepted")
    } catch {
        let text = "\(error)"
        #expect(text.contains(name) && !text.contains("\n"), "\(text)")
    }
}

@Test func torchCheckpointHonoursOffsetsStridesAndDtypes() throws {
    let t = try TorchCheckpoint.read(path: fixture("state.pth"))
    let base = try Npy.read(path: fixture("state_base.npy"))   // [6, 4]
    #expect(t["qkv.query"] == base.rows(0..<2))
    #expect(t["qkv.key"] == base.rows(2..<4))
    #expect(t["qkv.value"] == base.rows(4..<6))
    #expect(t["t"] == base.rows(0..<2).transposed())
    expectClose(t["half"]!.data, base.rows(1..<2).data, atol: 2e-3, rtol: 1e-3, label: "half")
    #expect(t["idx"]?.data == [0, 1, 2, 3, 4])
    let nested = try TorchCheckpoint.read(path: fixture("nested.pth"))
    #expect(nested["teacher.backbone.w"] == base.rows(0..<1).reshaped([4]))
    #expect(nested.count == 1)
}

@Test func torchCheckpointRefusesForeignGlobalsAndObjects() {
    for name in ["evil.pth", "namespace.pth"] {
        do {
            _ = try TorchCheckpoint.read(path: fixture(name))
            Issue.record("\(name) was accepted")
        } catch let error as TensorIOError {
            guard case .forbiddenPickle = error else { Issue.record("\(name): wrong error \(error)"); continue }
            #expect("\(error)".contains(name))
        } catch { Issue.record("\(name): unexpected \(error)") }
    }
    #expect(!FileManager.default.fileExists(atPath: "/tmp/vlpart_pwned"))
    #expect(throws: TensorIOError.self) { try TorchCheckpoint.read(path: fixture("truncated.pth")) }
    #expect(throws: TensorIOError.self) { try TorchCheckpoint.read(path: fixture("a_f4.npy")) }
}
