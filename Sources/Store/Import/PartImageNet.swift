import Foundation
import GRDB
import Imaging

/// PartImageNet has part masks only: each image's object is the union of its parts of one
/// supercategory, and PACO-style links are resolved after the whole file is read.
extension COCOImporter {
    /// Links parts to objects that appeared later in the file than the part.
    func resolvePendingLinks() throws {
        guard !pendingLinks.isEmpty else { return }
        let update = try db.cachedStatement(sql: "UPDATE annotation SET parent_id = ? WHERE id = ?")
        for link in pendingLinks {
            guard let parent = annotationsBySourceID[link.parentSourceID], parent.isObject,
                  parent.imageRowID == link.imageRowID else {
                report.record(.unknownParent, "annotations[\(link.index)]: obj_ann_id \(link.parentSourceID) is not an object on the same image")
                continue
            }
            try update.execute(arguments: [parent.rowID, link.rowID])
        }
        pendingLinks.removeAll()
    }

    /// Inserts one object annotation per (image, object category) as the union of its parts,
    /// and links the parts to it. Its provenance says it was derived.
    func deriveObjectsFromParts() throws {
        let update = try db.cachedStatement(sql: "UPDATE annotation SET parent_id = ? WHERE id = ?")
        let provenance = #"{"derived":"union of parts"}"#
        for key in partGroups.keys.sorted(by: { ($0.imageRowID, $0.objectCategoryID) < ($1.imageRowID, $1.objectCategoryID) }) {
            guard let parts = partGroups[key], !parts.isEmpty else { continue }
            let union = RLE.merge(parts.map(\.rle))
            let box = union.bbox
            try db.execute(sql: """
                INSERT INTO annotation (image_id, category_id, level, bbox_x, bbox_y, bbox_w, bbox_h, rle, area,
                  iscrowd, source, status, provenance)
                VALUES (?, ?, 'object', ?, ?, ?, ?, ?, ?, 0, 'gold', 'accepted', ?)
                """, arguments: [key.imageRowID, key.objectCategoryID, box[0], box[1], box[2], box[3],
                                 union.compressed, Double(union.area), provenance])
            let objectRowID = db.lastInsertedRowID
            for part in parts { try update.execute(arguments: [objectRowID, part.rowID]) }
            report.derivedObjects += 1
        }
        partGroups.removeAll()
    }
}
