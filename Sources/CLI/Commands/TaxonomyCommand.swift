import ArgumentParser
import Foundation
import Taxonomy

/// `vlpart taxonomy …`: the part taxonomies shipped in `taxonomies/` and user files.
///
/// A command group: `list`, `show`, `validate` live here; the store-backed subcommands
/// (`import`, `propose`, `review`, `export`) live in their own TaxonomyXCommand.swift files.
struct TaxonomyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taxonomy",
        abstract: "List, show, validate and import taxonomies; propose, review and export borrowed ones.",
        discussion: """
        A taxonomy file (YAML, format in taxonomies/README.md) lists a dataset's objects and \
        their parts, how the dataset spells part categories ("object:part" or "Object Part"), \
        part synonyms (paw → foot, Body → torso) and, for PASCAL-Part, the base/novel split. \
        vlpart ships pascal_part, partimagenet, paco and vlpart_additional; it finds them in \
        $VLPART_TAXONOMIES, else in a taxonomies/ folder above the executable, else in ./taxonomies.

        Examples:
          vlpart taxonomy list
          vlpart taxonomy show pascal_part
          vlpart taxonomy validate my_parts.yaml
          vlpart taxonomy import taxonomies/pascal_part.yaml
          vlpart taxonomy propose && vlpart taxonomy review && vlpart taxonomy export --out borrowed.yaml
        """,
        subcommands: [TaxonomyListCommand.self, TaxonomyShowCommand.self, TaxonomyValidateCommand.self,
                      TaxonomyImportCommand.self, TaxonomyProposeCommand.self, TaxonomyReviewCommand.self,
                      TaxonomyExportCommand.self]
    )
}

/// Where to look for shipped taxonomies; shared by the subcommands.
struct TaxonomyDirectoryOption: ParsableArguments {
    @Option(name: .customLong("taxonomies"),
            help: ArgumentHelp("Directory of taxonomy YAML files (default: the shipped ones).", valueName: "DIR"))
    var directory: String?

    func resolve() throws -> URL {
        try directory.map { URL(fileURLWithPath: $0) } ?? TaxonomyDirectory.locate()
    }
}

struct TaxonomyListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the shipped taxonomies with their object and part counts."
    )

    @OptionGroup var location: TaxonomyDirectoryOption

    func run() throws {
        let directory = try location.resolve()
        let taxonomy = try Taxonomy.loadShipped(directory: directory)
        print(TaxonomyReport.list(taxonomy, directory: directory.path))
    }
}

struct TaxonomyShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one taxonomy: its objects, parts (normalised), synonyms and split.",
        discussion: "NAME is a taxonomy name from `vlpart taxonomy list` or a path to a YAML file."
    )

    @Argument(help: "Taxonomy name (e.g. pascal_part) or YAML file path.")
    var name: String

    @OptionGroup var location: TaxonomyDirectoryOption

    func run() throws {
        let file: TaxonomyFile
        if name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.contains("/") {
            file = try TaxonomyFile.load(path: name)
        } else {
            file = try Taxonomy.loadShippedFile(named: name, directory: location.resolve())
        }
        print(TaxonomyReport.show(file))
    }
}

struct TaxonomyValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check taxonomy files; print a summary or the first error with its line.",
        discussion: """
        Checks YAML syntax, required keys, empty objects, duplicate objects and parts, synonyms \
        whose aliases no object has or that merge two parts, and split objects that do not \
        exist. Several files are also checked for clashing names. Exits non-zero on the first error.
        """
    )

    @Argument(help: "Taxonomy YAML files.")
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Give at least one taxonomy file.") }
    }

    func run() throws {
        let loaded = try files.map(TaxonomyFile.load(path:))
        _ = try Taxonomy(files: loaded)
        for file in loaded {
            print("\(file.path): ok — \(file.name), \(file.objects.count) objects, \(file.partCount) parts, "
                  + "\(file.synonyms.count) synonym rules")
        }
    }
}
