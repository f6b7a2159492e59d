import ArgumentParser
import Features
import Foundation
import Store
import Taxonomy

/// `vlpart taxonomy propose`: which base category each target category should borrow parts from.
struct TaxonomyProposeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propose",
        abstract: "Propose, per target object category, a base category whose parts it borrows.",
        discussion: """
        Each target object votes for the categories of its k nearest base (source-role) objects by \
        cosine of their CLS tokens (run `vlpart features cache` first); the MiniLM similarity of the \
        category names is mixed in as a prior with weight --text-weight. The proposed base's part \
        categories are renamed for the target through the taxonomies' synonyms (cat:paw → dog:foot). \
        Proposals are stored as pending; decided ones (see `vlpart taxonomy review`) are never \
        changed by a re-run, only pending ones are refreshed.

        Examples:
          vlpart taxonomy propose
          vlpart taxonomy propose --dataset imagenet-animals --k 10 --json
          vlpart taxonomy propose --no-text --model-sha 3fa9
        """
    )

    @Option(help: "Only this dataset's object categories (default: every target-role dataset).")
    var dataset: String?
    @Option(help: "Nearest base objects each target object votes with.")
    var k = 5
    @Option(name: .customLong("text-weight"), help: "Weight of the category-name text prior, in [0, 1].")
    var textWeight = 0.3
    @Option(name: .customLong("model-sha"), help: ArgumentHelp(
        "Use CLS tokens of this model (a unique prefix); needed when several models' are stored.", valueName: "sha"))
    var modelSHA: String?
    @Flag(name: .customLong("no-text"), help: "Vision only: do not load the text model.")
    var noText = false
    @Option(name: .customLong("text-model"), help: ArgumentHelp("MiniLM model directory (default: located as `vlpart text` does).", valueName: "dir"))
    var textModel: String?
    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @OptionGroup var location: TaxonomyDirectoryOption
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if k < 1 { throw ValidationError("--k must be at least 1") }
        if !(0...1).contains(textWeight) { throw ValidationError("--text-weight must be in [0, 1]") }
    }

    func run() throws {
        let store = try self.store.open()
        let taxonomy = location.synonymTable()
        var similarity: TextSimilarity?
        if !noText {
            do {
                similarity = TextSimilarity(encoder: try TextEncoder(modelDirectory: TextModelLocator.locate(explicit: textModel)))
            } catch {
                note("note: text model unavailable (\(error)); proposing from vision only")
            }
        } else {
            note("note: --no-text: proposing from vision only")
        }
        let options = BorrowProposeOptions(dataset: dataset, k: k, textWeight: textWeight, modelSHA: modelSHA, taxonomy: taxonomy)
        let outcome = try store.proposeBorrows(options, textSimilarity: similarity.map { s in { s.cosine($0, $1) } })
        if !outcome.skippedCategories.isEmpty {
            note("note: no CLS embeddings for \(outcome.skippedCategories.count) target categories: "
                 + outcome.skippedCategories.prefix(10).joined(separator: ", "))
        }
        if json {
            let rows = outcome.results.map { ProposeJSON($0) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            let doc = ProposeDocument(modelSHA: outcome.modelSHA, layer: outcome.layer, text: similarity != nil,
                                      proposals: rows, skipped: outcome.skippedCategories)
            print(String(decoding: try encoder.encode(doc), as: UTF8.self))
            return
        }
        print(alignedTable(["target", "base", "score", "vision", "objects", "runner-up", "status", "action", "parts"],
                           outcome.results.map { r in
            let e = r.entry
            let runner = e.runnerUps.first.map { "\($0.category) \(String(format: "%.3f", $0.score))" } ?? "-"
            return [e.target, e.base, String(format: "%.3f", e.score), String(format: "%.3f", r.proposal.visualShare),
                    "\(r.proposal.objects)", runner, e.status.rawValue, r.action.rawValue, e.targetPartNames.joined(separator: ", ")]
        }))
        note("model \(outcome.modelSHA.prefix(12)) layer \(outcome.layer); review with `vlpart taxonomy review`")
    }
}

/// Cosine of two category names' MiniLM embeddings, each name embedded once.
final class TextSimilarity {
    let encoder: TextEncoder
    private var cache: [String: [Float]] = [:]
    init(encoder: TextEncoder) { self.encoder = encoder }

    func cosine(_ a: String, _ b: String) -> Double {
        let x = vector(a), y = vector(b)
        var dot = 0.0, nx = 0.0, ny = 0.0
        for i in 0..<min(x.count, y.count) {
            dot += Double(x[i] * y[i]); nx += Double(x[i] * x[i]); ny += Double(y[i] * y[i])
        }
        return nx > 0 && ny > 0 ? dot / (nx * ny).squareRoot() : 0
    }

    private func vector(_ name: String) -> [Float] {
        if let v = cache[name] { return v }
        let v = encoder.embedCategoryNames([name]).data
        cache[name] = Array(v)
        return Array(v)
    }
}

extension TaxonomyDirectoryOption {
    /// The taxonomies whose synonyms rename borrowed parts; `nil` (with a note) when they
    /// cannot be loaded, so parts keep the base's names.
    func synonymTable() -> Taxonomy? {
        do {
            return try Taxonomy.loadShipped(directory: resolve())
        } catch {
            note("note: taxonomies not loaded (\(error)); borrowed parts keep the base's part names")
            return nil
        }
    }
}

/// Writes a line to standard error.
func note(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

/// Left-aligned columns separated by two spaces, header first.
func alignedTable(_ header: [String], _ rows: [[String]]) -> String {
    let all = [header] + rows
    let widths = header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
    return all.map { row in
        row.enumerated().map { c, cell in c == row.count - 1 ? cell : cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
            .joined(separator: "  ")
    }.joined(separator: "\n")
}

private struct ProposeJSON: Encodable {
    var target: String, targetCategoryID: Int64, base: String, baseCategoryID: Int64, score: Double
    var visualShare: Double, objects: Int, runnerUp: [BorrowCandidate], status: String, action: String
    var parts: [String], baseParts: [String], decidedAt: Date?
    init(_ r: BorrowProposeResult) {
        let e = r.entry
        target = e.target; targetCategoryID = e.targetCategoryID; base = e.base; baseCategoryID = e.baseCategoryID
        score = e.score; visualShare = r.proposal.visualShare; objects = r.proposal.objects; runnerUp = e.runnerUps
        status = e.status.rawValue; action = r.action.rawValue; parts = e.targetPartNames
        baseParts = e.parts.map { "\(e.base):\($0.basePart)" }; decidedAt = e.decidedAt
    }
    enum CodingKeys: String, CodingKey {
        case target, targetCategoryID = "target_category_id", base, baseCategoryID = "base_category_id", score
        case visualShare = "visual_share", objects, runnerUp = "runner_up", status, action, parts
        case baseParts = "base_parts", decidedAt = "decided_at"
    }
}

private struct ProposeDocument: Encodable {
    var modelSHA: String, layer: Int, text: Bool, proposals: [ProposeJSON], skipped: [String]
    enum CodingKeys: String, CodingKey { case modelSHA = "model_sha", layer, text, proposals, skipped }
}
