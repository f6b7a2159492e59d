import Foundation
import Imaging
import Store

/// What an approved borrowed taxonomy tells the parser about one target category.
public struct BorrowPlan: Sendable {
    public let targetCategoryID: Int64
    /// Base object categories whose objects may be retrieved.
    public let baseCategoryIDs: [Int64]
    /// Target part names in class order (class `i + 1` is `partNames[i]`).
    public let partNames: [String]
    /// For every part, the base part categories that carry it.
    public let basePartCategoryIDs: [[Int64]]

    public init(targetCategoryID: Int64, baseCategoryIDs: [Int64], partNames: [String], basePartCategoryIDs: [[Int64]]) {
        precondition(partNames.count == basePartCategoryIDs.count, "\(partNames.count) parts, \(basePartCategoryIDs.count) base lists")
        self.targetCategoryID = targetCategoryID
        self.baseCategoryIDs = baseCategoryIDs
        self.partNames = partNames
        self.basePartCategoryIDs = basePartCategoryIDs
    }
}

/// Policy of a parse run (VLPart's defaults where it has them).
public struct ParseRunOptions: Sendable {
    /// Base objects retrieved per target object (`--method nn` always uses 1). More bases help the
    /// cluster parser and the geometric prior alike (mIoU cluster / prior, 64 px, stride 4, dataset
    /// seed 0: k 3 gave 39.6 / 31.1, 5 gave 41.3 / 32.5, 10 gave 41.5 / 34.6; seed 1 reviewed:
    /// 39.0 / 32.9, 39.9 / 34.6, 42.8 / 37.3), but each costs a correspondence against another
    /// object's patches: 3025 of them at VLPart's setting (ViT-S/8, stride 4, 224 px). With
    /// learned facing (prior weight 10) 5 gave 44.3 / 42.9 against 3's 42.8 / 42.2: the gap to
    /// the prior, which gains as much, stays where it is.
    public var k = 3
    public var parameters = ParseParameters()
    /// Saliency above this marks foreground for objects without a mask (folder imports).
    public var saliencyThreshold: Float = 0.05
    /// Base objects whose features and label grids stay in memory.
    public var baseCacheSize = 256
    /// Image-guided refinement of every object's parts (`GuidedRefinement`); `nil` keeps the
    /// parser's masks as they are.
    public var refinement: GuidedRefinement.Settings? = GuidedRefinement.Settings()

    public init() {}
}

/// Counters of a parse run.
public struct ParseRunStats: Codable, Sendable {
    public var parsed = 0, parts = 0, noParts = 0, skippedNoTaxonomy = 0, failed = 0
    public var keptHumanDecisions = 0
    public var seconds = 0.0
}

/// Parses a run's open work items: the store- and cache-backed loop around `ObjectParser`.
///
/// Each object is one transaction (its parts plus its work item's state), so a killed run
/// resumes with no duplicates, and processes given disjoint shards can share a store.
public final class ParseRunner {
    let store: Store
    let cache: FeatureCache
    let builder: FeatureCacheBuilder?
    let plans: [Int64: BorrowPlan]
    let options: ParseRunOptions
    var baseBank: [Int64: [(id: Int64, cls: [Float])]] = [:]
    private var baseObjects: [Int64: BaseObject] = [:]
    private var baseOrder: [Int64] = []
    /// Pixel part layouts of base objects for `--method prior`, a small LRU like `baseObjects`.
    var layouts: [Int64: GeometricPrior.Layout] = [:]
    var layoutOrder: [Int64] = []
    /// `--facing learned`: each plan's model, built on its first object (`nil`: nothing to learn).
    var facingModels: [Int64: FacingModel?] = [:]
    /// Target part category ids by (object category, part): looked up once per run, not per part.
    private var partCategories: [String: Int64] = [:]

    /// - Parameters:
    ///   - builder: computes features the cache lacks; `nil` makes a missing entry an error.
    ///   - plans: approved borrows by target object category id.
    public init(store: Store, cache: FeatureCache, builder: FeatureCacheBuilder?, plans: [Int64: BorrowPlan],
                options: ParseRunOptions) {
        self.store = store
        self.cache = cache
        self.builder = builder
        self.plans = plans
        self.options = options
    }

