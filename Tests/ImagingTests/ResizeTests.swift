import Testing
import TestSupport
@testable import Imaging

/// Float resizes match PyTorch 2.x `F.interpolate(align_corners=False)` within 1e-4 absolute
/// (+1e-4 relative): nearest, bilinear, bicubic (a = −0.75), area, antialiased bilinear and
/// bicubic, and explicit `scale_factor` with `recompute_scale_factor=False`.
@Test func floatResizeMatchesPyTorch() throws {
    let manifest = try ImagingManifest.load().resize
    let input = try fixtureFloats(manifest.input.file)
    #expect(manifest.cases.count >= 20)
    for entry in manifest.cases {
        guard let filter = ResizeFilter(rawValue: entry.mode) else { Issue.record("unknown mode \(entry.mode)"); continue }
        var scale: (height: Double, width: Double)? = nil
        if let factors = entry.scaleFactor {
            scale = (factors[0], factors[1])
            #expect(interpolatedSize(manifest.input.height, scaleFactor: factors[0]) == entry.height)
            #expect(interpolatedSize(manifest.input.width, scaleFactor: factors[1]) == entry.width)
        }
        let got = resizePlanes(input, channels: manifest.input.channels, height: manifest.input.height,
                               width: manifest.input.width, toHeight: entry.height, toWidth: entry.width,
                               filter: filter, antialias: entry.antialias, scaleFactor: scale)
        expectClose(got, try fixtureFloats(entry.file), atol: 1e-4, rtol: 1e-4, label: entry.file)
    }
}

/// 8-bit resizes equal PyTorch's float result rounded, within ±1 (rounding of values that
/// land within float error of .5); nearest is exact.
@Test func byteImageResizeMatchesPyTorchWithinOneLevel() throws {
    let manifest = try ImagingManifest.load().resize
    let spec = manifest.u8Input
    let image = Image(width: spec.width, height: spec.height, channels: spec.channels, pixels: try fixtureBytes(spec.file))
    for entry in manifest.u8Cases {
        guard let filter = ResizeFilter(rawValue: entry.mode) else { Issue.record("unknown mode \(entry.mode)"); continue }
        let got = image.resized(width: entry.width, height: entry.height, filter: filter, antialias: entry.antialias)
        let want = Image(planesCHW: try fixtureFloats(entry.file), channels: spec.channels,
                         height: entry.height, width: entry.width, scale: 1)
        let worst = zip(got.pixels, want.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 99
        #expect(worst <= (filter == .nearest ? 0 : 1), "\(entry.file): worst difference \(worst)")
    }
}

@Test func resizeIsIdentityAtSameSizeAndPreservesConstants() {
    var rng = SplitMix64(seed: 3)
    let image = Image(width: 9, height: 5, channels: 3, pixels: (0..<135).map { _ in UInt8.random(in: 0...255, using: &rng) })
    for filter in ResizeFilter.allCases {
        #expect(image.resized(width: 9, height: 5, filter: filter) == image, "\(filter)")
        let flat = Image(width: 7, height: 6, channels: 1, fill: 200)
        for (w, h) in [(3, 2), (20, 13), (1, 1)] {
            let out = flat.resized(width: w, height: h, filter: filter, antialias: true)
            #expect(out.pixels.allSatisfy { $0 == 200 }, "\(filter) \(w)x\(h)")
        }
    }
}

@Test func normalizedCHWUsesImageNetStatistics() {
    let image = Image(width: 2, height: 1, channels: 3, pixels: [0, 128, 255, 10, 20, 30])
    let planes = image.normalizedCHW()
    let want: [Float] = [(0 - 0.485) / 0.229, (10 / 255 - 0.485) / 0.229,
                         (128 / 255 - 0.456) / 0.224, (20 / 255 - 0.456) / 0.224,
                         (1 - 0.406) / 0.225, (30 / 255 - 0.406) / 0.225]
    expectClose(planes, want, label: "normalizedCHW")
    let gray = Image(width: 1, height: 1, channels: 1, pixels: [51]).normalizedCHW()
    expectClose(gray, [(0.2 - 0.485) / 0.229, (0.2 - 0.456) / 0.224, (0.2 - 0.406) / 0.225], label: "gray")
    #expect(Image(planesCHW: image.planesCHW(), channels: 3, height: 1, width: 2) == image)
}

@Test func cropAndPadPlacePixels() {
    let image = Image(width: 3, height: 2, channels: 1, pixels: [1, 2, 3, 4, 5, 6])
    #expect(image.cropped(x: 1, y: 0, width: 2, height: 2).pixels == [2, 3, 5, 6])
    #expect(image.cropped(x: -1, y: 1, width: 3, height: 2).pixels == [0, 4, 5, 0, 0, 0])
    #expect(image.cropped(x: 10, y: 10, width: 2, height: 1).pixels == [0, 0])
    let padded = image.padded(top: 1, left: 0, bottom: 0, right: 1, value: 9)
    #expect(padded.width == 4 && padded.height == 3)
    #expect(padded.pixels == [9, 9, 9, 9, 1, 2, 3, 9, 4, 5, 6, 9])
}
