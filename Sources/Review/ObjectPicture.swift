import Foundation
import Imaging
import Store

/// One mask drawn on an object picture: its RLE at the image's size, colour and legend line.
struct PictureLayer: Sendable {
    var annotationID: Int64
    var rle: String
    var color: Color
    var legend: String
}

/// Errors of drawing one picture; pages show them in place of the picture.
enum PictureError: Error, CustomStringConvertible {
    case sizeMismatch(path: String, file: (Int, Int), store: (Int, Int))

    var description: String {
        switch self {
        case let .sizeMismatch(path, file, store):
            "\(path): image is \(file.0)x\(file.1) but the store records \(store.0)x\(store.1)"
        }
    }
}

/// Draws review pictures: an object's crop (with a margin), scaled up by a whole factor, its
/// part masks blended in their colours with outlines, and a legend panel on the right.
enum ObjectPicture {
    /// Margin around the object's box, as a fraction of its longer side.
    static let margin = 0.1

    /// The crop box (x, y, width, height) in pixels: the object's box plus a margin, clipped to
    /// the image; the whole image when the box is empty or lies outside it.
    static func cropBox(_ bbox: [Double], width: Int, height: Int) -> (x: Int, y: Int, width: Int, height: Int) {
        let pad = max(2, margin * max(bbox[2], bbox[3]))
        let x0 = max(0, Int((bbox[0] - pad).rounded(.down))), y0 = max(0, Int((bbox[1] - pad).rounded(.down)))
        let x1 = min(width, Int((bbox[0] + bbox[2] + pad).rounded(.up))), y1 = min(height, Int((bbox[1] + bbox[3] + pad).rounded(.up)))
        guard x1 > x0, y1 > y0, bbox[2] > 0, bbox[3] > 0 else { return (0, 0, width, height) }
        return (x0, y0, x1 - x0, y1 - y0)
    }

    /// The whole-number scale that brings a crop's longer side toward `target` pixels (1–8).
    static func scale(for box: (x: Int, y: Int, width: Int, height: Int), target: Int) -> Int {
        min(8, max(1, target / max(1, max(box.width, box.height))))
    }

    /// The picture of one object.
    ///
    /// - Parameters:
    ///   - image: the decoded image file; must be `record.width × record.height`.
    ///   - bbox: the object's box `[x, y, w, h]` in pixels.
    ///   - layers: masks in drawing order (later ones on top).
    ///   - size: the target long side of the crop (see ``scale(for:target:)``).
    /// - Throws: `PictureError.sizeMismatch`, or `RLEError` for a malformed mask (naming its annotation).
    static func render(image: Image, record: ImageRecord, path: String, bbox: [Double], layers: [PictureLayer],
                       size: Int) throws -> Image {
        guard image.width == record.width, image.height == record.height else {
            throw PictureError.sizeMismatch(path: path, file: (image.width, image.height), store: (record.width, record.height))
        }
        let box = cropBox(bbox, width: image.width, height: image.height)
        let s = scale(for: box, target: size)
        let outW = box.width * s, outH = box.height * s
        var crop = image.converted(toChannels: 3).cropped(x: box.x, y: box.y, width: box.width, height: box.height)
        if s > 1 { crop = crop.resized(width: outW, height: outH, filter: .bilinear) }
        var masks: [[UInt8]] = []
        masks.reserveCapacity(layers.count)
        for layer in layers {
            let mask = try RLE(compressed: layer.rle, width: record.width, height: record.height,
                               source: "annotation \(layer.annotationID)").decode()
            masks.append(mask.cropped(x: box.x, y: box.y, width: box.width, height: box.height)
                .resizedNearest(width: outW, height: outH).pixels)
        }
        let drawn = crop.overlaying(masks: masks, colors: layers.map(\.color), opacity: 0.45, outline: true)
        return drawn.withLegend(layers.map { ($0.legend, $0.color) }, scale: 2)
    }
}