    /// Parses the open items of `runID` in shard `shard` of `shards`, at most `limit` of them.
    public func run(runID: Int64, shard: Int = 0, shards: Int = 1, limit: Int? = nil,
                    progress: (Int, Int) -> Void = { _, _ in }) throws -> ParseRunStats {
        let started = Date()
        var stats = ParseRunStats()
        var ids = try store.openWorkItems(runID: runID, shard: shard, shards: shards)
        if let limit { ids = Array(ids.prefix(limit)) }
        try loadBaseBank()
        var lastImage: (path: String, image: Image)?
        var objects: [Int64: ObjectReference] = [:]
        for (n, id) in ids.enumerated() {
            defer { progress(n + 1, ids.count) }
            // Object records are fetched in chunks so memory stays bounded on any dataset size.
            if n % 256 == 0 {
                let chunk = Array(ids[n..<min(n + 256, ids.count)])
                objects = Dictionary(try store.objects(ids: chunk).map { ($0.annotation.id!, $0) }, uniquingKeysWith: { a, _ in a })
            }
            guard let object = objects[id], let plan = plans[object.annotation.categoryID] else {
                stats.skippedNoTaxonomy += 1
                try store.failWorkItem(runID: runID, annotationID: id, error: "no approved taxonomy for its category")
                continue
            }
            do {
                func pixels() throws -> Image {
                    if let last = lastImage, last.path == object.imagePath { return last.image }
                    let image = try Image.read(path: object.imagePath)
                    lastImage = (object.imagePath, image)
                    return image
                }
                var features = cache.load(id)
                if features == nil, let builder {
                    let computed = try builder.compute(object, image: try pixels())
                    try cache.save(computed)
                    features = computed
                }
                guard let features else {
                    throw ParsingError.missingFeatures(annotationID: id, hint: "run `vlpart features cache` or pass --model")
                }
                let labels = try parse(object, features: features, plan: plan, runID: runID,
                                       pixels: options.refinement == nil ? nil : try pixels())
                let result = try store.completeWorkItem(runID: runID, annotationID: id, labels: labels)
                stats.parsed += 1
                stats.parts += result.inserted + result.replaced
                stats.keptHumanDecisions += result.keptHumanDecision
                if labels.isEmpty { stats.noParts += 1 }
            } catch {
                stats.failed += 1
                try store.failWorkItem(runID: runID, annotationID: id, error: "\(error)")
            }
        }
        stats.seconds = Date().timeIntervalSince(started)
        return stats
    }

    /// CLS tokens of every source-role object, grouped by category: the retrieval bank.
    func loadBaseBank() throws {
        let layer = cache.settings.layer ?? builder?.layer ?? 0
        let bases = try store.objects(role: .source)
        let cls = try store.embeddings(owner: "annotation", facet: "cls", modelSHA: cache.modelSHA, layer: layer)
        baseBank = [:]
        for b in bases {
            guard let id = b.annotation.id, let v = cls[id] else { continue }
            baseBank[b.annotation.categoryID, default: []].append((id, v))
        }
    }

