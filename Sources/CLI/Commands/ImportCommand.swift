import ArgumentParser
import Foundation
import Store

/// `vlpart import FORMAT FILE`: reads a dataset into the store.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a dataset: COCO, PACO, PartImageNet, PASCAL-Part (VLPart JSON) or class folders.",
        discussion: """
        Formats:
          coco          COCO instances: polygons, RLE strings, uncompressed counts, iscrowd
          paco          PACO: parts link to objects by obj_ann_id; part categories object:part
          partimagenet  categories like "Quadruped Head"; each image's object is the union of its parts;
                        the synset folder of file_name becomes the image label
          pascal-part   VLPart's pascal_part_mat2json output; true mask areas replace box areas
          folder        FILE is a folder of class folders (DIR/<class>/*.jpg): one image label and one
                        whole-image object per image, found later by saliency
        The import is one transaction: on any error the store is unchanged. Importing the same file \
        again does nothing; another file under an existing --dataset name needs --replace.
        Problems (missing images, wrong sizes, unknown ids, empty masks) are counted and the first \
        few printed; --strict makes them fatal.
        Example: vlpart import paco paco_lvis_v1_val.json --images coco/ --dataset paco --role source
        """
    )

    @Argument(help: "coco, paco, partimagenet, pascal-part or folder.")
    var format: ImportFormat
    @Argument(help: "The JSON file (for folder: the folder of class folders).")
    var file: String
    @Option(help: "The folder image file_names are relative to (default for folder: FILE).")
    var images: String?
    @Option(help: "A unique name for the dataset.")
    var dataset: String
    @Option(help: "source (has parts) or target (to be parsed).")
    var role: DatasetRole
    @Flag(help: "Replace an existing dataset of this name.")
    var replace = false
    @Flag(help: "Fail (and change nothing) on any validation problem.")
    var strict = false
    @Option(name: .customLong("class-map"), help: "A file of 'n02085620 dog' lines naming class folders or synsets.")
    var classMap: String?
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if format != .folder && images == nil { throw ValidationError("--images is required for \(format.rawValue)") }
    }

    func run() throws {
        let opened = try store.open(create: true)
        let options = ImportOptions(format: format, file: file, imagesRoot: images ?? file, dataset: dataset, role: role,
                                    replace: replace, strict: strict, classMapFile: classMap,
                                    progress: { line in FileHandle.standardError.write(Data("\(line)\n".utf8)) })
        let report = try opened.importDataset(options)
        if report.unchanged {
            print("\(dataset): \(file) is already imported; nothing changed")
            return
        }
        var counts = "\(report.images) images, \(report.objects) objects, \(report.parts) parts"
        if report.derivedObjects > 0 { counts += " (\(report.derivedObjects) objects derived from parts)" }
        if report.imageLabels > 0 { counts += ", \(report.imageLabels) image labels" }
        print("\(dataset): imported \(counts), \(report.categories) categories")
        if !report.ignoredSections.isEmpty { print("ignored sections: \(report.ignoredSections.joined(separator: ", "))") }
        print("problems: \(report.issueSummary)")
        for example in report.examples { print("  \(example)") }
    }
}
