import ArgumentParser
import Foundation
import Store
import Taxonomy

/// `vlpart taxonomy export`: approved borrowed taxonomies as a taxonomy YAML file.
struct TaxonomyExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the approved borrowed taxonomies as a taxonomy YAML file.",
        discussion: """
        Every approved or edited proposal becomes one object with its borrowed parts, in the \
        taxonomies/ format (naming "object:part"); the file passes `vlpart taxonomy validate`.

        Example:
          vlpart taxonomy export --out borrowed.yaml --name imagenet_borrowed
        """
    )

    @Option(help: ArgumentHelp("The YAML file to write.", valueName: "file.yaml"))
    var out: String
    @Option(help: "The taxonomy's name inside the file.")
    var name = "borrowed"

    @OptionGroup var store: StoreOptions

    func run() throws {
        let count = try store.open().exportBorrowedTaxonomy(to: out, name: name)
        if count == 0 {
            note("\(out): nothing approved to export; decide proposals with `vlpart taxonomy review` first")
            throw ExitCode.failure
        }
        print("\(out): \(count) borrowed taxonomies")
    }
}