    /// One object's part annotations (not yet stored).
    ///
    /// - Parameter pixels: the object's decoded image, for `options.refinement`.
    func parse(_ object: ObjectReference, features: ObjectFeatures, plan: BorrowPlan, runID: Int64,
               pixels: Image? = nil) throws -> [Annotation] {
        let k = options.parameters.method == .nn ? 1 : options.k
        let candidates = plan.baseCategoryIDs.flatMap { baseBank[$0] ?? [] }
        guard !candidates.isEmpty else {
            throw ParsingError.invalid("no base objects with cached features for the borrowed categories; run `vlpart features cache` on the source dataset")
        }
        let hits = Retrieval.topK(query: features.cls, bank: candidates.flatMap(\.cls), dim: features.cls.count, k: k)
        let image = object.image
        let box = FeatureCacheBuilder.cropBox(object.annotation.bbox, width: image.width, height: image.height)
        let target = try targetObject(object, features: features, box: box)
        var parts: [ParsedPart]
        var facings: [Bool]? = nil   // per base, whether it was turned to face the target (cluster only)
        if options.parameters.method == .prior {
            let layouts = try hits.map { try baseLayout(candidates[$0.index].id, plan: plan) }
            parts = GeometricPrior.parse(layouts: layouts, parts: plan.partNames.count, foreground: target.foreground,
                                         width: box.width, height: box.height,
                                         minPartFraction: options.parameters.minPartFraction)
        } else {
            let bases = try hits.map { try baseObject(candidates[$0.index].id, plan: plan) }
            // Decided once here (cluster only) for both the clusters and the prior's small parts.
            if options.parameters.method == .cluster {
                facings = ObjectParser.facings(target, bases: bases, facing: options.parameters.facing,
                                               model: options.parameters.facing == .learned ? try facingModel(plan) : nil)
            }
            let found = ObjectParser.parse(target, bases: bases, parts: plan.partNames.count, parameters: options.parameters,
                                           mirrored: facings)
            if let facings, options.parameters.smallPartPatches > 0 {
                // The prior's small parts face the way the clusters' bases were turned.
                let layouts = try zip(hits, facings).map { hit, mirrored in
                    let l = try baseLayout(candidates[hit.index].id, plan: plan)
                    return GeometricPrior.Layout(labels: l.labels, width: l.width, height: l.height, mirrored: mirrored)
                }
                let prior = GeometricPrior.parse(layouts: layouts, parts: plan.partNames.count, foreground: target.foreground,
                                                 width: box.width, height: box.height,
                                                 minPartFraction: options.parameters.minPartFraction, orient: false)
                let patchArea = Float(box.width * box.height) / Float(target.gridH * target.gridW)
                parts = SmallPartFill.merge(clusters: found, prior: prior, patchArea: patchArea,
                                            maxPatches: options.parameters.smallPartPatches)
            } else {
                parts = found
            }
        }
        if var settings = options.refinement, let pixels {
            // Parts are placed to within a patch; the colours decide half a patch either side.
            settings.uncertainty = max(1, Float(max(box.width / target.gridW, box.height / target.gridH)) / 2)
            guard pixels.width == image.width, pixels.height == image.height else {
                throw ParsingError.image(path: object.imagePath, reason: "is \(pixels.width)×\(pixels.height) pixels; the store recorded \(image.width)×\(image.height) at import")
            }
            parts = GuidedRefinement.refine(parts: parts, classes: plan.partNames.count + 1, foreground: target.foreground,
                                            rgb: pixels.cropped(x: box.x, y: box.y, width: box.width, height: box.height)
                                                .converted(toChannels: 3).pixels.map { Float($0) / 255 },
                                            width: box.width, height: box.height,
                                            minPartFraction: options.parameters.minPartFraction, settings: settings)
        }
        var provenance: [String: Any] = [
            "method": options.parameters.method.rawValue, "model_sha": cache.modelSHA, "settings": cache.settings.key,
            "bases": hits.map { candidates[$0.index].id }, "similarities": hits.map { Double($0.similarity) },
            "refine_iterations": pixels == nil ? 0 : options.refinement?.iterations ?? 0,
        ]
        if let facings { provenance["mirrored"] = facings }
        var result: [Annotation] = []
        for part in parts {
            var full = Mask(width: image.width, height: image.height)
            full.paste(Mask(width: box.width, height: box.height, pixels: part.mask), x: box.x, y: box.y)
            let rle = RLE(mask: full)
            guard rle.area > 0 else { continue }
            let category = try partCategory(object.annotation.categoryID, plan.partNames[part.classIndex - 1])
            provenance["patches"] = part.patches
            let json = (try? JSONSerialization.data(withJSONObject: provenance, options: [.sortedKeys]))
                .map { String(decoding: $0, as: UTF8.self) }
            result.append(Annotation(imageID: image.id!, categoryID: category, level: .part, parentID: object.annotation.id,
                                     bbox: rle.bbox, rle: rle.compressed, area: Double(rle.area), score: Double(part.score),
                                     source: .parsed, runID: runID, status: .pending, provenance: json))
        }
        return result
    }

