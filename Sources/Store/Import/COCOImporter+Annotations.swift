import Foundation
import GRDB
import Imaging

/// A segmentation as the compressed string the store keeps, its area, and its counts when the
/// caller asked for them (a valid compressed string is only scanned, never expanded, otherwise).
struct DecodedSegmentation {
    let mask: RLE?
    let area: Int
    let text: String

    init(mask: RLE, text: String) { self.mask = mask; self.area = mask.area; self.text = text }
    init(area: Int, text: String) { self.mask = nil; self.area = area; self.text = text }
}

extension COCOImporter {
    /// Reads the `annotations` array element by element.
    func readAnnotations(_ stream: JSONStream) throws {
        try stream.forEachElement { index, value in
            try readAnnotation(JSONFields(value, path: .element("annotations", index), file: file), index: index)
            if (index + 1) % 200_000 == 0 { options.progress?("\(options.dataset): \(index + 1) annotations") }
        }
    }

    private func readAnnotation(_ a: JSONFields, index: Int) throws {
        let id = try a.int("id")
        let imageID = try a.int("image_id")
        let categorySourceID = try a.int("category_id")
        guard annotationsBySourceID[id] == nil else { throw a.error("duplicate annotation id \(id)", key: "id") }
        let bbox = try a.optionalNumbers("bbox", count: 4)
        if let bbox, bbox[2] < 0 || bbox[3] < 0 {
            throw a.error("negative box size \(bbox[2])×\(bbox[3])", key: "bbox")
        }
        let statedArea = try a.optionalDouble("area")
        if let statedArea, statedArea < 0 { throw a.error("negative area \(statedArea)", key: "area") }
        let iscrowd = try crowdFlag(a)
        let objAnnID = try a.optionalInt("obj_ann_id")
        guard let image = imagesBySourceID[imageID] else {
            report.record(.unknownImage, "\(a.path) (id \(id)): image_id \(imageID)")
            try skipSegmentation(a)
            return
        }
        guard let category = categoriesBySourceID[categorySourceID] else {
            report.record(.unknownCategory, "\(a.path) (id \(id)): category_id \(categorySourceID)")
            try skipSegmentation(a)
            return
        }
        // The counts are needed for a missing box and for PartImageNet's derived objects.
        let needMask = bbox == nil || options.format == .partimagenet
        guard let rle = try segmentation(a, id: id, image: image, needMask: needMask) else { return }
        let area = rle.area
        guard area > 0 else {
            report.record(.emptySegmentation, "\(a.path) (id \(id)): mask has no pixels")
            return
        }
        if let bbox, bbox[0] + bbox[2] > Double(image.width) + 1 || bbox[1] + bbox[3] > Double(image.height) + 1
            || bbox[0] < -1 || bbox[1] < -1 {
            report.record(.maskOutOfBounds, "\(a.path) (id \(id)): bbox \(bbox) on a \(image.width)×\(image.height) image")
        }
        // PACO marks objects with obj_ann_id == id; a part points at its object.
        let isObject = category.level == .object || objAnnID == id
        var parentRowID: Int64?
        var parentLater = false
        if !isObject, let objAnnID {
            if let parent = annotationsBySourceID[objAnnID] {
                parentRowID = try checkedParent(parent, for: a, id: id, objAnnID: objAnnID, imageRowID: image.rowID)
            } else {
                parentLater = true
            }
        }
        // VLPart's PASCAL-Part conversion writes the box area as `area`: always use the mask's.
        let storedArea = options.format == .pascalPart ? Double(area) : (statedArea ?? Double(area))
        let box = bbox ?? rle.mask?.bbox ?? [0, 0, 0, 0]
        let rowID = try inserter().insert(
            imageID: image.rowID, categoryID: category.categoryID, level: isObject ? .object : .part,
            parentID: parentRowID, bbox: box, rle: rle.text, area: storedArea, iscrowd: iscrowd, sourceID: id)
        annotationsBySourceID[id] = AnnotationEntry(rowID: rowID, imageRowID: image.rowID, isObject: isObject)
        if isObject { report.objects += 1 } else { report.parts += 1 }
        if parentLater, let objAnnID {
            pendingLinks.append((rowID, objAnnID, image.rowID, index))
        }
        if options.format == .partimagenet, !isObject, let object = category.objectCategoryID {
            if let mask = rle.mask {
                partGroups[PartGroupKey(imageRowID: image.rowID, objectCategoryID: object), default: []].append((rowID, mask))
            }
        }
    }

    private func checkedParent(_ parent: AnnotationEntry, for a: JSONFields, id: Int64, objAnnID: Int64,
                               imageRowID: Int64) throws -> Int64? {
        guard parent.isObject, parent.imageRowID == imageRowID else {
            report.record(.unknownParent, "\(a.path) (id \(id)): obj_ann_id \(objAnnID) is not an object on the same image")
            return nil
        }
        return parent.rowID
    }

    private func crowdFlag(_ a: JSONFields) throws -> Bool {
        guard let v = a.value["iscrowd"] else { return false }
        switch v {
        case .null: return false
        case let .bool(b): return b
        case let .number(n) where n == 0 || n == 1: return n == 1
        default: throw a.error("expected 0 or 1, found \(v.typeName)", key: "iscrowd")
        }
    }

