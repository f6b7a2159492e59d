import Testing
@testable import Parsing

/// A 4×4 box: the clusters found a torso (class 1) everywhere and no wheel (class 2); the prior
/// has a 2-pixel wheel and a torso. With patches of 1 pixel and a limit of 2 patches the wheel
/// is small, so it is filled in from the prior; the prior's torso is not small and is ignored.
@Test func smallPriorPartsFillWhatTheClustersMissed() {
    let all = [UInt8](repeating: 1, count: 16)
    let wheel: [UInt8] = (0..<16).map { $0 == 12 || $0 == 13 ? 1 : 0 }
    let clusters = [ParsedPart(classIndex: 1, mask: all, score: 0.8, patches: 16)]
    let prior = [ParsedPart(classIndex: 1, mask: wheel.map { 1 - $0 }, score: 0.6, patches: 0),
                 ParsedPart(classIndex: 2, mask: wheel, score: 0.7, patches: 0)]
    let merged = SmallPartFill.merge(clusters: clusters, prior: prior, patchArea: 1, maxPatches: 2)
    #expect(merged.map(\.classIndex) == [1, 2])
    #expect(merged[0].mask == wheel.map { 1 - $0 } && merged[0].score == 0.8)
    #expect(merged[1].mask == wheel && merged[1].score == 0.7)
    // Too big to be "small": the clusters' answer stands.
    #expect(SmallPartFill.merge(clusters: clusters, prior: prior, patchArea: 1, maxPatches: 1).map(\.classIndex) == [1])
    // The clusters already hold at least half the prior's wheel: nothing changes.
    let withWheel = [ParsedPart(classIndex: 1, mask: (0..<16).map { $0 == 12 ? 0 : 1 }, score: 0.8, patches: 15),
                     ParsedPart(classIndex: 2, mask: (0..<16).map { $0 == 12 ? 1 : 0 }, score: 0.5, patches: 1)]
    let kept = SmallPartFill.merge(clusters: withWheel, prior: prior, patchArea: 1, maxPatches: 2)
    #expect(kept.map(\.mask) == withWheel.map(\.mask) && kept.map(\.score) == [0.8, 0.5])
    #expect(SmallPartFill.merge(clusters: [], prior: [], patchArea: 1).isEmpty)
}
