import Testing
@testable import Store

/// The dense/sparse id map behaves exactly like a dictionary under random inserts, updates and
/// removals over dense, huge and negative ids (and ids that move from sparse to dense).
@Test(arguments: [1 as UInt64, 2, 3])
func sourceIDMapBehavesLikeADictionary(seed: UInt64) {
    var state = seed
    func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
    var map = SourceIDMap<Int>()
    var reference: [Int64: Int] = [:]
    for step in 0..<50_000 {
        let id: Int64
        switch next() % 4 {
        case 0: id = Int64(next() % 300_000)            // beyond the dense bound at first
        case 1: id = -Int64(next() % 100) - 1
        case 2: id = Int64(next() % 1 << 40)
        default: id = Int64(next() % 2_000)
        }
        let value: Int? = next() % 5 == 0 ? nil : step
        map[id] = value
        reference[id] = value
        if step % 997 == 0 {
            for (key, expected) in reference { #expect(map[key] == expected) }
        }
    }
    #expect(map.count == reference.count)
    for (key, expected) in reference { #expect(map[key] == expected) }
    #expect(map[123_456_789_012] == reference[123_456_789_012])
}
