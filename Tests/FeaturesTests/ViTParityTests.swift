import Foundation
import Testing
import TestSupport
import Imaging
import Tensor
@testable import Features

/// One reference case of `Tests/Fixtures/features/manifest.json`.
struct ViTCase: Sendable, CustomStringConvertible {
    let name: String, model: String, input: String, layer: Int, stride: Int
    let grid: [Int], saliencyHeads: [Int], outputs: [String]
    var description: String { name }

    static let all: [ViTCase] = {
        guard let data = FileManager.default.contents(atPath: fixtureURL("features", "manifest.json").path),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let cases = json["cases"] as? [[String: Any]] else { return [] }
        return cases.compactMap { c in
            guard let name = c["name"] as? String, let model = c["model"] as? String, let input = c["input"] as? String,
                  let layer = c["layer"] as? Int, let stride = c["stride"] as? Int, let grid = c["grid"] as? [Int],
                  let heads = c["saliency_heads"] as? [Int], let outputs = c["outputs"] as? [String] else { return nil }
            return ViTCase(name: name, model: model, input: input, layer: layer, stride: stride, grid: grid,
                           saliencyHeads: heads, outputs: outputs)
        }
    }()
}

func features(_ name: String) -> String { fixtureURL("features", name).path }

/// Tolerance stated by the issue: max |Δ| ≤ 1e-4 · max |ref|, elementwise.
func expectParity(_ got: Tensor?, _ fixture: String, label: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let ref = try Npy.read(path: features(fixture))
    guard let got else { Issue.record("\(label): missing output", sourceLocation: sourceLocation); return }
    #expect(got.count == ref.count, "\(label): \(got.shape) vs reference \(ref.shape)", sourceLocation: sourceLocation)
    expectClose(got.data, ref.data, atol: 1e-4 * ref.maxAbs, rtol: 0, label: label, sourceLocation: sourceLocation)
}

/// The three files of the tiny DINO model must load to the same network.
let dinoFiles: [(String, Int?)] = [("dino_tiny.safetensors", 2), ("dino_tiny_hf", nil), ("dino_tiny.pth", 2)]

@Test func manifestIsCurrent() throws {
    let data = try #require(FileManager.default.contents(atPath: features("manifest.json")))
    let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(json["version"] as? Int == 1, "stale fixtures: rerun tools/make_vit_fixtures.py")
    #expect(ViTCase.all.count == 6)
}

@Test(arguments: ViTCase.all)
func vitMatchesPyTorchReference(c: ViTCase) throws {
    let files: [(String, Int?)] = c.model == "dino_tiny" ? dinoFiles : [("dinov2_reg_tiny.pth", 2)]
    let pixels = try Npy.read(path: features(c.input))
    for (file, heads) in files {
        let extractor = try FeatureExtractor(checkpoint: features(file), heads: heads)
        for facet in Facet.allCases {
            let request = FeatureRequest(layer: c.layer, facet: facet, stride: c.stride, cls: true,
                                         finalCLS: c.outputs.contains("final_cls"), saliencyHeads: c.saliencyHeads)
            let f = try extractor.extract(pixels: pixels, request: request)
            #expect([f.gridHeight, f.gridWidth] == c.grid)
            try expectParity(f.facet, "\(c.name)_\(facet.rawValue).npy", label: "\(file) \(c.name) \(facet)")
            if facet == .token {
                try expectParity(f.cls, "\(c.name)_cls.npy", label: "\(file) \(c.name) cls")
                try expectParity(f.saliency, "\(c.name)_saliency.npy", label: "\(file) \(c.name) saliency")
                if request.finalCLS { try expectParity(f.finalCLS, "\(c.name)_final_cls.npy", label: "\(file) \(c.name) final cls") }
            }
        }
    }
}

