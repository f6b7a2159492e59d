import Imaging
import Store
import Taxonomy

/// Colours parts so a part has the same colour on every picture of its object category, and a
/// base object's part has the colour of the target part borrowed from it.
///
/// A target category's part `i` in its borrowed taxonomy's order gets `Palette.color(i)`; parts
/// outside the taxonomy (relabelled ones, or base parts nobody borrowed) come after it.
struct PartColors: Sendable {
    /// The newest borrow proposal of each target object category.
    private let borrows: [Int64: BorrowEntry]

    init(borrows: [BorrowEntry]) {
        var byTarget: [Int64: BorrowEntry] = [:]
        for entry in borrows { byTarget[entry.targetCategoryID] = entry }
        self.borrows = byTarget
    }

    /// The borrow behind a target object category, if any.
    func borrow(forTarget categoryID: Int64) -> BorrowEntry? { borrows[categoryID] }

    /// Layers for a reviewed object's parts: legend `name score`.
    func targetLayers(_ object: ReviewObject) -> [PictureLayer] {
        let order = borrows[object.annotation.categoryID]?.parts.map(\.name) ?? []
        var extra: [String] = []
        return object.parts.map { part in
            let index: Int
            if let i = order.firstIndex(of: part.name) { index = i } else if let j = extra.firstIndex(of: part.name) {
                index = order.count + j
            } else {
                index = order.count + extra.count
                extra.append(part.name)
            }
            return PictureLayer(annotationID: part.annotation.id ?? 0, rle: part.annotation.rle, color: Palette.color(index),
                                legend: "\(part.name) \(HTML.score(part.annotation.score))")
        }
    }

    /// Layers for a base object's own parts, seen from a target category: a borrowed part is
    /// labelled `base part → target part` (or just its name when they agree) in the target
    /// part's colour; a part the target did not borrow is labelled `name (not borrowed)`.
    func baseLayers(_ base: ReviewObject, forTarget categoryID: Int64) -> [PictureLayer] {
        let parts = borrows[categoryID]?.parts ?? []
        var extra: [Int64] = []
        return base.parts.map { part in
            let categoryID = part.annotation.categoryID
            let index: Int, legend: String
            if let i = parts.firstIndex(where: { $0.baseCategoryID == categoryID }) {
                index = i
                legend = parts[i].name == part.name ? part.name : "\(part.name) -> \(parts[i].name)"
            } else {
                if let j = extra.firstIndex(of: categoryID) { index = parts.count + j } else {
                    index = parts.count + extra.count
                    extra.append(categoryID)
                }
                legend = "\(part.name) (not borrowed)"
            }
            return PictureLayer(annotationID: part.annotation.id ?? 0, rle: part.annotation.rle, color: Palette.color(index),
                                legend: legend)
        }
    }
}
