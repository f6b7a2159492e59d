import Imaging
import Store

extension ParseRunner {
    /// A base object's part layout for the geometric prior: its box at pixel resolution, `-1`
    /// off the object, `0` on it, `i + 1` where it carries the plan's part `i` (later parts win
    /// overlaps, as in `baseObject`). Kept in a small LRU, so each base is decoded once per run.
    func baseLayout(_ id: Int64, plan: BorrowPlan) throws -> GeometricPrior.Layout {
        let key = id ^ (plan.targetCategoryID << 40)
        if let cached = layouts[key] { return cached }
        guard let object = try store.objects(ids: [id]).first else { throw ParsingError.invalid("base object \(id) vanished") }
        let (w, h) = (object.image.width, object.image.height)
        let box = FeatureCacheBuilder.cropBox(object.annotation.bbox, width: w, height: h)
        let silhouette = try RLE(compressed: object.annotation.rle, width: w, height: h).decode()
            .cropped(x: box.x, y: box.y, width: box.width, height: box.height)
        var labels = silhouette.pixels.map { $0 != 0 ? Int32(0) : -1 }
        let parts = try store.parts(ofObject: id)
        for (index, categories) in plan.basePartCategoryIDs.enumerated() {
            for part in parts where categories.contains(part.categoryID) {
                let mask = try RLE(compressed: part.rle, width: w, height: h).decode()
                    .cropped(x: box.x, y: box.y, width: box.width, height: box.height)
                for i in 0..<labels.count where mask.pixels[i] != 0 { labels[i] = Int32(index + 1) }
            }
        }
        let layout = GeometricPrior.Layout(labels: labels, width: box.width, height: box.height)
        layouts[key] = layout
        layoutOrder.append(key)
        if layoutOrder.count > options.baseCacheSize { layouts[layoutOrder.removeFirst()] = nil }
        return layout
    }
}
