import Foundation
import Testing
import TestSupport
@testable import Imaging

private func randomImage(width: Int, height: Int, channels: Int, seed: UInt64) -> Image {
    var rng = SplitMix64(seed: seed)
    return Image(width: width, height: height, channels: channels,
                 pixels: (0..<width * height * channels).map { _ in UInt8.random(in: 0...255, using: &rng) })
}

@Test(arguments: [1, 3, 4]) func pngRoundTripIsLossless(channels: Int) throws {
    let image = randomImage(width: 37, height: 23, channels: channels, seed: UInt64(channels))
    let bytes = try image.encodePNG()
    #expect(ImageFormat.detect(bytes) == .png)
    #expect(try Image.decode(bytes) == image)
}

@Test func jpegRoundTripIsCloseAndQualityMatters() throws {
    let photo = try Image.read(path: fixtureURL("imaging", "baseline.jpg").path)
    func meanError(_ quality: Int) throws -> Double {
        let back = try Image.decode(try photo.encodeJPEG(quality: quality))
        #expect(back.width == photo.width && back.height == photo.height && back.channels == 3)
        return zip(back.pixels, photo.pixels).reduce(0.0) { $0 + Double(abs(Int($1.0) - Int($1.1))) } / Double(photo.pixels.count)
    }
    let high = try meanError(95), low = try meanError(20)
    #expect(high < 2.5, "quality 95 mean error \(high)")
    #expect(low > high, "quality 20 (\(low)) should lose more than 95 (\(high))")
    #expect(try photo.encodeJPEG(quality: 20).count < photo.encodeJPEG(quality: 95).count)
    let progressive = try Image.decode(try photo.encodeJPEG(quality: 95, progressive: true))
    #expect(progressive.width == photo.width)
    let gray = photo.converted(toChannels: 1)
    #expect(try Image.decode(try gray.encodeJPEG()).channels == 1)
}

@Test func writePNGReplacesTheFileAtomically() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("out.png").path
    let image = randomImage(width: 5, height: 4, channels: 3, seed: 9)
    try image.writePNG(path: path)
    try image.flippedVertically().writePNG(path: path)
    #expect(try Image.read(path: path) == image.flippedVertically())
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.png"])
    #expect(throws: ImageError.self) { try image.writePNG(path: directory.appendingPathComponent("missing/dir.png").path) }
}

@Test func channelConversionFollowsPillow() {
    let rgb = Image(width: 2, height: 1, channels: 3, pixels: [255, 0, 0, 10, 200, 30])
    // Pillow: Image.new("RGB", …).convert("L") gives 76 for pure red and 124 for (10, 200, 30).
    #expect(rgb.converted(toChannels: 1).pixels == [76, 124])
    #expect(rgb.converted(toChannels: 4).pixels == [255, 0, 0, 255, 10, 200, 30, 255])
    #expect(Image(width: 1, height: 1, channels: 1, pixels: [7]).converted(toChannels: 3).pixels == [7, 7, 7])
}
