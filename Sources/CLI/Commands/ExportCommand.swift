import ArgumentParser
import Store

/// `vlpart export coco OUT.json`: writes labels out as COCO/PACO JSON.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export labels from the store.",
        subcommands: [ExportCOCOCommand.self]
    )
}

/// `vlpart export coco`.
struct ExportCOCOCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coco",
        abstract: "Write COCO instances, PACO style: compressed RLE, object:part categories, obj_ann_id links.",
        discussion: """
        Part categories are named object:part with supercategory PART (objects: OBJECT); parts point \
        at their object with obj_ann_id and objects at themselves; generated labels carry score; a \
        "vlpart" section records datasets, runs and each generated label's provenance. Exporting one \
        --dataset keeps its own ids and spelling, so an imported PACO file comes back mask for mask.
        Example: vlpart export coco parsed.json --dataset imagenet --source parsed --status accepted
        """
    )

    @Argument(help: "The JSON file to write (written atomically).")
    var output: String
    @Option(help: "Only this dataset (default: all).")
    var dataset: String?
    @Option(help: "Comma-separated sources to include: gold, parsed, predicted, manual (default: all).")
    var source: String?
    @Option(help: "Comma-separated statuses to include (default: accepted,pending).")
    var status = "accepted,pending"
    @Option(name: .customLong("run"), help: "Only labels written by this run id.")
    var runID: Int64?
    @OptionGroup var store: StoreOptions

    func run() throws {
        let options = ExportOptions(dataset: dataset, sources: try source.map { try parseList($0, "--source") },
                                    statuses: try parseList(status, "--status"), runID: runID)
        let summary = try store.open().exportCOCO(to: output, options: options, version: VLPart.version)
        print("\(output): \(summary.images) images, \(summary.categories) categories, \(summary.objects) objects, \(summary.parts) parts")
    }
}
