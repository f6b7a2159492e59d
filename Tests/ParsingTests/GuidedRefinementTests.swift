import Foundation
import Testing
@testable import Parsing

/// `[h, w, 3]` colours: red left of column `edge`, blue from it on.
private func twoColours(width: Int, height: Int, edge: Int) -> [Float] {
    (0..<(width * height)).flatMap { i -> [Float] in i % width < edge ? [0.9, 0.1, 0.1] : [0.1, 0.1, 0.9] }
}

/// Labels that place the part boundary two pixels off the colour edge end up on the edge.
@Test func refinementMovesABoundaryOntoTheColourEdge() {
    let w = 16, h = 8, edge = 8
    let rgb = twoColours(width: w, height: h, edge: edge)
    let labels = (0..<(w * h)).map { $0 % w < edge + 2 ? 1 : 2 }   // class 1 spills 2 px into blue
    let refined = GuidedRefinement.refine(labels: labels, rgb: rgb, width: w, height: h, classes: 3)
    let expected = (0..<(w * h)).map { $0 % w < edge ? 1 : 2 }
    #expect(refined == expected)
}

/// A uniform image changes nothing: with no edge to follow, a straight boundary stays put.
@Test func refinementKeepsAStraightBoundaryOnAUniformImage() {
    let w = 12, h = 6
    let rgb = [Float](repeating: 0.5, count: 3 * w * h)
    let labels = (0..<(w * h)).map { $0 % w < 6 ? 0 : 1 }
    #expect(GuidedRefinement.refine(labels: labels, rgb: rgb, width: w, height: h, classes: 2) == labels)
}

/// Off-object pixels are never labelled and never vote: a part whose colour continues off the
/// object cannot leak out, and the foreground keeps its exact extent.
@Test func refinementStaysOnTheObject() {
    let w = 10, h = 10
    let rgb = twoColours(width: w, height: h, edge: 5)
    var labels = (0..<(w * h)).map { $0 % w < 5 ? 1 : 2 }
    for i in 0..<(w * h) where i / w >= 7 { labels[i] = -1 }              // bottom rows off the object
    let refined = GuidedRefinement.refine(labels: labels, rgb: rgb, width: w, height: h, classes: 3)
    #expect(zip(refined, labels).allSatisfy { ($0 < 0) == ($1 < 0) })
    #expect(refined == labels)
}

/// Boxes larger than `maxSide` are refined at a reduced size and mapped back: the result keeps
/// the full size and foreground, and the boundary still lands on the edge (within a cell).
@Test func largeBoxesAreRefinedAtReducedResolution() {
    let w = 300, h = 40, edge = 150
    let rgb = twoColours(width: w, height: h, edge: edge)
    let labels = (0..<(w * h)).map { $0 % w < edge + 6 ? 1 : 2 }
    var settings = GuidedRefinement.Settings()
    settings.maxSide = 100
    let refined = GuidedRefinement.refine(labels: labels, rgb: rgb, width: w, height: h, classes: 3, settings: settings)
    #expect(refined.count == labels.count)
    let row = Array(refined[(h / 2 * w)..<(h / 2 * w + w)])
    let firstTwo = try? #require(row.firstIndex(of: 2))
    #expect(firstTwo.map { abs($0 - edge) <= 3 } == true, "boundary at \(String(describing: firstTwo))")
}

/// Parts go in and come out as parts: scores kept, a part the refinement erases is dropped.
@Test func refinedPartsKeepTheirScores() {
    let w = 16, h = 8, edge = 8
    let rgb = twoColours(width: w, height: h, edge: edge)
    let foreground = [UInt8](repeating: 1, count: w * h)
    let left = (0..<(w * h)).map { UInt8($0 % w < edge + 2 ? 1 : 0) }
    // A one-pixel speck of class 3 inside the blue half, against a uniform neighbourhood.
    let speck = (0..<(w * h)).map { UInt8($0 == 4 * w + 13 ? 1 : 0) }
    let right = zip(left, speck).map { UInt8($0 == 0 && $1 == 0 ? 1 : 0) }
    let parts = [ParsedPart(classIndex: 1, mask: left, score: 0.7, patches: 3),
                 ParsedPart(classIndex: 2, mask: right, score: 0.4, patches: 2),
                 ParsedPart(classIndex: 3, mask: speck, score: 0.9, patches: 1)]
    let refined = GuidedRefinement.refine(parts: parts, classes: 4, foreground: foreground, rgb: rgb, width: w,
                                          height: h, minPartFraction: 0)
    #expect(refined.map(\.classIndex) == [1, 2])
    #expect(refined.map(\.score) == [0.7, 0.4])
    #expect(refined[0].mask == (0..<(w * h)).map { UInt8($0 % w < edge ? 1 : 0) })
}

/// A base whose descriptors are the target's mirrored left-right is recognised as mirrored,
/// and an identical one as not; a base on another grid gets no answer.
@Test func facingByFeaturesFindsAMirroredBase() {
    let w = 6, h = 3, dim = 4
    // One descriptor per column: distinct unit vectors, so a column is recognisable anywhere.
    func column(_ c: Int) -> [Float] {
        let angle = Float(c) * 0.5
        return [cos(angle), sin(angle), 0, 0]
    }
    var straight: [Float] = [], flipped: [Float] = []
    for p in 0..<(w * h) {
        straight += column(p % w)
        flipped += column(w - 1 - p % w)
    }
    let labels = [Int32](repeating: 1, count: w * h)
    let target = TargetObject(descriptors: straight, gridH: h, gridW: w, foregroundGrid: [UInt8](repeating: 1, count: w * h),
                              foreground: [1], height: 1, width: 1)
    let same = BaseObject(annotationID: 1, descriptors: straight, labels: labels)
    let mirrored = BaseObject(annotationID: 2, descriptors: flipped, labels: labels)
    #expect(ObjectParser.facesMirrored(target, base: same, window: 0) == false)
    #expect(ObjectParser.facesMirrored(target, base: mirrored, window: 0) == true)
    #expect(ObjectParser.facings(target, bases: [same, mirrored], facing: .features) == [false, true])
    let other = BaseObject(annotationID: 3, descriptors: [Float](repeating: 0.5, count: 4 * dim), labels: [1, 1, 1, 1])
    #expect(ObjectParser.facesMirrored(target, base: other) == nil)
}
