import Foundation
import Imaging

/// One predicted class of one image, as `vlpart segment --json` and the `.json` file write it.
public struct SegmentedClass: Codable, Sendable, Equatable {
    public var name: String
    /// 1-based index in its vocabulary (the value in the label PNG for parts).
    public var index: Int
    public var pixels: Int
    /// Mean winning probability over the class's pixels.
    public var score: Double
    /// COCO compressed RLE at the image size: `{"size": [height, width], "counts": "…"}`.
    public var rle: RLEJSON
}

/// COCO's RLE object.
public struct RLEJSON: Codable, Sendable, Equatable {
    public var size: [Int]
    public var counts: String
}

/// The per-image JSON document of `vlpart segment`.
public struct SegmentationDocument: Codable, Sendable, Equatable {
    public var image: String
    public var width: Int
    public var height: Int
    public var parts: [SegmentedClass]
    public var objects: [SegmentedClass]
}

extension Segmentation {
    /// Every class present in the prediction with its RLE mask and mean confidence.
    public func document(image: String, partNames: [String], objectNames: [String]) -> SegmentationDocument {
        func classes(_ labels: [Int32], _ confidence: [Float], _ names: [String]) -> [SegmentedClass] {
            var count = [Int](repeating: 0, count: names.count + 1), total = [Double](repeating: 0, count: names.count + 1)
            for (p, l) in labels.enumerated() where l > 0 && Int(l) <= names.count {
                count[Int(l)] += 1
                total[Int(l)] += Double(confidence[p])
            }
            return (1...max(1, names.count)).compactMap { c in
                guard c <= names.count, count[c] > 0 else { return nil }
                let mask = Mask(width: width, height: height, pixels: labels.map { Int($0) == c ? 1 : 0 })
                return SegmentedClass(name: names[c - 1], index: c, pixels: count[c], score: total[c] / Double(count[c]),
                                      rle: RLEJSON(size: [height, width], counts: RLE(mask: mask).compressed))
            }
        }
        return SegmentationDocument(image: image, width: width, height: height,
                                    parts: classes(partLabels, partConfidence, partNames),
                                    objects: objectLabels.isEmpty ? [] : classes(objectLabels, objectConfidence, objectNames))
    }

    /// The part label map as a paletted PNG (index = part class, 0 = none; colours `Palette.color(index − 1)`).
    public func labelsPNG() -> [UInt8] {
        let palette = [Color.black] + (0..<255).map { Palette.color($0) }
        return LabelPNG.encode(labels: partLabels, width: width, height: height, palette: palette)
    }

    /// `image` with each predicted part blended in its palette colour and outlined, and a legend
    /// of the parts present (objects without parts are outlined in their own colours).
    public func overlay(on image: Image, partNames: [String], objectNames: [String]) -> Image {
        var masks: [[UInt8]] = [], colors: [Color] = [], legend: [(label: String, color: Color)] = []
        let presentParts = Set(partLabels.map(Int.init)).filter { $0 > 0 && $0 <= partNames.count }.sorted()
        if presentParts.isEmpty, !objectLabels.isEmpty {
            for c in Set(objectLabels.map(Int.init)).filter({ $0 > 0 && $0 <= objectNames.count }).sorted() {
                masks.append(objectLabels.map { Int($0) == c ? 1 : 0 })
                colors.append(Palette.color(c - 1))
                legend.append((objectNames[c - 1], Palette.color(c - 1)))
            }
        }
        for c in presentParts {
            masks.append(partLabels.map { Int($0) == c ? 1 : 0 })
            colors.append(Palette.color(c - 1))
            legend.append((partNames[c - 1], Palette.color(c - 1)))
        }
        let base = image.width == width && image.height == height ? image
            : image.resized(width: width, height: height, filter: .bilinear, antialias: true)
        let scale = width >= 400 ? 2 : 1
        return base.overlaying(masks: masks, colors: colors, opacity: 0.45).withLegend(legend, scale: scale)
    }
}
