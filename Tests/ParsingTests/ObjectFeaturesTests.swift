import Foundation
import Testing
import TestSupport
@testable import Parsing

@Test func sidecarRoundTripsWithinFloat16Precision() throws {
    var rng = SplitMix64(seed: 2)
    let f = ObjectFeatures(annotationID: -42 + 1 << 40, gridH: 3, gridW: 2,
                           descriptors: (0..<24).map { _ in Float.random(in: -1...1, using: &rng) },
                           saliency: (0..<6).map { _ in Float.random(in: 0...1, using: &rng) },
                           cls: [1.5, -2.25, 3.0e-5])
    let back = try #require(ObjectFeatures(encoded: f.encoded()))
    #expect(back.annotationID == f.annotationID && back.gridH == 3 && back.gridW == 2 && back.dim == 4)
    // Float16 keeps 11 significant bits: relative error ≤ 2^-11.
    expectClose(back.descriptors, f.descriptors, atol: 1e-4, rtol: 4.9e-4, label: "descriptors")
    expectClose(back.saliency, f.saliency, atol: 1e-4, rtol: 4.9e-4, label: "saliency")
    #expect(back.cls == f.cls)
    var truncated = f.encoded(); truncated.removeLast()
    #expect(ObjectFeatures(encoded: truncated) == nil)
    #expect(ObjectFeatures(encoded: Data("not a cache".utf8)) == nil)
}

@Test func settingsKeyNamesEveryKnob() {
    #expect(FeatureSettings().key == "s224-stp-llast-key-hall")
    #expect(FeatureSettings(size: 224, stride: 4, layer: 11, facet: .key, saliencyHeads: [0, 2, 4, 5]).key
            == "s224-st4-l11-key-h0.2.4.5")
}
