import Foundation
import GRDB

/// What `vlpart export coco` writes.
public struct ExportOptions: Sendable {
    /// Only this dataset's images; `nil` exports every dataset.
    public var dataset: String?
    /// Label sources to include (default: all).
    public var sources: [LabelSource]?
    /// Review states to include (default: accepted and pending; rejected labels stay out).
    public var statuses: [LabelStatus]
    /// Only labels written by this run.
    public var runID: Int64?

    public init(dataset: String? = nil, sources: [LabelSource]? = nil,
                statuses: [LabelStatus] = [.accepted, .pending], runID: Int64? = nil) {
        self.dataset = dataset; self.sources = sources; self.statuses = statuses; self.runID = runID
    }
}

/// Counts of what an export wrote.
public struct ExportSummary: Sendable, Equatable, Codable {
    public var images = 0
    public var categories = 0
    public var objects = 0
    public var parts = 0
}

extension Store {
    /// Writes COCO instances (PACO style) to `path`, atomically, from one consistent snapshot.
    ///
    /// Masks are compressed RLE copied from the store (so they decode bit for bit as imported);
    /// part categories are named `object:part` with `supercategory` `PART`, objects have
    /// `OBJECT`; parts link to their object with `obj_ann_id` and objects to themselves; labels
    /// with a score carry it; a `vlpart` section gives datasets, runs and label origins.
    /// Exporting one dataset keeps its own image, category and annotation ids and its category
    /// spelling; exporting several uses the store's ids and normalised names.
    ///
    /// - Throws: ``StoreError/unknownDataset(name:)``, ``StoreError/unwritable(file:reason:)``.
    @discardableResult
    public func exportCOCO(to path: String, options: ExportOptions = ExportOptions(), version: String = "") throws -> ExportSummary {
        try read { db in
            var datasets = try Dataset.order(Column("id")).fetchAll(db)
            if let name = options.dataset {
                datasets = datasets.filter { $0.name == name }
                if datasets.isEmpty { throw StoreError.unknownDataset(name: name) }
            }
            let single = options.dataset != nil ? datasets.first?.id : nil
            let filter = LabelFilter(dataset: options.dataset, runID: options.runID, sources: options.sources,
                                     statuses: options.statuses)
            let (condition, arguments) = filter.whereClause()
            let ids = ExportIDs()
            var summary = ExportSummary()
            let w = try COCOWriter(path: path)
            w.beginObject()
            w.beginObject("info")
            w.string("description", "vlpart export"); w.string("version", version)
            w.endObject()

            // Images of the selected datasets.
            let datasetIDs = "[" + datasets.compactMap(\.id).map(String.init).joined(separator: ",") + "]"
            let imageRows = try Row.fetchCursor(db, sql: """
                SELECT id, file_name, width, height, source_id FROM image
                WHERE dataset_id IN (SELECT value FROM json_each(?)) ORDER BY id
                """, arguments: [datasetIDs])
            var images: [(Int64, String, Int, Int, Int64?)] = []
            while let row = try imageRows.next() { images.append((row[0], row[1], row[2], row[3], row[4])) }
            ids.assign(images.map { ($0.0, single != nil ? $0.4 : nil) }, into: \.images)
            w.beginArray("images")
            for image in images {
                w.image(COCOImage(id: ids.images[image.0] ?? image.0, fileName: image.1, width: image.2, height: image.3))
                summary.images += 1
            }
            w.endArray()

            // Categories used by the selected labels and image labels, plus parts' objects.
            let used = try Int64.fetchSet(db, sql: """
                SELECT DISTINCT a.category_id \(LabelFilter.fromClause) WHERE \(condition)
                UNION SELECT object_category_id FROM category WHERE id IN
                  (SELECT DISTINCT a.category_id \(LabelFilter.fromClause) WHERE \(condition)) AND object_category_id IS NOT NULL
                UNION SELECT l.category_id FROM image_label l JOIN image i ON i.id = l.image_id
                  WHERE i.dataset_id IN (SELECT value FROM json_each(?)) AND l.status <> 'rejected'
                """, arguments: arguments + arguments + [datasetIDs])
            let categories = try Category.filter(keys: used).order(Column("id")).fetchAll(db)
            var spelling: [Int64: DatasetCategory] = [:]
            if let single {
                for dc in try DatasetCategory.filter(Column("dataset_id") == single).fetchAll(db) { spelling[dc.categoryID] = dc }
            }
            ids.assign(categories.map { ($0.id ?? 0, spelling[$0.id ?? 0]?.sourceID) }, into: \.categories)
            let byID = Dictionary(uniqueKeysWithValues: categories.map { ($0.id ?? 0, $0) })
            w.beginArray("categories")
            for category in categories {
                let id = category.id ?? 0
                var name = spelling[id]?.exportName ?? category.name
                if category.level == .part, spelling[id] == nil, let object = category.objectCategoryID,
                   let objectName = spelling[object]?.exportName ?? byID[object]?.name, let part = category.partName {
                    name = "\(objectName):\(part)"
                }
                w.category(COCOCategory(id: ids.categories[id] ?? id, name: name,
                                        supercategory: category.level == .part ? "PART" : "OBJECT"))
                summary.categories += 1
            }
            w.endArray()

            try writeImageLabels(db, w, ids: ids, datasetIDs: datasetIDs)
            let labels = try writeAnnotations(db, w, ids: ids, single: single != nil, condition: condition,
                                              arguments: arguments, summary: &summary)
            try w.vlpartSection(try provenanceSection(db, datasets: datasets, options: options, version: version, labels: labels))
            w.endObject()
            try w.finish()
            return summary
        }
    }

