import Testing
@testable import Synth

@Test func sameSeedSameSceneOtherSeedOtherScene() {
    let a = SynthDataset.scene(index: 3, options: SynthOptions(seed: 11, size: 96))
    let b = SynthDataset.scene(index: 3, options: SynthOptions(seed: 11, size: 96))
    let c = SynthDataset.scene(index: 3, options: SynthOptions(seed: 12, size: 96))
    #expect(a.rgb == b.rgb && a.instance == b.instance && a.part == b.part && a.objects == b.objects)
    #expect(a.rgb != c.rgb)
}

@Test func labelMapsAreConsistentWithTheObjects() {
    let options = SynthOptions(seed: 2, size: 128)
    for index in 0..<24 {
        let scene = SynthDataset.scene(index: index, options: options)
        let split = SynthDataset.split(ofImage: index, options: options)
        #expect(!scene.objects.isEmpty, "image \(index) has no object")
        var counts = [Int](repeating: 0, count: 256)
        for i in scene.instance.indices {
            let inst = scene.instance[i], part = scene.part[i]
            counts[Int(inst)] += 1
            // A pixel has a part exactly when it has an object, and the part exists for that category.
            #expect((inst == 0) == (part == 0))
            if inst != 0, let object = scene.objects.first(where: { $0.label == inst }) {
                #expect(Int(part) <= object.category.parts.count)
            } else if inst != 0 {
                Issue.record("image \(index): pixel labelled \(inst) belongs to no listed object")
            }
        }
        for object in scene.objects {
            #expect(counts[Int(object.label)] >= 24)
            #expect(object.category.isNovel == (split == .target), "image \(index): \(object.category.name) in \(split)")
            #expect(scene.kind.categoryNames.contains(object.category.name))
        }
    }
}

@Test func masksKeepOnlyVisiblePixelsAndNearerObjectsWin() {
    // Render each scene again with a single object painted (same random draws): its solo mask
    // must contain its visible mask, and every pixel it lost must belong to a later (nearer)
    // object or to unlabelled foreground clutter.
    let cats = SceneKind.farm.categoryNames.compactMap(SynthCatalog.named)
    var occludedPixels = 0
    for i in 0..<20 {
        var r = SynthRandom(seed: 9, stream: UInt64(i))
        let scene = SceneComposer.render(kind: .farm, categories: cats, count: 3, size: 96, dominant: false, solo: nil, rng: &r)
        for object in scene.objects {
            var r2 = SynthRandom(seed: 9, stream: UInt64(i))
            let k = Int(object.label) - 1
            let solo = SceneComposer.render(kind: .farm, categories: cats, count: 3, size: 96, dominant: false, solo: k, rng: &r2)
            for p in scene.instance.indices {
                let visible = scene.instance[p] == object.label, alone = solo.instance[p] == object.label
                if visible && !alone { Issue.record("scene \(i): object \(k) visible at \(p) but absent alone") }
                if alone && !visible {
                    let owner = scene.instance[p]
                    #expect(owner == 0 || owner > object.label, "scene \(i): \(owner) took a pixel of later \(object.label)")
                    if owner > object.label { occludedPixels += 1 }
                }
            }
        }
    }
    #expect(occludedPixels > 0)
}

@Test func classFolderScenesHoldOneDominantObject() {
    let options = SynthOptions(seed: 4, size: 112)
    for category in SynthCatalog.novel {
        for i in 0..<3 {
            let scene = SynthDataset.folderScene(category: category, index: i, options: options)
            #expect(scene.objects.count == 1)
            #expect(scene.objects.first?.category == category)
            let area = scene.instance.filter { $0 != 0 }.count
            #expect(area > scene.instance.count / 20, "\(category.name) #\(i) covers only \(area) pixels")
        }
    }
}
