import Foundation
import Testing
import TestSupport
@testable import Imaging

@Test func overlayBlendsInteriorAndPaintsOutline() {
    let base = Image(width: 5, height: 5, channels: 1, fill: 100)
    var mask = [UInt8](repeating: 0, count: 25)
    for y in 1...3 { for x in 1...3 { mask[y * 5 + x] = 1 } }
    let red = Color(200, 0, 0)
    let out = base.overlaying(masks: [mask], colors: [red], opacity: 0.5)
    #expect(out.channels == 3)
    // Centre (2, 2): (100·128 + colour·128 + 128) >> 8.
    #expect([out[2, 2, 0], out[2, 2, 1], out[2, 2, 2]] == [150, 50, 50])
    // Edge of the mask: solid colour. Outside: untouched gray.
    #expect([out[1, 1, 0], out[1, 1, 1]] == [200, 0])
    #expect([out[0, 0, 0], out[4, 2, 2]] == [100, 100])
    let noOutline = base.overlaying(masks: [mask], colors: [red], opacity: 1, outline: false)
    #expect(noOutline[1, 1, 0] == 200 && noOutline[2, 2, 1] == 0)
    #expect(base.overlaying(masks: []) == base.converted(toChannels: 3))
}

@Test func laterMasksDrawOverEarlierOnesWithPaletteColours() {
    let base = Image(width: 4, height: 1, channels: 3, fill: 0)
    let first: [UInt8] = [1, 1, 1, 0], second: [UInt8] = [0, 1, 1, 1]
    let out = base.overlaying(masks: [first, second], opacity: 1, outline: false)
    let c0 = Palette.color(0), c1 = Palette.color(1)
    #expect(Array(out.pixels[0..<3]) == [c0.r, c0.g, c0.b])
    #expect(Array(out.pixels[3..<6]) == [c1.r, c1.g, c1.b])
    #expect(Palette.color(20) == c0 && Palette.color(-1) == Palette.colors.last)
    #expect(Set(Palette.colors).count == Palette.colors.count)
}

@Test func fontCoversPrintableASCIIWithDistinctGlyphs() {
    var seen = Set<[UInt8]>()
    for code in 32...126 {
        let glyph = Array(BitmapFont.glyph(Character(UnicodeScalar(UInt8(code)))))
        #expect(glyph.count == 7 && glyph.allSatisfy { $0 < 32 }, "glyph \(code)")
        #expect((code == 32) == glyph.allSatisfy { $0 == 0 }, "glyph \(code) blank?")
        seen.insert(glyph)
    }
    #expect(seen.count == 95)
    #expect(BitmapFont.glyph("é") == BitmapFont.glyph("?"))
    #expect(BitmapFont.size(of: "ab", scale: 2) == (width: 22, height: 14))
}

@Test func drawTextRendersGlyphBitsAtScale() {
    var image = Image(width: 12, height: 16, channels: 3, fill: 0)
    image.drawText("T", x: 1, y: 1, color: .white, scale: 2)
    // 'T' = top row full, then a centre stem: at scale 2, (1…10, 1…2) lit, (5…6, 3…14) lit.
    #expect(image[1, 1, 0] == 255 && image[10, 2, 1] == 255)
    #expect(image[5, 14, 2] == 255 && image[6, 8, 0] == 255)
    #expect(image[3, 8, 0] == 0 && image[11, 1, 0] == 0 && image[0, 0, 0] == 0)
    var lit = 0
    for i in stride(from: 0, to: image.pixels.count, by: 3) where image.pixels[i] == 255 { lit += 1 }
    #expect(lit == (5 + 6) * 4)   // 5 top pixels + 6 stem pixels, each 2×2
    image.drawText("clipped off the edge", x: 8, y: 12, color: .white)   // must not trap
}

@Test func labelledOverlayWithLegendWritesAReadablePNG() throws {
    let photo = try Image.read(path: fixtureURL("imaging", "baseline.jpg").path)
    var head = [UInt8](repeating: 0, count: photo.width * photo.height)
    for y in 10..<40 { for x in 20..<60 { head[y * photo.width + x] = 1 } }
    let picture = photo.overlaying(masks: [head], labels: ["cat:head"])
        .withLegend([("cat:head", Palette.color(0)), ("cat:body", Palette.color(1))])
    #expect(picture.height == photo.height && picture.width > photo.width + 40)
    // The label box sits at the mask corner in the mask's colour.
    #expect(picture[20, 10, 0] == Palette.color(0).r)
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("review.png").path
    try picture.writePNG(path: path)
    #expect(try Image.read(path: path) == picture)
}
