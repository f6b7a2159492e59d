import ArgumentParser
import Foundation
import Parsing
import Store

/// `vlpart probe`: do a model's patch descriptors know parts? k-NN probes, no training.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Measure how well a ViT's patch descriptors separate parts (k-NN probes on the store's objects).",
        discussion: """
        Within category: the base objects of each source category with parts are split (every \
        --hold-out-every-th object, in id order, is held out); each held-out part patch takes the \
        similarity-weighted majority part of its --neighbours nearest part patches of the other \
        objects. Transfer: each novel object with an approved borrowed taxonomy has its ground-truth \
        part patches (from --gt, e.g. target_gt.json) labelled from the part patches of its --k \
        nearest base objects (CLS cosine within the borrowed categories). Accuracies are shares of \
        part patches labelled right. Features come from the cache of `vlpart features cache` for \
        the same --model and settings, computed on the way when missing. Compare checkpoints:
          vlpart pretrain --arch nano --epochs 0 --out random.safetensors
          vlpart probe --model random.safetensors --size 64 --gt data/target_gt.json
          vlpart probe --model nano.safetensors --size 64 --gt data/target_gt.json
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var features: FeatureModelOptions
    @Option(help: "Ground truth of the novel objects' parts (COCO/PACO JSON, part categories object:part).")
    var gt: String
    @Option(help: "Target dataset whose objects are probed for transfer (default: every target dataset).")
    var dataset: String?
    @Option(help: "Nearest part patches voting per patch.")
    var neighbours = 5
    @Option(help: "Base objects retrieved per novel object for transfer.")
    var k = 3
    @Option(name: .customLong("hold-out-every"), help: "Hold out every n-th base object of a category (n ≥ 2).")
    var holdOutEvery = 5
    @Flag(help: "Print JSON: {\"within_accuracy\", \"transfer_accuracy\", ...} in percent.")
    var json = false

    func validate() throws {
        guard neighbours > 0, k > 0 else { throw ValidationError("--neighbours and --k must be positive") }
        guard holdOutEvery >= 2 else { throw ValidationError("--hold-out-every must be at least 2") }
    }

    func run() throws {
        let store = try self.store.open()
        let document = try COCODocument.read(path: gt)
        let builder = try features.builder(store: store)
        let runner = PartProbeRunner(store: store, cache: builder.cache, builder: builder)
        runner.neighbours = neighbours
        runner.retrieved = k
        runner.heldOutEvery = holdOutEvery
        var report = ProbeReport()
        try runner.within(into: &report) { FileHandle.standardError.write(Data("probe: within \($0) done\n".utf8)) }
        let targets = try store.objects(dataset: dataset, role: .target)
        let plans = try BorrowPlan.approved(in: store, targetCategories: Set(targets.map(\.annotation.categoryID)))
        let progress = ProgressReporter("probe transfer", unit: "obj")
        try runner.transfer(groundTruth: document, path: gt, plans: plans, dataset: dataset, into: &report) {
            progress.update($0, of: $1)
        }
        if json {
            struct Output: Encodable {
                let within_accuracy, transfer_accuracy: Double
                let within_patches, transfer_patches, bank_objects, held_out_objects, novel_objects: Int
                let skipped_no_taxonomy, unmatched: Int
                let within_by_category: [String: Double]
                let model, settings: String
            }
            let out = Output(within_accuracy: report.within.accuracy, transfer_accuracy: report.transfer.accuracy,
                             within_patches: report.within.total, transfer_patches: report.transfer.total,
                             bank_objects: report.bankObjects, held_out_objects: report.heldOutObjects,
                             novel_objects: report.novelObjects, skipped_no_taxonomy: report.skippedNoTaxonomy,
                             unmatched: report.unmatched, within_by_category: report.withinByCategory.mapValues(\.accuracy),
                             model: features.model, settings: builder.cache.settings.key)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(out), as: UTF8.self))
            return
        }
        for (name, t) in report.withinByCategory.sorted(by: { $0.key < $1.key }) {
            print(name.padding(toLength: 16, withPad: " ", startingAt: 0) + String(format: "%6.1f%%  (%d patches)", t.accuracy, t.total))
        }
        print(String(format: "within-category accuracy %.1f%% (%d held-out part patches of %d objects; bank %d objects)",
                     report.within.accuracy, report.within.total, report.heldOutObjects, report.bankObjects))
        print(String(format: "transfer accuracy %.1f%% (%d part patches of %d novel objects; %d without a taxonomy, %d unmatched)",
                     report.transfer.accuracy, report.transfer.total, report.novelObjects, report.skippedNoTaxonomy, report.unmatched))
        if plans.isEmpty { print("note: no approved borrowed taxonomy; run `vlpart taxonomy propose` and `review` for transfer") }
    }
}