    /// `store.partCategory`, memoised: it opens a write transaction on every call.
    private func partCategory(_ objectCategoryID: Int64, _ part: String) throws -> Int64 {
        let key = "\(objectCategoryID)/\(part)"
        if let id = partCategories[key] { return id }
        let id = try store.partCategory(objectCategoryID: objectCategoryID, part: part)
        partCategories[key] = id
        return id
    }

    /// The target's foreground: its mask where it has one, else its saliency above the threshold.
    func targetObject(_ object: ObjectReference, features: ObjectFeatures, box: (x: Int, y: Int, width: Int, height: Int)) throws -> TargetObject {
        let usesSaliency = object.annotation.provenance?.contains("saliency") ?? false
        let fgGrid: [UInt8], fg: [UInt8]
        if usesSaliency {
            fgGrid = features.saliency.map { $0 > options.saliencyThreshold ? 1 : 0 }
            let up = resizePlanes(features.saliency, channels: 1, height: features.gridH, width: features.gridW,
                                  toHeight: box.height, toWidth: box.width, filter: .bilinear)
            fg = up.map { $0 > options.saliencyThreshold ? 1 : 0 }
        } else {
            let mask = try RLE(compressed: object.annotation.rle, width: object.image.width, height: object.image.height).decode()
                .cropped(x: box.x, y: box.y, width: box.width, height: box.height)
            fg = mask.pixels
            fgGrid = mask.resizedNearest(width: features.gridW, height: features.gridH).pixels
        }
        return TargetObject(descriptors: features.descriptors, gridH: features.gridH, gridW: features.gridW,
                            foregroundGrid: fgGrid, foreground: fg, height: box.height, width: box.width)
    }

    /// A base object's descriptors and per-patch part classes under `plan`, kept in a small LRU.
    func baseObject(_ id: Int64, plan: BorrowPlan) throws -> BaseObject {
        let key = id ^ (plan.targetCategoryID << 40)
        if let cached = baseObjects[key] { return cached }
        let base = try loadBaseObject(id, plan: plan).base
        baseObjects[key] = base
        baseOrder.append(key)
        if baseOrder.count > options.baseCacheSize { baseObjects[baseOrder.removeFirst()] = nil }
        return base
    }

    /// `baseObject` without the cache, with its grid's width.
    func loadBaseObject(_ id: Int64, plan: BorrowPlan) throws -> (base: BaseObject, gridW: Int) {
        guard let features = cache.load(id) else {
            throw ParsingError.missingFeatures(annotationID: id, hint: "run `vlpart features cache` on the source dataset")
        }
        guard let object = try store.objects(ids: [id]).first else { throw ParsingError.invalid("base object \(id) vanished") }
        let box = FeatureCacheBuilder.cropBox(object.annotation.bbox, width: object.image.width, height: object.image.height)
        // Patches off the base object (-1) cast no votes: only the object's own patches,
        // labelled with a part or with "no part" (0), say what a target patch looks like.
        let objectGrid = try RLE(compressed: object.annotation.rle, width: object.image.width, height: object.image.height)
            .decode().cropped(x: box.x, y: box.y, width: box.width, height: box.height)
            .resizedNearest(width: features.gridW, height: features.gridH)
        var labels = objectGrid.pixels.map { $0 != 0 ? Int32(0) : -1 }
        let parts = try store.parts(ofObject: id)
        for (index, categories) in plan.basePartCategoryIDs.enumerated() {
            for part in parts where categories.contains(part.categoryID) {
                let grid = try RLE(compressed: part.rle, width: object.image.width, height: object.image.height).decode()
                    .cropped(x: box.x, y: box.y, width: box.width, height: box.height)
                    .resizedNearest(width: features.gridW, height: features.gridH)
                for i in 0..<labels.count where grid.pixels[i] != 0 { labels[i] = Int32(index + 1) }
            }
        }
        return (BaseObject(annotationID: id, descriptors: features.descriptors, labels: labels), features.gridW)
    }
}
