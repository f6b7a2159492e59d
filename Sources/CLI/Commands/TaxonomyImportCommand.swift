import ArgumentParser
import Foundation
import Store
import Taxonomy

/// `vlpart taxonomy import FILE`: store a taxonomy YAML file.
struct TaxonomyImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Store a taxonomy YAML file (objects and their parts) in the store.",
        discussion: """
        The file is validated first (errors name the file and line). Object categories the store \
        lacks are created; parts are stored under their canonical names after the file's synonyms \
        (paw → foot). Importing the same file again changes nothing; a changed file with the same \
        taxonomy name replaces the stored parts.

        Examples:
          vlpart taxonomy import taxonomies/pascal_part.yaml
          vlpart taxonomy import my_parts.yaml --db project.sqlite
        """
    )

    @Argument(help: "The taxonomy YAML file.")
    var file: String

    @OptionGroup var store: StoreOptions

    func run() throws {
        let taxonomy = try TaxonomyFile.load(path: file)
        let result = try store.open().importTaxonomy(taxonomy)
        print("\(file): \(result.action.rawValue) taxonomy '\(result.name)' (id \(result.taxonomyID)): "
              + "\(result.objects) objects (\(result.newObjectCategories) new categories), \(result.parts) parts")
    }
}
