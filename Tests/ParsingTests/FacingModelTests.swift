import Foundation
import Testing
@testable import Parsing

/// A 1-row, 6-patch object with a head (class 1) at one end, a torso (class 2) in the middle
/// and a tail (class 3) at the other. Descriptors say what a patch is and, like a ViT's, also
/// where it sits in the crop: `look` picks the part appearance, the last two columns the place.
private let w = 6
private func place(_ c: Int) -> [Float] { let a = Float(c) * 0.4; return [cos(a), sin(a)] }
private func object(facingRight: Bool, looks: [Int32: [Float]], placeWeight: Float = 1) -> (labels: [Int32], descriptors: [Float]) {
    let labels: [Int32] = facingRight ? [3, 2, 2, 2, 2, 1] : [1, 2, 2, 2, 2, 3]
    var descriptors: [Float] = []
    for (c, l) in labels.enumerated() { descriptors += looks[l]! + place(c).map { $0 * placeWeight } }
    return (labels, descriptors)
}
private let catLooks: [Int32: [Float]] = [1: [1, 0, 0], 2: [0, 1, 0], 3: [0, 0, 1]]

private func pool(_ looks: [[Int32: [Float]]]) -> [FacingModel.PoolObject] {
    looks.enumerated().flatMap { i, look in
        [true, false].map { right in
            let o = object(facingRight: right, looks: look)
            return (BaseObject(annotationID: Int64(2 * i + (right ? 1 : 0)), descriptors: o.descriptors, labels: o.labels), w)
        }
    }
}

private func target(facingRight: Bool, looks: [Int32: [Float]]) -> TargetObject {
    let o = object(facingRight: facingRight, looks: looks)
    return TargetObject(descriptors: o.descriptors, gridH: 1, gridW: w, foregroundGrid: [UInt8](repeating: 1, count: w),
                        foreground: [1], height: 1, width: 1)
}

/// Pool objects face both ways; the model aligns them, places the head at the front and the
/// tail at the back, and reads a target's facing from its patches' looks, not their places.
@Test func facingModelLearnsFrontAndBackFromAPoolFacingBothWays() throws {
    let model = try #require(FacingModel(pool: pool([catLooks]), parts: 3, neighbours: 1))
    #expect(model.partFront[0] == 0 && abs(model.partFront[2]) < 1e-6)
    #expect(abs(model.partFront[1]) > 0.3 && model.partFront[1] == -model.partFront[3], "head and tail at opposite ends")
    let head = model.partFront[1] > 0 ? Float(1) : -1   // which canonical side the head is on
    #expect(model.orientation(of: target(facingRight: true, looks: catLooks)) == head)
    #expect(model.orientation(of: target(facingRight: false, looks: catLooks)) == -head)
    let right = object(facingRight: true, looks: catLooks), left = object(facingRight: false, looks: catLooks)
    #expect(model.orientation(ofBase: right.labels, gridW: w) == head)
    #expect(model.orientation(ofBase: left.labels, gridW: w) == -head)
    // A base facing the other way from the target is turned; one facing the same way is not.
    let bases = [BaseObject(annotationID: 1, descriptors: right.descriptors, labels: right.labels),
                 BaseObject(annotationID: 2, descriptors: left.descriptors, labels: left.labels)]
    #expect(model.facings(target(facingRight: false, looks: catLooks), bases: bases) == [true, false])
    #expect(ObjectParser.facings(target(facingRight: false, looks: catLooks), bases: bases, facing: .learned, model: model)
            == [true, false])
}

/// The case the model is for: a novel "dog" whose head looks like the borrowed "cat"'s tail.
/// Place-by-place comparison with a cat base keeps it the wrong way round; a pool that also
/// holds a "horse", whose head looks like the dog's, turns it correctly.
@Test func facingModelFromRelatedCategoriesTurnsWhatPlaceByPlaceComparisonMisses() throws {
    let dogLooks: [Int32: [Float]] = [1: [0, 0, 1], 2: [0, 1, 0], 3: [1, 0, 0]]   // head like a cat's tail
    let horseLooks: [Int32: [Float]] = [1: [0, 0.2, 1], 2: [0, 1, 0], 3: [1, 0.2, 0]]
    let catRight = object(facingRight: true, looks: catLooks)
    let cat = BaseObject(annotationID: 1, descriptors: catRight.descriptors, labels: catRight.labels)
    let dog = target(facingRight: false, looks: dogLooks)
    #expect(ObjectParser.facings(dog, bases: [cat], facing: .features) == [false], "features match the cat's tail to the dog's head")
    // Horses outnumber cats in the pool, as horses, cows and sheep do on the synthetic set.
    let model = try #require(FacingModel(pool: pool([catLooks, horseLooks, horseLooks]), parts: 3, neighbours: 3))
    #expect(ObjectParser.facings(dog, bases: [cat], facing: .learned, model: model) == [true])
}

/// Parts on the centre line (a jar's body, cap and label) give nothing to learn: no model; and
/// `learned` without a model decides as `features` does.
@Test func facingModelNeedsAPartOffTheCentreLine() {
    let labels: [Int32] = [-1, 1, 2, 2, 1, -1]
    let base = BaseObject(annotationID: 1, descriptors: [Float](repeating: 0.5, count: w * 2), labels: labels)
    #expect(FacingModel(pool: [(base, w)], parts: 2) == nil)
    #expect(FacingModel(pool: [], parts: 2) == nil)
    let t = target(facingRight: true, looks: catLooks)
    let right = object(facingRight: true, looks: catLooks), left = object(facingRight: false, looks: catLooks)
    let bases = [BaseObject(annotationID: 1, descriptors: right.descriptors, labels: right.labels),
                 BaseObject(annotationID: 2, descriptors: left.descriptors, labels: left.labels)]
    #expect(ObjectParser.facings(t, bases: bases, facing: .learned, model: nil)
            == ObjectParser.facings(t, bases: bases, facing: .features))
}

/// The pool is loaded one object at a time, each once and in order, and the bank keeps at most
/// `maxRows` patches however large the pool, so memory stays bounded.
@Test func facingModelLoadsItsPoolOnceAndKeepsABoundedBank() throws {
    let objects = pool([catLooks, catLooks, catLooks])   // six objects of six patches
    var loaded: [Int] = []
    let model = try #require(FacingModel(poolCount: objects.count, parts: 3, maxRows: 12) { i in
        loaded.append(i)
        return objects[i]
    })
    #expect(loaded == Array(objects.indices))
    #expect(model.bankFront.count == 12, "two patches from each of six objects")
    #expect(FacingModel(pool: objects, parts: 3)?.bankFront.count == 36, "every patch when they fit")
    struct Unreadable: Error {}
    #expect(throws: Unreadable.self) { _ = try FacingModel(poolCount: 2, parts: 3) { _ in throw Unreadable() } }
}
