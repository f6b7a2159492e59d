import Foundation
import Imaging
import Store

extension PartProbeRunner {
    /// Cross-category transfer accuracy: every target object of `dataset` (default: every
    /// target dataset) that has an approved borrow and a ground-truth object in `groundTruth`
    /// (same image file, box IoU ≥ 0.5) has its ground-truth part patches labelled from the part
    /// patches of its `retrieved` nearest base objects (CLS cosine within the borrowed categories).
    ///
    /// Ground-truth parts the borrowed taxonomy lacks are scored as misses.
    /// - Parameters:
    ///   - groundTruth: COCO/PACO document whose part categories are named `object:part`, parts
    ///     pointing at their object with `obj_ann_id`; `path` names it in errors.
    ///   - plans: approved borrows by target object category id.
    public func transfer(groundTruth: COCODocument, path: String, plans: [Int64: BorrowPlan], dataset: String? = nil,
                         into report: inout ProbeReport, progress: (Int, Int) -> Void = { _, _ in }) throws {
        let names = Dictionary((groundTruth.categories + (groundTruth.partCategories ?? [])).map { ($0.id, $0.name) },
                               uniquingKeysWith: { a, _ in a })
        let files = Dictionary(groundTruth.images.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var objectsByFile: [String: [COCOAnnotation]] = [:]
        var partsByObject: [Int64: [COCOAnnotation]] = [:]
        for a in groundTruth.annotations {
            guard let name = names[a.categoryID], let image = files[a.imageID] else { continue }
            if name.contains(":") {
                if let parent = a.objAnnID { partsByObject[parent, default: []].append(a) }
            } else {
                objectsByFile[image.fileName, default: []].append(a)
            }
        }
        let bases = Dictionary(grouping: try store.objects(role: .source), by: \.annotation.categoryID)
        let targets = try store.objects(dataset: dataset, role: .target).filter { objectsByFile[$0.image.fileName] != nil }
        var baseFeatures: [Int64: ObjectFeatures] = [:]
        for (n, object) in targets.enumerated() {
            defer { progress(n + 1, targets.count) }
            guard let plan = plans[object.annotation.categoryID] else { report.skippedNoTaxonomy += 1; continue }
            let candidates = (objectsByFile[object.image.fileName] ?? []).map { ($0, Self.boxIoU($0.bbox, object.annotation.bbox)) }
            guard let match = candidates.max(by: { $0.1 < $1.1 }), match.1 >= 0.5 else { report.unmatched += 1; continue }
            let f = try features(object)
            let dim = f.descriptors.count / max(1, f.gridH * f.gridW)

            // Truth: the plan's parts first, then the ground truth's parts the plan lacks (misses).
            var partNames = plan.partNames
            var masks = [[Mask]](repeating: [], count: partNames.count)
            for part in partsByObject[match.0.id] ?? [] {
                guard let name = names[part.categoryID]?.split(separator: ":", maxSplits: 1).last.map(String.init),
                      let image = files[part.imageID] else { continue }
                let mask = try Self.decode(part.segmentation, width: image.width, height: image.height, path: path)
                if let i = partNames.firstIndex(of: name) { masks[i].append(mask) } else {
                    partNames.append(name); masks.append([mask])
                }
            }
            let truth = try Self.grid(object, masks: masks, gridW: f.gridW, gridH: f.gridH)
            let query = PartProbe.partRows(descriptors: f.descriptors, labels: truth, dim: dim)
            guard !query.labels.isEmpty else { continue }

            // Bank: part patches of the nearest base objects under the plan's classes.
            let pool = plan.baseCategoryIDs.flatMap { bases[$0] ?? [] }
            var clsBank: [Float] = []
            for b in pool {
                let id = b.annotation.id ?? 0
                if baseFeatures[id] == nil { baseFeatures[id] = try features(b) }
                clsBank += baseFeatures[id]!.cls
            }
            guard !pool.isEmpty else { report.skippedNoTaxonomy += 1; continue }
            var bank: [Float] = [], bankLabels: [Int32] = []
            for hit in Retrieval.topK(query: f.cls, bank: clsBank, dim: f.cls.count, k: retrieved) {
                let base = pool[hit.index], bf = baseFeatures[base.annotation.id ?? 0]!
                guard bf.gridW == f.gridW, bf.gridH == f.gridH else { continue }
                let labels = try Self.grid(base, masks: goldMasks(base, classes: plan.basePartCategoryIDs), gridW: bf.gridW, gridH: bf.gridH)
                let rows = PartProbe.partRows(descriptors: bf.descriptors, labels: labels, dim: dim)
                bank += rows.rows; bankLabels += rows.labels
            }
            let predicted = PartProbe.classify(queries: query.rows, bank: bank, bankLabels: bankLabels, dim: dim,
                                               k: neighbours, classes: plan.partNames.count + 1)
            report.transfer += PartProbe.tally(predicted: predicted, truth: query.labels)
            report.novelObjects += 1
        }
    }

    /// IoU of two COCO `[x, y, width, height]` boxes.
    static func boxIoU(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == 4, b.count == 4 else { return 0 }
        let w = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
        let h = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
        let union = a[2] * a[3] + b[2] * b[3] - w * h
        return union > 0 ? w * h / union : 0
    }

    static func decode(_ segmentation: COCOSegmentation, width: Int, height: Int, path: String) throws -> Mask {
        switch segmentation {
        case let .rle(rle): rle.decode()
        case let .polygons(p): RLE.fromPolygons(p, width: width, height: height).decode()
        case let .compressedRLE(counts, w, h): try RLE(compressed: counts, width: w, height: h, source: path).decode()
        }
    }
}
