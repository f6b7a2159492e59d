import Foundation
import Testing
@testable import Synth

@Test func axisAlignedRectangleCoverageIsExact() throws {
    // 5.5 px wide, 3 px tall, starting mid-pixel: horizontal coverage is exact, rows are whole.
    let shape = Shape(Contour.rect(2.25, 1, 5.5, 3))
    let cov = try #require(rasterize(shape, width: 16, height: 8))
    let total = cov.values.reduce(0, +)
    #expect(abs(total - 16.5) < 1e-4)
    #expect(cov.x0 == 2 && cov.width == 6 && cov.y0 == 1 && cov.height == 3)
    #expect(abs(cov.values[0] - 0.75) < 1e-6)         // left edge pixel x = 2
    #expect(abs(cov.values[5] - 0.75) < 1e-6)         // right edge pixel x = 7
    #expect(abs(cov.values[2] - 1) < 1e-6)
}

@Test func ellipseCoverageMatchesItsArea() throws {
    let shape = Shape(Contour.ellipse(Vec2(20.3, 18.7), 12, 7, angle: 0.4, segments: 256))
    let cov = try #require(rasterize(shape, width: 48, height: 40))
    let total = Double(cov.values.reduce(0, +))
    let polygonArea = abs(signedArea(shape.contours[0]))
    // Coverage integrates the polygon exactly along x and on 4 sub-rows along y: within 0.5 %.
    #expect(abs(total - polygonArea) / polygonArea < 0.005)
    #expect(abs(polygonArea - Double.pi * 12 * 7) / (Double.pi * 84) < 0.001)
}

@Test func holesAreCutWhateverTheirWinding() throws {
    let outer = Contour.rect(0, 0, 10, 10)
    for hole in [Contour.rect(3, 3, 4, 4), Array(Contour.rect(3, 3, 4, 4).reversed())] {
        let cov = try #require(rasterize(Shape(outer).cutting(hole), width: 12, height: 12))
        #expect(abs(cov.values.reduce(0, +) - 84) < 1e-3)
    }
}

@Test func shapesOffCanvasAreSkippedAndClipped() throws {
    #expect(rasterize(Shape(Contour.rect(-20, -20, 5, 5)), width: 8, height: 8) == nil)
    let cov = try #require(rasterize(Shape(Contour.rect(-4, -4, 8, 8)), width: 8, height: 8))
    #expect(cov.x0 == 0 && cov.y0 == 0 && cov.width == 4 && cov.height == 4)
    #expect(abs(cov.values.reduce(0, +) - 16) < 1e-4)
}

@Test func affineInverseRoundTrips() {
    let t = Affine2.translation(Vec2(3, -2)).concatenating(.rotation(0.7)).concatenating(.scale(-2, 1.5))
    let p = Vec2(1.25, -4.5)
    let q = t.inverted.apply(t.apply(p))
    #expect(abs(q.x - p.x) < 1e-12 && abs(q.y - p.y) < 1e-12)
}

@Test func canvasLabelsPixelsCoveredAtLeastHalf() {
    var canvas = Canvas(width: 8, height: 4)
    // Covers x in [1.4, 5.6): pixel 1 is 60 % covered (labelled), pixel 5 is 60 % (labelled),
    // and a second shape over [4.7, 8) takes pixel 5 (30 % → not) but owns 6 and 7.
    canvas.fill(Shape(Contour.rect(1.4, 0, 4.2, 4)), transform: .identity, texture: .plain(RGB(1, 0, 0)), instance: 1, part: 2)
    canvas.fill(Shape(Contour.rect(5.7, 0, 2.3, 4)), transform: .identity, texture: .plain(RGB(0, 0, 1)), instance: 2, part: 1)
    #expect(Array(canvas.instance[0..<8]) == [0, 1, 1, 1, 1, 1, 2, 2])
    #expect(Array(canvas.part[0..<8]) == [0, 2, 2, 2, 2, 2, 1, 1])
    // Pixel 5 keeps some blue from the 30 % cover: colour is anti-aliased, labels are not.
    #expect(canvas.rgb[3 * 5 + 2] > 0.2 && canvas.rgb[3 * 5 + 2] < 0.4)
}
