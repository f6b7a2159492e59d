import Imaging
import Testing
import TestSupport

@Test func fourAndEightConnectivityDiffer() {
    let m = mask(["#.#", ".#.", "#.."])
    let eight = m.components(connectivity: .eight), four = m.components(connectivity: .four)
    #expect(eight.count == 1 && eight.sizes == [4])
    #expect(four.count == 4 && four.sizes == [1, 1, 1, 1])
    // Raster order of first pixels.
    #expect(four.labels == [1, 0, 2, 0, 3, 0, 4, 0, 0])
}

@Test func largestComponentAndSmallOnesRemoved() {
    let m = mask(["##..#", "##...", "....#", "...##"])
    let cc = m.components()
    #expect(cc.sizes == [4, 1, 3])
    #expect(cc.largestLabel == 1)
    #expect(m.largestComponent() == mask(["##...", "##...", ".....", "....."]))
    #expect(m.removingComponents(smallerThan: 3) == mask(["##...", "##...", "....#", "...##"]))
    #expect(cc.mask(of: 2) == mask(["....#", ".....", ".....", "....."]))
    #expect(Mask(width: 3, height: 2).largestComponent().isEmpty)
    #expect(Mask(width: 3, height: 2).components().largestLabel == nil)
}

@Test func tiesGoToTheFirstLabel() {
    let m = mask(["#.#"])
    #expect(m.components().largestLabel == 1)
}

@Test(arguments: [11 as UInt64, 12])
func componentsPartitionTheForeground(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for trial in 0..<50 {
        let m = randomMask(&rng)
        for connectivity in Connectivity.allCases {
            let cc = m.components(connectivity: connectivity)
            #expect(cc.sizes.reduce(0, +) == m.area, "seed \(seed) trial \(trial)")
            var union = Mask(width: m.width, height: m.height)
            for label in stride(from: 1, through: cc.count, by: 1) {
                let part = cc.mask(of: label)
                #expect(part.area == cc.sizes[label - 1])
                // A component is closed under adjacency: dilating it (within m) adds nothing.
                if connectivity == .eight {
                    #expect(part.dilated().intersection(m) == part, "seed \(seed) trial \(trial) label \(label)")
                }
                union = union.union(part)
            }
            #expect(union == m, "seed \(seed) trial \(trial)")
        }
    }
}
