import Foundation
import Testing
import TestSupport
@testable import Imaging

/// Every fixture decodes to Pillow's pixels. Observed: all JPEG fixtures match Pillow 13
/// (bundled libjpeg-turbo 3.x) exactly with the system libjpeg-turbo 2.1.5 (ISLOW IDCT, fancy
/// upsampling in both); the manifest's per-file tolerance (0 today) allows ±1–2 levels should
/// a libjpeg build with a different IDCT be linked.
@Test func fixturesDecodeToPillowPixels() throws {
    let manifest = try ImagingManifest.load()
    #expect(manifest.decode.count >= 10)
    for entry in manifest.decode {
        let image = try Image.read(path: fixtureURL("imaging", entry.file).path)
        let expected = try fixtureBytes(entry.expected)
        #expect(image.width == entry.width && image.height == entry.height && image.channels == entry.channels,
                "\(entry.file): got \(image.width)x\(image.height)x\(image.channels), want \(entry.width)x\(entry.height)x\(entry.channels)")
        guard image.pixels.count == expected.count else { continue }
        var worst = 0, worstIndex = 0
        for i in 0..<expected.count {
            let d = abs(Int(image.pixels[i]) - Int(expected[i]))
            if d > worst { worst = d; worstIndex = i }
        }
        #expect(worst <= entry.tolerance,
                "\(entry.file) (\(entry.note)): worst at [\(worstIndex)] got \(image.pixels[worstIndex]) want \(expected[worstIndex])")
    }
}

@Test func formatIsDetectedByContentNotName() throws {
    let jpeg = try fixtureBytes("baseline.jpg")
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let misnamed = directory.appendingPathComponent("photo.png")
    try Data(jpeg).write(to: misnamed)
    let image = try Image.read(path: misnamed.path)
    #expect(image == (try Image.decode(jpeg)))
    #expect(ImageFormat.detect(jpeg) == .jpeg)
    #expect(ImageFormat.detect(try fixtureBytes("palette.png")) == .png)
    #expect(ImageFormat.detect(Array("GIF89a".utf8)) == nil)
}

@Test func exifOrientationIsReadFromApp1() throws {
    #expect(Image.exifOrientation(jpeg: try fixtureBytes("exif6.jpg")) == 6)
    #expect(Image.exifOrientation(jpeg: try fixtureBytes("baseline.jpg")) == 1)
    // Damaged APP1: a length running past the end must be ignored, not trusted.
    var broken = try fixtureBytes("exif6.jpg")
    if let app1 = (2..<broken.count - 1).first(where: { broken[$0] == 0xFF && broken[$0 + 1] == 0xE1 }) {
        broken[app1 + 2] = 0xFF; broken[app1 + 3] = 0xFF
    }
    #expect(Image.exifOrientation(jpeg: broken) == 1)
}

@Test(arguments: 1...8) func orientationsMatchTheirDefinition(tag: Int) {
    // A 3×2 image whose pixel values are their indices, so every move is visible.
    let source = Image(width: 3, height: 2, channels: 1, pixels: [0, 1, 2, 3, 4, 5])
    let want: [Int: (Int, Int, [UInt8])] = [
        1: (3, 2, [0, 1, 2, 3, 4, 5]), 2: (3, 2, [2, 1, 0, 5, 4, 3]), 3: (3, 2, [5, 4, 3, 2, 1, 0]),
        4: (3, 2, [3, 4, 5, 0, 1, 2]), 5: (2, 3, [0, 3, 1, 4, 2, 5]), 6: (2, 3, [3, 0, 4, 1, 5, 2]),
        7: (2, 3, [5, 2, 4, 1, 3, 0]), 8: (2, 3, [2, 5, 1, 4, 0, 3]),
    ]
    let out = source.oriented(exif: tag)
    let (w, h, pixels) = want[tag]!
    #expect(out.width == w && out.height == h && out.pixels == pixels, "orientation \(tag): \(out.pixels)")
}
