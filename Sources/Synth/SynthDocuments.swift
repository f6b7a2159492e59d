import Imaging
import Store

/// Builds the PACO-style COCO documents of the synthetic set. Category ids are fixed for the
/// whole catalog, so the same category has the same id in every document: objects are
/// `1…16` in catalog order, part categories (`object:part`) are numbered from 101 onwards.
enum SynthDocuments {
    /// The object category id of `category`.
    static func objectID(_ category: SynthCategory) -> Int64 { Int64(SynthCatalog.index(of: category.name) + 1) }

    /// The id of part `index` of `category` (`object:part`).
    static func partID(_ category: SynthCategory, _ index: Int) -> Int64 {
        var id: Int64 = 101
        for c in SynthCatalog.categories {
            if c.name == category.name { return id + Int64(index) }
            id += Int64(c.parts.count)
        }
        preconditionFailure("SynthDocuments.partID: no category \(category.name)")
    }

    /// Object categories (supercategory = family) and, when asked, their part categories
    /// (supercategory `PART`), for the categories where `include` holds.
    static func categories(_ include: (SynthCategory) -> Bool, parts: Bool) -> [COCOCategory] {
        let chosen = SynthCatalog.categories.filter(include)
        var out = chosen.map { COCOCategory(id: objectID($0), name: $0.name, supercategory: $0.family.rawValue) }
        if parts {
            for c in chosen {
                for (i, name) in c.partCategoryNames.enumerated() {
                    out.append(COCOCategory(id: partID(c, i), name: name, supercategory: "PART"))
                }
            }
        }
        return out
    }

    /// PACO's list of bare part names used by `chosen` categories, numbered in first-seen order.
    static func partNames(_ chosen: [SynthCategory]) -> [COCOCategory] {
        var names: [String] = []
        for c in chosen { for p in c.parts where !names.contains(p) { names.append(p) } }
        return names.enumerated().map { COCOCategory(id: Int64($0.offset + 1), name: $0.element) }
    }

    /// `source.json`: the source-split images with base objects and their parts.
    static func source(_ images: [EncodedImage]) -> COCODocument {
        document(images.filter { $0.split == .source }, include: { !$0.isNovel }, parts: true,
                 description: "vlpart synthetic set, source split: base categories with parts")
    }

    /// `target.json` (objects only) or `target_gt.json` (objects and parts): novel categories.
    static func target(_ images: [EncodedImage], withParts: Bool) -> COCODocument {
        document(images.filter { $0.split == .target }, include: { $0.isNovel }, parts: withParts,
                 description: withParts ? "vlpart synthetic set, target split: novel objects and parts (evaluation only)"
                     : "vlpart synthetic set, target split: novel objects without parts")
    }

    private static func document(_ images: [EncodedImage], include: (SynthCategory) -> Bool, parts: Bool,
                                 description: String) -> COCODocument {
        var annotations: [COCOAnnotation] = []
        var nextID: Int64 = 1
        for image in images {
            for object in image.objects where include(object.category) {
                let objectAnnID = nextID
                nextID += 1
                annotations.append(COCOAnnotation(id: objectAnnID, imageID: image.id, categoryID: objectID(object.category),
                                                  bbox: object.mask.bbox, area: Double(object.mask.area),
                                                  segmentation: .rle(object.mask), objAnnID: objectAnnID))
                guard parts else { continue }
                for part in object.parts {
                    annotations.append(COCOAnnotation(id: nextID, imageID: image.id,
                                                      categoryID: partID(object.category, part.index),
                                                      bbox: part.mask.bbox, area: Double(part.mask.area),
                                                      segmentation: .rle(part.mask), objAnnID: objectAnnID))
                    nextID += 1
                }
            }
        }
        let chosen = SynthCatalog.categories.filter(include)
        return COCODocument(
            info: ["description": description, "generator": "vlpart synth \(SynthManifest.generatorVersion)"],
            images: images.map { COCOImage(id: $0.id, fileName: $0.fileName, width: $0.width, height: $0.height) },
            categories: categories(include, parts: parts), annotations: annotations,
            partCategories: parts ? partNames(chosen) : nil)
    }
}
