import Foundation
import GRDB

/// One object or part mask on an image, with its origin and review state.
///
/// The mask is stored as COCO compressed RLE counts (column-major, pycocotools' string form)
/// at the image's size; `bbox` is `[x, y, width, height]` in pixels.
///
/// ```swift
/// let parts = try store.read { db in
///     try Annotation.filter(Column("parent_id") == objectID).fetchAll(db)
/// }
/// ```
public struct Annotation: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "annotation"
    public var id: Int64?
    public var imageID: Int64
    public var categoryID: Int64
    public var level: Level
    /// For parts: the object annotation the part belongs to.
    public var parentID: Int64?
    /// Box in pixels, `[x, y, width, height]` (COCO order).
    public var bboxX: Double, bboxY: Double, bboxW: Double, bboxH: Double
    /// COCO compressed RLE counts string at the image's width × height.
    public var rle: String
    /// Area in pixels as the dataset states it (COCO polygon area); the mask's pixel count for
    /// labels vlpart makes.
    public var area: Double
    public var iscrowd: Bool
    /// Confidence of generated labels, `nil` for gold and manual ones.
    public var score: Double?
    public var source: LabelSource
    public var runID: Int64?
    public var status: LabelStatus
    /// JSON: where the label came from (base annotations, similarities, method, model …).
    public var provenance: String?
    /// The dataset's own annotation id, kept for export and `obj_ann_id` links.
    public var sourceID: Int64?
    public var updatedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, imageID = "image_id", categoryID = "category_id", level, parentID = "parent_id"
        case bboxX = "bbox_x", bboxY = "bbox_y", bboxW = "bbox_w", bboxH = "bbox_h"
        case rle, area, iscrowd, score, source, runID = "run_id", status, provenance
        case sourceID = "source_id", updatedAt = "updated_at"
    }

    public init(id: Int64? = nil, imageID: Int64, categoryID: Int64, level: Level, parentID: Int64? = nil,
                bbox: [Double], rle: String, area: Double, iscrowd: Bool = false, score: Double? = nil,
                source: LabelSource, runID: Int64? = nil, status: LabelStatus, provenance: String? = nil,
                sourceID: Int64? = nil, updatedAt: Date? = nil) {
        precondition(bbox.count == 4, "Annotation bbox needs [x, y, w, h], got \(bbox.count) values")
        self.id = id; self.imageID = imageID; self.categoryID = categoryID; self.level = level
        self.parentID = parentID
        bboxX = bbox[0]; bboxY = bbox[1]; bboxW = bbox[2]; bboxH = bbox[3]
        self.rle = rle; self.area = area; self.iscrowd = iscrowd; self.score = score
        self.source = source; self.runID = runID; self.status = status; self.provenance = provenance
        self.sourceID = sourceID; self.updatedAt = updatedAt
    }

    /// `[x, y, width, height]` in pixels.
    public var bbox: [Double] { [bboxX, bboxY, bboxW, bboxH] }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
