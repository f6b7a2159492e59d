import Foundation
import GRDB
import Imaging

/// Imports ImageNet-style class folders `ROOT/<class>/*.{jpg,jpeg,png}`: one image label per
/// image and one whole-image object annotation whose provenance says `"foreground": "saliency"`,
/// so parsing finds the object with ViT saliency instead of a mask.
final class ClassFolderImporter {
    /// The images found, sorted, and a digest of their names and sizes (the folder's "content").
    struct Listing {
        var images: [(className: String, fileName: String)]
        var digest: String
    }

    let db: Database
    let options: ImportOptions
    let datasetID: Int64
    let classMap: [String: String]
    var report: ImportReport
    private var categories = CategoryRegistry()

    init(db: Database, options: ImportOptions, datasetID: Int64, classMap: [String: String]) {
        self.db = db; self.options = options; self.datasetID = datasetID; self.classMap = classMap
        report = ImportReport(dataset: options.dataset)
    }

    /// Lists `root`'s class folders and their images (extensions `jpg`, `jpeg`, `png`, any case).
    static func listing(root: String) throws -> Listing {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StoreError.unreadable(file: root, reason: "not a folder of class folders")
        }
        var images: [(String, String)] = []
        var hasher = SHA256()
        for className in try fm.contentsOfDirectory(atPath: root).sorted() where !className.hasPrefix(".") {
            let classPath = (root as NSString).appendingPathComponent(className)
            guard fm.fileExists(atPath: classPath, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            for name in try fm.contentsOfDirectory(atPath: classPath).sorted() {
                let ext = (name as NSString).pathExtension.lowercased()
                guard ["jpg", "jpeg", "png"].contains(ext) else { continue }
                let relative = "\(className)/\(name)"
                let size = (try? fm.attributesOfItem(atPath: (classPath as NSString).appendingPathComponent(name))[.size]
                    as? NSNumber)?.int64Value ?? -1
                hasher.update(Array("\(relative)\t\(size)\n".utf8))
                images.append((className, relative))
            }
        }
        return Listing(images: images, digest: hasher.finalizeHex())
    }

    func run(_ listing: Listing) throws {
        let provenance = #"{"foreground":"saliency","whole_image":true}"#
        for (index, entry) in listing.images.enumerated() {
            let path = URL(fileURLWithPath: options.imagesRoot).appendingPathComponent(entry.fileName).path
            let width: Int, height: Int
            switch ImageHeader.read(path: path) {
            case .missing:
                report.record(.missingImageFile, path)
                continue
            case let .undecodable(reason):
                report.record(.undecodableImage, "\(entry.fileName): \(reason)")
                continue
            case let .size(w, h):
                width = w; height = h
            }
            let label = classMap[entry.className] ?? entry.className
            let category = try categories.ensure(db, level: .object, name: CategoryNaming.normalise(label))
            try categories.link(db, datasetID: datasetID, categoryID: category, sourceID: nil,
                                sourceName: entry.className, exportName: label, supercategory: nil)
            try db.execute(sql: "INSERT INTO image (dataset_id, file_name, width, height) VALUES (?, ?, ?, ?)",
                           arguments: [datasetID, entry.fileName, width, height])
            let imageID = db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO image_label (image_id, category_id, source, status) VALUES (?, ?, 'gold', 'accepted')",
                           arguments: [imageID, category])
            let box = [0, 0, Double(width), Double(height)]
            let rle = RLE.fromBox(box, width: width, height: height)
            try db.execute(sql: """
                INSERT INTO annotation (image_id, category_id, level, bbox_x, bbox_y, bbox_w, bbox_h, rle, area,
                  iscrowd, source, status, provenance)
                VALUES (?, ?, 'object', 0, 0, ?, ?, ?, ?, 0, 'gold', 'accepted', ?)
                """, arguments: [imageID, category, width, height, rle.compressed, Double(width * height), provenance])
            report.images += 1
            report.imageLabels += 1
            report.objects += 1
            if (index + 1) % 10_000 == 0 { options.progress?("\(options.dataset): \(index + 1) images") }
        }
    }
}
