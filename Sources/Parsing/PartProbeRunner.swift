import Foundation
import Imaging
import Store

/// What `vlpart probe` measured (accuracies in percent).
public struct ProbeReport: Codable, Sendable {
    public var within = PartProbe.Tally(), transfer = PartProbe.Tally()
    /// Base objects in the banks and held out, over categories with enough objects.
    public var bankObjects = 0, heldOutObjects = 0
    /// Novel objects scored, skipped for lack of an approved taxonomy, unmatched in the ground truth.
    public var novelObjects = 0, skippedNoTaxonomy = 0, unmatched = 0
    /// Within-category accuracy per base category name.
    public var withinByCategory: [String: PartProbe.Tally] = [:]

    public init() {}
}

/// Runs ``PartProbe`` over a store: features from a ``FeatureCache`` (computed when missing and a
/// builder is given), part labels from gold base parts and a ground-truth file for novel ones.
public final class PartProbeRunner {
    let store: Store
    let cache: FeatureCache
    let builder: FeatureCacheBuilder?
    /// Neighbours voting per patch, base objects retrieved per novel object, held-out stride.
    public var neighbours = 5, retrieved = 3, heldOutEvery = 5

    public init(store: Store, cache: FeatureCache, builder: FeatureCacheBuilder?) {
        self.store = store
        self.cache = cache
        self.builder = builder
    }

    func features(_ object: ObjectReference) throws -> ObjectFeatures {
        let id = object.annotation.id ?? 0
        if let f = cache.load(id) { return f }
        guard let builder else { throw ParsingError.missingFeatures(annotationID: id, hint: "run `vlpart features cache` or pass --model") }
        let image: Image
        do { image = try Image.read(path: object.imagePath) } catch { throw ParsingError.image(path: object.imagePath, reason: "\(error)") }
        let f = try builder.compute(object, image: image)
        try cache.save(f)
        return f
    }

    /// Per-patch classes of `object` on its feature grid: `-1` off the object, `0` on it, `i + 1`
    /// under any of `masks[i]` (full-image masks; later ones win overlaps).
    static func grid(_ object: ObjectReference, masks: [[Mask]], gridW: Int, gridH: Int) throws -> [Int32] {
        let (w, h) = (object.image.width, object.image.height)
        let box = FeatureCacheBuilder.cropBox(object.annotation.bbox, width: w, height: h)
        func onGrid(_ m: Mask) -> Mask {
            m.cropped(x: box.x, y: box.y, width: box.width, height: box.height).resizedNearest(width: gridW, height: gridH)
        }
        var labels = onGrid(try RLE(compressed: object.annotation.rle, width: w, height: h).decode()).pixels.map { $0 != 0 ? Int32(0) : -1 }
        for (i, list) in masks.enumerated() {
            for m in list {
                for (p, v) in onGrid(m).pixels.enumerated() where v != 0 { labels[p] = Int32(i + 1) }
            }
        }
        return labels
    }

    /// Gold part masks of a base object grouped by `classes` (part category ids per class).
    func goldMasks(_ object: ObjectReference, classes: [[Int64]]) throws -> [[Mask]] {
        let parts = try store.parts(ofObject: object.annotation.id ?? 0)
        return try classes.map { ids in
            try parts.filter { ids.contains($0.categoryID) }.map {
                try RLE(compressed: $0.rle, width: object.image.width, height: object.image.height).decode()
            }
        }
    }

    /// Within-category accuracy over every source-role category with parts.
    public func within(into report: inout ProbeReport, progress: (String) -> Void = { _ in }) throws {
        let bases = try store.objects(role: .source)
        for (category, objects) in Dictionary(grouping: bases, by: \.annotation.categoryID).sorted(by: { $0.key < $1.key }) {
            let partCategories = try store.partCategories(ofObject: category)
            guard !partCategories.isEmpty, objects.count >= heldOutEvery else { continue }
            let classes = partCategories.map { [$0.id] }
            var bank: [Float] = [], bankLabels: [Int32] = [], held: [(rows: [Float], labels: [Int32])] = []
            var dim = 0
            for (position, object) in objects.enumerated() {
                let f = try features(object)
                dim = f.descriptors.count / max(1, f.gridH * f.gridW)
                let labels = try Self.grid(object, masks: goldMasks(object, classes: classes), gridW: f.gridW, gridH: f.gridH)
                let part = PartProbe.partRows(descriptors: f.descriptors, labels: labels, dim: dim)
                if PartProbe.isHeldOut(position: position, every: heldOutEvery) {
                    held.append(part); report.heldOutObjects += 1
                } else {
                    bank += part.rows; bankLabels += part.labels; report.bankObjects += 1
                }
            }
            var tally = PartProbe.Tally()
            for h in held where !h.labels.isEmpty {
                let predicted = PartProbe.classify(queries: h.rows, bank: bank, bankLabels: bankLabels, dim: dim,
                                                   k: neighbours, classes: classes.count + 1)
                tally += PartProbe.tally(predicted: predicted, truth: h.labels)
            }
            let name = objects.first?.categoryName ?? "#\(category)"
            report.withinByCategory[name] = tally
            report.within += tally
            progress(name)
        }
    }
}