@Test func finalCLSIsAvailableWhileReadingAnEarlierLayer() throws {
    let extractor = try FeatureExtractor(checkpoint: features("dino_tiny.safetensors"), heads: 2)
    let pixels = try Npy.read(path: features("input_40x56.npy"))
    let f = try extractor.extract(pixels: pixels, request: FeatureRequest(layer: 0, facet: .key, stride: 4, finalCLS: true))
    try expectParity(f.facet, "dino_40x56_L0_s4_key.npy", label: "layer-0 key with final CLS")
    try expectParity(f.finalCLS, "dino_40x56_L1_s8_final_cls.npy".replacingOccurrences(of: "s8", with: "s4"), label: "final CLS at stride 4")
}

@Test func configIsInferredFromShapesAndConfigJSON() throws {
    let m = try ViTCheckpoint.load(path: features("dino_tiny_hf"))
    #expect(m.config == ViTConfig(patchSize: 8, dim: 32, depth: 2, heads: 2, mlpDim: 128, eps: 1e-6, positionGrid: 4))
    let v2 = try ViTCheckpoint.load(path: features("dinov2_reg_tiny.pth"), heads: 2)
    #expect(v2.config.registers == 4 && v2.config.layerScale && v2.config.patchSize == 14)
    #expect(v2.config.interpolation == .antialiasedSize)
}

/// PIL's bicubic short-side resize + ImageNet normalisation; Imaging rounds to bytes like PIL, and
/// its antialiased bicubic may differ from PIL's by one level: tolerance 1.5/255/0.224.
@Test func preprocessingMatchesPIL() throws {
    let image = try Image.read(path: features("photo_53x37.png"))
    let got = FeatureExtractor.preprocess(image, size: 24)
    let ref = try Npy.read(path: features("photo_53x37_size24.npy"))
    #expect(got.shape == ref.shape)
    expectClose(got.data, ref.data, atol: 1.5 / 255 / 0.224, rtol: 0, label: "preprocess")
    #expect(FeatureExtractor.preprocessedSize(width: 640, height: 480, size: 224) == (298, 224))
    #expect(FeatureExtractor.preprocessedSize(width: 480, height: 2000, size: 224, maxLongSide: 448) == (107, 448))
}

/// bf16 facets against PyTorch's fp32 references: rounding the matrix products' operands to
/// bf16 (8-bit significands) costs at most 1e-2 normwise relative error per facet on these
/// tiny models (measured ≤ 2.7e-3), and the bf16 path must really run (results differ from fp32).
/// On a CPU without AVX512-BF16 the portable kernel computes the same sums.
@Test(arguments: ViTCase.all)
func bf16FacetsStayCloseToPyTorchFP32(c: ViTCase) throws {
    let file: (String, Int?) = c.model == "dino_tiny" ? ("dino_tiny.safetensors", 2) : ("dinov2_reg_tiny.pth", 2)
    let pixels = try Npy.read(path: features(c.input))
    let fp32 = try FeatureExtractor(checkpoint: features(file.0), heads: file.1)
    let bf16 = fp32.with(precision: .bf16)
    #expect(bf16.model.precision == .bf16)
    for facet in Facet.allCases where facet != .attn {
        let request = FeatureRequest(layer: c.layer, facet: facet, stride: c.stride)
        let got = try #require(try bf16.extract(pixels: pixels, request: request).facet)
        let exact = try #require(try fp32.extract(pixels: pixels, request: request).facet)
        let ref = try Npy.read(path: features("\(c.name)_\(facet.rawValue).npy"))
        var num = 0.0, den = 0.0
        for i in 0..<ref.count {
            num += Double(got.data[i] - ref.data[i]) * Double(got.data[i] - ref.data[i])
            den += Double(ref.data[i]) * Double(ref.data[i])
        }
        let err = (num / den).squareRoot()
        #expect(err <= 1e-2, "\(c.name) \(facet): bf16 relative error \(err)")
        #expect(got.data != exact.data, "\(c.name) \(facet): bf16 gave fp32's bits")
    }
}