    /// Checks the segmentation's types even when the annotation is skipped, so a malformed file
    /// fails the same way whatever its ids say.
    private func skipSegmentation(_ a: JSONFields) throws {
        guard let seg = a.value["segmentation"] else { return }
        let path = a.path.appending("segmentation")
        switch seg {
        case .null: return
        case let .array(polygons):
            for (p, polygon) in polygons.enumerated() {
                guard case let .array(items) = polygon else {
                    throw StoreError.json(file: file, path: path.appending(p).description,
                                          message: "expected array of numbers, found \(polygon.typeName)")
                }
                for (k, item) in items.enumerated() {
                    guard case .number = item else {
                        throw StoreError.json(file: file, path: path.appending(p).appending(k).description,
                                              message: "expected number, found \(item.typeName)")
                    }
                }
            }
        case .object:
            let fields = try JSONFields(seg, path: path, file: file)
            guard try fields.optionalNumbers("size", count: 2) != nil else { throw fields.error("missing", key: "size") }
            switch seg["counts"] {
            case .string?, .array?: return
            case nil: throw fields.error("missing", key: "counts")
            case let other?: throw fields.error("expected string or array, found \(other.typeName)", key: "counts")
            }
        default: throw a.error("expected polygons or an RLE object, found \(seg.typeName)", key: "segmentation")
        }
    }

    /// Decodes the segmentation into an RLE at the image's size; `nil` (and a counted finding)
    /// for empty or mis-sized masks.
    private func segmentation(_ a: JSONFields, id: Int64, image: ImageEntry, needMask: Bool) throws -> DecodedSegmentation? {
        var path: JSONPath { a.path.appending("segmentation") }   // built only for messages
        guard let seg = a.value["segmentation"], !seg.isNull else {
            report.record(.emptySegmentation, "\(a.path) (id \(id)): no segmentation")
            return nil
        }
        switch seg {
        case let .array(polygons):
            if polygons.isEmpty {
                report.record(.emptySegmentation, "\(a.path) (id \(id)): no polygons")
                return nil
            }
            var coordinates: [[Double]] = []
            coordinates.reserveCapacity(polygons.count)
            var outOfBounds = false
            for (p, polygon) in polygons.enumerated() {
                guard case let .array(items) = polygon else {
                    throw StoreError.json(file: file, path: path.appending(p).description,
                                          message: "expected array of numbers, found \(polygon.typeName)")
                }
                var xy: [Double] = []
                xy.reserveCapacity(items.count)
                for (k, item) in items.enumerated() {
                    guard case let .number(d) = item, d.isFinite else {
                        throw StoreError.json(file: file, path: path.appending(p).appending(k).description,
                                              message: "expected number, found \(item.typeName)")
                    }
                    let limit = Double(k % 2 == 0 ? image.width : image.height)
                    if d < -1 || d > limit + 1 { outOfBounds = true }
                    xy.append(d)
                }
                guard xy.count >= 4, xy.count % 2 == 0 else {
                    throw StoreError.json(file: file, path: path.appending(p).description,
                                          message: "a polygon needs an even number (≥ 4) of coordinates, found \(xy.count)")
                }
                coordinates.append(xy)
            }
            if outOfBounds {
                report.record(.maskOutOfBounds, "\(a.path) (id \(id)): polygon outside the \(image.width)×\(image.height) image (clipped)")
            }
            try maskChecked {
                try RLE.validatePolygons(coordinates, width: image.width, height: image.height, source: path.description)
            }
            let rle = RLE.fromPolygons(coordinates, width: image.width, height: image.height)
            return DecodedSegmentation(mask: rle, text: rle.compressed)
        case .object:
            let fields = try JSONFields(seg, path: path, file: file)
            guard let size = try fields.optionalNumbers("size", count: 2) else { throw fields.error("missing", key: "size") }
            guard size[0] >= 0, size[1] >= 0 else { throw fields.error("negative mask size \(size)", key: "size") }
            let height = Int(size[0]), width = Int(size[1])
            if height != image.height || width != image.width {
                report.record(.maskOutOfBounds, "\(a.path) (id \(id)): mask size \(width)×\(height) on a \(image.width)×\(image.height) image")
                _ = try rleCounts(fields, width: width, height: height)
                return nil
            }
            // A valid compressed string is kept as written, so export gives back the same bytes.
            if !needMask, case let .string(text)? = fields.value["counts"] {
                let area = try maskChecked {
                    try RLE.compressedArea(text, width: width, height: height, source: fields.path.appending("counts").description)
                }
                return DecodedSegmentation(area: area, text: text)
            }
            let rle = try rleCounts(fields, width: width, height: height)
            if case let .string(text)? = fields.value["counts"] { return DecodedSegmentation(mask: rle, text: text) }
            return DecodedSegmentation(mask: rle, text: rle.compressed)
        default:
            throw StoreError.json(file: file, path: path.description,
                                  message: "expected polygons or an RLE object, found \(seg.typeName)")
        }
    }

    private func rleCounts(_ fields: JSONFields, width: Int, height: Int) throws -> RLE {
        guard let counts = fields.value["counts"] else { throw fields.error("missing", key: "counts") }
        return try maskChecked {
            switch counts {
            case let .string(text):
                return try RLE(compressed: text, width: width, height: height,
                               source: fields.path.appending("counts").description)
            case let .array(items):
                var values: [Int] = []
                values.reserveCapacity(items.count)
                for (k, item) in items.enumerated() {
                    guard let v = JSONFields.int(item), v >= 0 else {
                        throw StoreError.json(file: file, path: fields.path.appending("counts").appending(k).description,
                                              message: "expected non-negative integer, found \(item.typeName)")
                    }
                    values.append(Int(v))
                }
                return try RLE(uncompressedCounts: values, width: width, height: height,
                               source: fields.path.appending("counts").description)
            default:
                throw fields.error("expected string or array, found \(counts.typeName)", key: "counts")
            }
        }
    }

    /// Runs `body`, turning an Imaging `MaskError` (which already names its JSON path) into the
    /// file's one-line `StoreError`.
    private func maskChecked<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as MaskError {
            throw StoreError.json(file: file, path: "", message: error.description)
        }
    }
}
