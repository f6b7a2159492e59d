import Foundation
import GRDB
import Imaging
import Store
import TestSupport

/// A small store for review tests, built record by record with known scores:
///
/// - dataset `src` (source): one 64×48 image holding one `cat` object with gold parts
///   `cat:head` (top half of its box) and `cat:leg` (bottom half);
/// - dataset `tgt` (target): `objects.count` objects, one per 48×40 image, of the categories
///   given (names are stored as given, so a name can carry HTML to test escaping);
/// - an approved borrow of every target category from `cat` (head ← head, leg ← leg);
/// - parse run `r1` with two parsed parts per object (scores from `scores`), provenance naming
///   the base object; parse run `r2` (newer) with one part on the first object.
struct ReviewFixture {
    let folder: URL
    let store: Store
    let baseObjectID: Int64
    /// Target object ids, in the order given.
    var objectIDs: [Int64] = []
    /// Part label ids of run r1, per target object, in the order given.
    var partIDs: [[Int64]] = []
    /// The r2 label.
    var otherRunPartID: Int64 = 0
    let headColor = Palette.color(0)

    /// - Parameters:
    ///   - objects: (category name, head score, leg score) per target object.
    init(objects: [(category: String, head: Double, leg: Double)]) throws {
        folder = try makeTemporaryDirectory("vlpart-review")
        let images = folder.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        store = try Store(path: folder.appendingPathComponent("review.sqlite").path, create: true)
        try Self.texture(width: 64, height: 48, seed: 1).writePNG(path: images.appendingPathComponent("src.png").path)
        let base = try store.write { db -> (Int64, Int64, Int64, Int64) in
            var source = Dataset(name: "src", role: .source, format: "paco", root: images.path)
            try source.insert(db)
            var image = ImageRecord(datasetID: source.id!, fileName: "src.png", width: 64, height: 48)
            try image.insert(db)
            var cat = Category(level: .object, name: "cat")
            try cat.insert(db)
            var head = Category(level: .part, name: "cat:head", objectCategoryID: cat.id, partName: "head")
            try head.insert(db)
            var leg = Category(level: .part, name: "cat:leg", objectCategoryID: cat.id, partName: "leg")
            try leg.insert(db)
            var object = Self.annotation(image: image.id!, category: cat.id!, box: (8, 6, 40, 36), source: .gold, size: (64, 48))
            try object.insert(db)
            var top = Self.annotation(image: image.id!, category: head.id!, box: (8, 6, 40, 18), source: .gold, parent: object.id,
                                      size: (64, 48))
            try top.insert(db)
            var bottom = Self.annotation(image: image.id!, category: leg.id!, box: (8, 24, 40, 18), source: .gold, parent: object.id,
                                         size: (64, 48))
            try bottom.insert(db)
            return (object.id!, cat.id!, head.id!, leg.id!)
        }
        baseObjectID = base.0
        let r1 = try store.createRun(kind: "parse", name: "r1", params: "{\"method\":\"cluster\"}")
        let provenance = "{\"bases\":[\(base.0)],\"method\":\"cluster\",\"similarities\":[0.875]}"
        var categories: [String: (object: Int64, head: Int64, leg: Int64)] = [:]
        for (n, spec) in objects.enumerated() {
            let file = "t\(n).png"
            try Self.texture(width: 48, height: 40, seed: UInt64(n + 2)).writePNG(path: images.appendingPathComponent(file).path)
            let ids = try store.write { db -> (Int64, Int64, Int64, Int64) in
                var target = try Dataset.filter(Column("name") == "tgt").fetchOne(db)
                if target == nil {
                    var d = Dataset(name: "tgt", role: .target, format: "coco", root: images.path)
                    try d.insert(db)
                    target = d
                }
                var image = ImageRecord(datasetID: target!.id!, fileName: file, width: 48, height: 40)
                try image.insert(db)
                if categories[spec.category] == nil {
                    var c = Category(level: .object, name: spec.category)
                    try c.insert(db)
                    var h = Category(level: .part, name: "\(spec.category):head", objectCategoryID: c.id, partName: "head")
                    try h.insert(db)
                    var l = Category(level: .part, name: "\(spec.category):leg", objectCategoryID: c.id, partName: "leg")
                    try l.insert(db)
                    categories[spec.category] = (c.id!, h.id!, l.id!)
                    let parts = "[{\"base_category_id\":\(base.2),\"base_part\":\"head\",\"name\":\"head\"},"
                        + "{\"base_category_id\":\(base.3),\"base_part\":\"leg\",\"name\":\"leg\"}]"
                    var borrow = Borrow(targetCategoryID: c.id!, baseCategoryID: base.1, score: 0.75,
                                        runnerUp: "[{\"category\":\"horse\",\"category_id\":99,\"score\":0.25}]",
                                        status: .approved, parts: parts)
                    try borrow.insert(db)
                }
                let c = categories[spec.category]!
                var object = Self.annotation(image: image.id!, category: c.object, box: (6, 5, 36, 30), source: .gold)
                try object.insert(db)
                return (image.id!, object.id!, c.head, c.leg)
            }
            let head = Self.annotation(image: ids.0, category: ids.2, box: (6, 5, 36, 15), source: .parsed, parent: ids.1,
                                       score: spec.head, run: r1.id, provenance: provenance)
            let leg = Self.annotation(image: ids.0, category: ids.3, box: (6, 20, 36, 15), source: .parsed, parent: ids.1,
                                      score: spec.leg, run: r1.id, provenance: provenance)
            _ = try store.upsertParsed([head, leg])
            objectIDs.append(ids.1)
            partIDs.append(try store.read { db in
                try Int64.fetchAll(db, sql: "SELECT id FROM annotation WHERE parent_id = ? AND run_id = ? ORDER BY category_id",
                                   arguments: [ids.1, r1.id])
            })
        }
        let r2 = try store.createRun(kind: "parse", name: "r2", params: nil)
        if let first = objectIDs.first {
            otherRunPartID = try store.write { db in
                let object = try Annotation.fetchOne(db, key: first)!
                // A part category of its own, so upsertParsed does not replace r1's label.
                var c = Category(level: .part, name: "other:tail", objectCategoryID: object.categoryID, partName: "tail")
                try c.insert(db)
                var a = Self.annotation(image: object.imageID, category: c.id!, box: (6, 5, 10, 10), source: .parsed,
                                        parent: first, score: 0.5, run: r2.id, provenance: provenance)
                try a.insert(db)
                return a.id!
            }
        }
    }

    /// A rectangle annotation `(x, y, w, h)` on a `size` image (64×48 source, 48×40 target).
    static func annotation(image: Int64, category: Int64, box: (Int, Int, Int, Int), source: LabelSource, parent: Int64? = nil,
                           score: Double? = nil, run: Int64? = nil, provenance: String? = nil,
                           size: (Int, Int) = (48, 40)) -> Annotation {
        let (w, h) = size
        let mask = Mask(width: w, height: h) { x, y in x >= box.0 && x < box.0 + box.2 && y >= box.1 && y < box.1 + box.3 }
        let rle = RLE(mask: mask)
        return Annotation(imageID: image, categoryID: category, level: parent == nil ? .object : .part, parentID: parent,
                          bbox: rle.bbox, rle: rle.compressed, area: Double(rle.area), score: score, source: source,
                          runID: run, status: .pending, provenance: provenance)
    }

    /// A gray-ish seeded noise picture, so crops are not blank.
    static func texture(width: Int, height: Int, seed: UInt64) -> Image {
        var rng = SplitMix64(seed: seed)
        var image = Image(width: width, height: height, channels: 3)
        for i in 0..<image.pixels.count { image.pixels[i] = UInt8(80 + rng.next() % 96) }
        return image
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
