import Testing
@testable import Synth

@Test func catalogHasTheRequiredFamiliesAndSplit() {
    let cats = SynthCatalog.categories
    #expect(cats.count >= 12)
    #expect(Set(cats.map(\.family)).count >= 4)
    let novel = SynthCatalog.novel.map(\.name)
    #expect(novel.contains("dog") && novel.contains("bus") && novel.count >= 4)
    for c in SynthCatalog.novel {
        // Every novel category has a base sibling in its family, sharing at least two parts.
        let sibling = SynthCatalog.named(c.sibling ?? "")
        #expect(sibling != nil && sibling?.isNovel == false && sibling?.family == c.family, "\(c.name)")
        #expect(Set(c.parts).intersection(sibling?.parts ?? []).count >= 2, "\(c.name)")
    }
    for c in cats {
        #expect(SceneKind.allCases.contains { $0.categoryNames.contains(c.name) }, "\(c.name) appears in no scene")
    }
    for kind in SceneKind.allCases {
        let pool = kind.categoryNames.compactMap(SynthCatalog.named)
        #expect(pool.count == kind.categoryNames.count)
        #expect(pool.contains { $0.isNovel } && pool.contains { !$0.isNovel }, "\(kind)")
    }
}

@Test(arguments: SynthCatalog.categories)
func everyCategoryDrawsAllOfItsParts(category: SynthCategory) {
    // Over a few instances each part is drawn at least once (flying birds tuck their legs).
    var seen = Set<Int>()
    for i in 0..<12 {
        var r = SynthRandom(seed: 5, stream: UInt64(i))
        let d = drawObject(category, &r)
        #expect(!d.shapes.isEmpty)
        let b = d.bounds
        #expect(b.width.isFinite && b.height.isFinite && b.width > 0 && b.height > 0)
        // Grounded objects stand on y = 0 (y points down), within a small margin.
        if d.grounded { #expect(abs(b.maxY) < 0.12 * max(b.width, b.height), "\(category.name) floats: \(b)") }
        for s in d.shapes { seen.insert(s.part) }
    }
    #expect(seen == Set(category.parts.indices), "\(category.name): drew parts \(seen.sorted())")
}
