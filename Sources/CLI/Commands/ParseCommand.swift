import ArgumentParser
import Features
import Foundation
import Parsing
import Store
import Taxonomy

/// `vlpart parse`: target objects → part masks with scores and provenance, as a resumable run.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse target objects into parts borrowed from their nearest base objects.",
        discussion: """
        For each object of a target category with an approved borrowed taxonomy (see `vlpart \
        taxonomy propose` and `review`), the top-k most similar base objects are retrieved by CLS \
        cosine, each base is turned to face the target's way, and every patch of the object takes \
        the part its nearest base patches (placed in the box) and the bases' own layouts vote for \
        (--method cluster; --clusters N groups the patches by k-means first and labels each \
        cluster as a whole). --method nn is VLPart's \
        parser: one nearest base object, per-patch nearest neighbour, largest component. \
        --method prior is the featureless baseline: the k retrieved base objects' part masks, each \
        mirrored to match the target's silhouette, stretched onto the target's box and voted per \
        pixel (features pick the bases, nothing else). \
        Every method's masks then go through image-guided refinement (--refine-iterations; 0 \
        keeps them as the method made them, e.g. VLPart's parser exactly): boundaries within \
        half a patch of a colour edge move onto it. \
        Labels are written as source=parsed, status=pending, with a score and provenance.
        Work is recorded per object: rerun with --resume RUN after a kill, and run disjoint \
        --shard i/n processes against the same store and --run name to split the work.
        Features come from `vlpart features cache` with the same --model and settings; missing \
        ones are computed and cached on the way.
        """
    )

    @OptionGroup var store: StoreOptions
    @Option(help: "Target dataset to parse (default: every target dataset).")
    var dataset: String?
    @OptionGroup var features: FeatureModelOptions
    @Option(help: "cluster (vlpart), nn (VLPart's parser) or prior (base layouts warped into the box, no correspondence).")
    var method: String = "cluster"
    @Option(help: "Base objects retrieved per target object (nn always uses 1).")
    var k: Int = 3
    @Option(help: "cluster: group each object's patches into this many k-means clusters and label each cluster as a whole (default: none; every patch takes its own vote, which measured best with the shipped backbone).")
    var clusters: Int?
    @Option(help: "cluster: nearest base patches voting for every target patch.")
    var neighbours: Int = 10
    @Option(name: .customLong("position-weight"), help: "cluster: weight of a patch's place in its box next to its descriptor (0: descriptors alone).")
    var positionWeight: Float = 1
    @Option(name: .customLong("prior-weight"), help: "cluster: weight of the bases' own layouts in each patch's vote (0: correspondence alone).")
    var priorWeight: Float = 3
    @Option(name: .customLong("small-part-patches"), help: "cluster: parts the geometric prior finds within this many patches replace the clusters' weaker answer (0: off).")
    var smallPartPatches: Float = 4
    @Option(help: "cluster: how each retrieved base's left-right orientation is decided: learned (front and back learned from every base category with the borrowed parts), features (descriptors agree place by place) or silhouette (mask shape only).")
    var facing: String = Facing.learned.rawValue
    @Option(name: .customLong("refine-iterations"), help: "Image-guided refinement: mean-field iterations that move part boundaries onto the object's colour edges (0: off, keep the parser's masks).")
    var refineIterations: Int = 10
    @Option(name: .customLong("refine-sigma"), help: "Image-guided refinement: colour difference (RGB in 0…1) at which neighbours stop agreeing; smaller follows fainter edges.")
    var refineSigma: Float = 0.06
    @Option(name: .customLong("saliency-threshold"), help: "Foreground cut on saliency for objects without a mask.")
    var saliencyThreshold: Float = 0.05
    @Option(name: .customLong("run"), help: "Name for a new run (default: parse-<id>).")
    var runName: String?
    @Option(help: "Resume this run (name or id): parse its unfinished objects.")
    var resume: String?
    @Option(help: "Process shard i of n (by annotation id), e.g. 0/2; shards of one --run share its work list.")
    var shard: String?
    @Option(help: "Parse at most N objects in this invocation.")
    var limit: Int?
    @Flag(name: .customLong("auto-approve"), help: "Approve every pending borrow proposal before parsing.")
    var autoApprove = false

    func validate() throws {
        guard ParseMethod(rawValue: method) != nil else { throw ValidationError("--method must be cluster, nn or prior, not '\(method)'") }
        guard k > 0, neighbours > 0, (clusters ?? 1) > 0 else { throw ValidationError("--k, --neighbours and --clusters must be positive") }
        guard positionWeight >= 0 else { throw ValidationError("--position-weight must not be negative") }
        guard priorWeight >= 0 else { throw ValidationError("--prior-weight must not be negative") }
        guard smallPartPatches >= 0 else { throw ValidationError("--small-part-patches must not be negative") }
        guard Facing(rawValue: facing) != nil else { throw ValidationError("--facing must be learned, features or silhouette, not '\(facing)'") }
        guard refineIterations >= 0 else { throw ValidationError("--refine-iterations must not be negative") }
        guard refineSigma > 0, refineSigma.isFinite else { throw ValidationError("--refine-sigma must be positive") }
        _ = try shardParts()
    }

    func shardParts() throws -> (Int, Int) {
        guard let shard else { return (0, 1) }
        let p = shard.split(separator: "/").compactMap { Int($0) }
        guard p.count == 2, p[1] > 0, p[0] >= 0, p[0] < p[1] else {
            throw ValidationError("--shard takes i/n with 0 ≤ i < n, e.g. 0/2; got '\(shard)'")
        }
        return (p[0], p[1])
    }

    func run() throws {
        let store = try self.store.open()
        let (shardIndex, shardCount) = try shardParts()
        if autoApprove { _ = try store.approveAllBorrows(minScore: 0) }
        var options = ParseRunOptions()
        options.k = k
        options.parameters.method = ParseMethod(rawValue: method)!
        options.saliencyThreshold = saliencyThreshold
        options.parameters.clusters = clusters
        options.parameters.neighbours = neighbours
        options.parameters.positionWeight = positionWeight
        options.parameters.priorWeight = priorWeight
        options.parameters.smallPartPatches = smallPartPatches
        options.parameters.facing = Facing(rawValue: facing)!
        if refineIterations > 0 {
            var refinement = GuidedRefinement.Settings()
            refinement.iterations = refineIterations
            refinement.sigmaColor = refineSigma
            options.refinement = refinement
        } else {
            options.refinement = nil
        }
        let builder = try features.builder(store: store)
        let cache = builder.cache
        let params = String(decoding: try JSONSerialization.data(withJSONObject: [
            "method": method, "k": k, "clusters": clusters ?? 0, "neighbours": neighbours, "position_weight": Double(positionWeight), "prior_weight": Double(priorWeight), "small_part_patches": Double(smallPartPatches),
            "facing": facing, "refine_iterations": refineIterations, "refine_sigma": Double(refineSigma),
            "settings": cache.settings.key, "model_sha": cache.modelSHA, "dataset": dataset ?? "*",
        ], options: [.sortedKeys]), as: UTF8.self)

        // Plans first: a parse that cannot start leaves no empty run behind.
        let targets = try store.objects(dataset: dataset, role: .target)
        let plans = try BorrowPlan.approved(in: store, targetCategories: Set(targets.map(\.annotation.categoryID)))
        if plans.isEmpty {
            throw ValidationError("no target category has an approved borrowed taxonomy: run `vlpart taxonomy propose` and `vlpart taxonomy review`, or pass --auto-approve")
        }

        // A run: resumed, joined by another shard, or new.
        let runReference: RunReference
        if let resume {
            runReference = try store.run(resume, kind: "parse")
        } else if let runName, shard != nil, let existing = try? store.run(runName, kind: "parse") {
            runReference = existing
        } else {
            runReference = try store.createRun(kind: "parse", name: runName, params: params)
        }
        if runReference.params != params {
            FileHandle.standardError.write(Data("note: run \(runReference.name ?? "\(runReference.id)") was started with \(runReference.params ?? "other settings")\n".utf8))
        }
        try store.addWorkItems(runID: runReference.id, annotationIDs: targets.compactMap(\.annotation.id))
        let runner = ParseRunner(store: store, cache: cache, builder: builder, plans: plans, options: options)
        let progress = ProgressReporter("parse", unit: "obj")
        let stats = try runner.run(runID: runReference.id, shard: shardIndex, shards: shardCount, limit: limit) {
            progress.update($0, of: $1)
        }
        let statsJSON = String(decoding: try JSONEncoder().encode(stats), as: UTF8.self)
        try store.finishRun(id: runReference.id, stats: statsJSON)
        let open = try store.openWorkItems(runID: runReference.id).count
        print("run \(runReference.name ?? "parse-\(runReference.id)") (id \(runReference.id)): parsed \(stats.parsed) objects, "
              + "wrote \(stats.parts) parts; \(stats.noParts) without parts, \(stats.skippedNoTaxonomy) without an approved taxonomy, "
              + "\(stats.failed) failed, \(stats.keptHumanDecisions) kept human decisions"
              + String(format: "; %.1f objects/s", stats.seconds > 0 ? Double(stats.parsed) / stats.seconds : 0))
        if open > 0 { print("\(open) objects still open: rerun with --resume \(runReference.name ?? "\(runReference.id)")") }
    }
}