    private func writeImageLabels(_ db: Database, _ w: COCOWriter, ids: ExportIDs, datasetIDs: String) throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT l.image_id, l.category_id, l.score FROM image_label l JOIN image i ON i.id = l.image_id
            WHERE i.dataset_id IN (SELECT value FROM json_each(?)) AND l.status <> 'rejected' ORDER BY l.id
            """, arguments: [datasetIDs])
        w.beginArray("image_labels")
        while let row = try rows.next() {
            let imageID: Int64 = row[0], categoryID: Int64 = row[1], score: Double? = row[2]
            w.beginObject()
            w.int("image_id", ids.images[imageID] ?? imageID); w.int("category_id", ids.categories[categoryID] ?? categoryID)
            if let score { w.number("score", score) }
            w.endObject()
        }
        w.endArray()
    }

    /// Streams the annotations; returns the origin entries for the `vlpart` section.
    private func writeAnnotations(_ db: Database, _ w: COCOWriter, ids: ExportIDs, single: Bool, condition: String,
                                  arguments: StatementArguments, summary: inout ExportSummary) throws -> [VLPartSection.LabelEntry] {
        // Ids first, so parts can point at objects and kept source ids never collide.
        let idRows = try Row.fetchAll(db, sql: "SELECT a.id, a.source_id \(LabelFilter.fromClause) WHERE \(condition) ORDER BY a.id",
                                      arguments: arguments)
        ids.assign(idRows.map { ($0[0], single ? $0[1] : nil) }, into: \.annotations)
        var labels: [VLPartSection.LabelEntry] = []
        let rows = try Row.fetchCursor(db, sql: """
            SELECT a.id, a.image_id, a.category_id, a.level, a.parent_id, a.bbox_x, a.bbox_y, a.bbox_w, a.bbox_h, a.rle,
              a.area, a.iscrowd, a.score, a.source, a.status, a.run_id, a.provenance, i.width, i.height
            \(LabelFilter.fromClause) WHERE \(condition) ORDER BY a.id
            """, arguments: arguments)
        w.beginArray("annotations")
        while let row = try rows.next() {
            let id: Int64 = row[0], imageID: Int64 = row[1], categoryID: Int64 = row[2]
            let isObject = (row[3] as String) == Level.object.rawValue
            let parentID: Int64? = row[4]
            let exportID = ids.annotations[id] ?? id
            let objAnnID = isObject ? exportID : parentID.flatMap { ids.annotations[$0] }
            let source: String = row[13], status: String = row[14], provenance: String? = row[16]
            w.annotation(COCOAnnotation(
                id: exportID, imageID: ids.images[imageID] ?? imageID, categoryID: ids.categories[categoryID] ?? categoryID,
                bbox: [row[5], row[6], row[7], row[8]], area: row[10], iscrowd: (row[11] as Bool) ? 1 : 0,
                segmentation: .compressedRLE(counts: row[9], width: row[17], height: row[18]),
                objAnnID: objAnnID, score: row[12]))
            if isObject { summary.objects += 1 } else { summary.parts += 1 }
            if source != LabelSource.gold.rawValue || status != LabelStatus.accepted.rawValue || provenance != nil {
                labels.append(.init(annotationID: exportID, source: source, status: status, runID: row[15], provenance: provenance))
            }
            try w.flushIfNeeded()
        }
        w.endArray()
        return labels
    }

    private func provenanceSection(_ db: Database, datasets: [Dataset], options: ExportOptions, version: String,
                                   labels: [VLPartSection.LabelEntry]) throws -> VLPartSection {
        var filters: [String: String] = ["status": options.statuses.map(\.rawValue).joined(separator: ",")]
        if let d = options.dataset { filters["dataset"] = d }
        if let s = options.sources { filters["source"] = s.map(\.rawValue).joined(separator: ",") }
        if let r = options.runID { filters["run"] = String(r) }
        let runIDs = Set(labels.compactMap(\.runID))
        let runs = try Run.filter(keys: runIDs).order(Column("id")).fetchAll(db)
        return VLPartSection(
            version: version, exportedAt: ISO8601DateFormatter().string(from: Date()), filters: filters,
            datasets: datasets.map { .init(name: $0.name, role: $0.role.rawValue, format: $0.format, root: $0.root) },
            runs: runs.map { .init(id: $0.id ?? 0, kind: $0.kind, status: $0.status.rawValue, params: $0.params) },
            labels: labels)
    }
}

/// Export ids: a dataset's own ids where it has them (single-dataset export), new ids above
/// the largest kept one otherwise.
final class ExportIDs {
    var images: [Int64: Int64] = [:]
    var categories: [Int64: Int64] = [:]
    var annotations: [Int64: Int64] = [:]

    func assign(_ pairs: [(storeID: Int64, kept: Int64?)], into table: ReferenceWritableKeyPath<ExportIDs, [Int64: Int64]>) {
        var used = Set<Int64>()
        var map: [Int64: Int64] = [:]
        map.reserveCapacity(pairs.count)
        for pair in pairs {
            if let kept = pair.kept, used.insert(kept).inserted { map[pair.storeID] = kept }
        }
        var next = (used.max() ?? 0) + 1
        for pair in pairs where map[pair.storeID] == nil {
            if used.isEmpty { map[pair.storeID] = pair.storeID; continue }
            map[pair.storeID] = next
            next += 1
        }
        self[keyPath: table] = map
    }
}
