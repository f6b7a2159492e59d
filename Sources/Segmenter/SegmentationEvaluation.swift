import Foundation
import Imaging
import Store

/// Ground truth of one image for segmentation scoring: its file and every part and object mask.
public struct GroundTruthImage: Sendable {
    public let fileName: String
    public let width: Int
    public let height: Int
    /// `(category name, mask)`; part names are `object:part`.
    public var parts: [(name: String, mask: Mask)]
    public var objects: [(name: String, mask: Mask)]

    /// Images of one or more COCO/PACO files, merged by file name (masks of the same image in
    /// several files are pooled: e.g. base parts from `source.json`, novel from `target_gt.json`).
    /// - Throws: the reader's error naming the file, or `SegmenterError.badInput` for a corrupt mask.
    public static func read(paths: [String]) throws -> [GroundTruthImage] {
        var byName: [String: GroundTruthImage] = [:], order: [String] = []
        for path in paths {
            let document = try COCODocument.read(path: path)
            let images = Dictionary(document.images.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let categories = Dictionary((document.categories + (document.partCategories ?? [])).map { ($0.id, $0.name) },
                                        uniquingKeysWith: { a, _ in a })
            for image in document.images where byName[image.fileName] == nil {
                byName[image.fileName] = GroundTruthImage(fileName: image.fileName, width: image.width, height: image.height,
                                                          parts: [], objects: [])
                order.append(image.fileName)
            }
            for a in document.annotations {
                guard let name = categories[a.categoryID], let image = images[a.imageID] else { continue }
                let mask: Mask
                do {
                    switch a.segmentation {
                    case let .rle(rle): mask = rle.decode()
                    case let .polygons(p): mask = RLE.fromPolygons(p, width: image.width, height: image.height).decode()
                    case let .compressedRLE(counts, w, h): mask = try RLE(compressed: counts, width: w, height: h, source: path).decode()
                    }
                } catch { throw SegmenterError.badInput("\(path): annotation \(a.id): \(error)") }
                guard mask.width == image.width, mask.height == image.height else {
                    throw SegmenterError.badInput("\(path): annotation \(a.id) mask is \(mask.width)×\(mask.height), image \(image.width)×\(image.height)")
                }
                if name.contains(":") { byName[image.fileName]!.parts.append((name, mask)) } else { byName[image.fileName]!.objects.append((name, mask)) }
            }
        }
        return order.map { byName[$0]! }
    }
}

/// Scores of one part class.
public struct ClassScore: Codable, Sendable, Equatable {
    public var name: String
    /// Percent, 0–100.
    public var iou: Double
    public var novel: Bool
    /// Ground-truth pixels of the class.
    public var pixels: Int
}

/// What `vlpart eval seg` reports; mIoU and AP in percent (0–100).
public struct SegmentationScores: Codable, Sendable, Equatable {
    public var baseMIoU: Double
    public var novelMIoU: Double
    public var pixelAccuracy: Double
    public var baseAP50: Double
    public var novelAP50: Double
    /// Novel-part mIoU of a guesser that knows each object's true mask and picks one of its
    /// parts uniformly at random (the chance level for the open-vocabulary check).
    public var chanceNovelMIoU: Double
    public var classes: [ClassScore]
    public var images: Int

    enum CodingKeys: String, CodingKey {
        case baseMIoU = "base_miou", novelMIoU = "novel_miou", pixelAccuracy = "pixel_accuracy"
        case baseAP50 = "base_ap50", novelAP50 = "novel_ap50", chanceNovelMIoU = "chance_novel_miou"
        case classes, images
    }
}

/// Per-pixel part scoring of predictions against ground truth, image by image (memory stays
/// one image's masks): a confusion matrix over `1 + parts` classes, and AP50 from connected
/// components matched greedily by score (COCOeval rules, as `AveragePrecision`).
public struct SegmentationEvaluator {
    public let partNames: [String]
    public let novelObjects: Set<String>
    var matrix: ConfusionMatrix
    var detections: [Int: [(score: Float, order: Int, tp: Bool)]] = [:]
    var positives: [Int: Int] = [:]
    var order = 0
    public private(set) var images = 0

    public init(partNames: [String], novelObjects: Set<String>) {
        self.partNames = partNames
        self.novelObjects = novelObjects
        matrix = ConfusionMatrix(classes: partNames.count + 1)
    }

    func isNovel(_ name: String) -> Bool {
        guard let colon = name.lastIndex(of: ":") else { return novelObjects.contains(name) }
        return novelObjects.contains(String(name[..<colon]))
    }

    /// Adds one image. Pixels on a ground-truth object but under no ground-truth part are not scored.
    /// - Parameter segmentation: predicted with `partNames` as the part vocabulary, at the image's size.
    public mutating func add(_ segmentation: Segmentation, truth: GroundTruthImage) {
        precondition(segmentation.width == truth.width && segmentation.height == truth.height,
                     "prediction \(segmentation.width)×\(segmentation.height) vs truth \(truth.width)×\(truth.height)")
        let index = Dictionary(partNames.enumerated().map { ($1, $0 + 1) }, uniquingKeysWith: { a, _ in a })
        let plane = truth.width * truth.height
        var labels = [Int](repeating: 0, count: plane)
        for o in truth.objects { for p in 0..<plane where o.mask.pixels[p] != 0 { labels[p] = 255 } }
        var gtInstances: [Int: [[UInt8]]] = [:]
        for part in truth.parts {
            guard let c = index[part.name] else { continue }
            for p in 0..<plane where part.mask.pixels[p] != 0 { labels[p] = c }
            gtInstances[c, default: []].append(part.mask.pixels)
        }
        matrix.add(truth: labels, predicted: segmentation.partLabels.map(Int.init))
        // AP50: components of each predicted class against that class's true instances.
        var predicted: [Int: [ScoredInstance]] = [:]
        for instance in segmentation.partInstances(image: images) { predicted[instance.category, default: []].append(instance) }
        for c in Set(gtInstances.keys).union(predicted.keys) {
            let g = gtInstances[c] ?? []
            positives[c, default: 0] += g.count
            var matched = [Bool](repeating: false, count: g.count)
            let dets = (predicted[c] ?? []).enumerated().sorted {
                $0.element.score != $1.element.score ? $0.element.score > $1.element.score : $0.offset < $1.offset
            }.prefix(100).map(\.element)
            for det in dets {
                var best = -1, bestIoU = 0.5
                for (j, mask) in g.enumerated() where !matched[j] {
                    let value = AveragePrecision.iou(det.mask, mask)
                    if value < bestIoU { continue }
                    bestIoU = value
                    best = j
                }
                if best >= 0 { matched[best] = true }
                detections[c, default: []].append((det.score, order, best >= 0))
                order += 1
            }
        }
        images += 1
    }

    /// The scores over every image added so far; classes without ground truth are left out.
    public func scores() -> SegmentationScores {
        var classes: [ClassScore] = []
        var baseAP: [Double] = [], novelAP: [Double] = []
        var chance: [Double] = []
        // Pixels per object among scored part pixels, for the chance level.
        var objectPixels: [String: Int] = [:], objectParts: [String: Int] = [:]
        for (i, name) in partNames.enumerated() {
            let object = name.lastIndex(of: ":").map { String(name[..<$0]) } ?? name
            objectParts[object, default: 0] += 1
            objectPixels[object, default: 0] += truthPixels(i + 1)
        }
        for (i, name) in partNames.enumerated() {
            let c = i + 1, pixels = truthPixels(c)
            // Classes absent from the ground truth are not scored (a false positive there
            // still lowers the IoU of the class it took pixels from).
            guard pixels > 0, let iou = matrix.iou(c) else { continue }
            let novel = isNovel(name)
            classes.append(ClassScore(name: name, iou: 100 * iou, novel: novel, pixels: pixels))
            do {
                let ap = AveragePrecision.interpolatedAP(detections[c] ?? [], positives: positives[c] ?? 0)
                if novel { novelAP.append(ap) } else { baseAP.append(ap) }
                if novel {
                    let object = name.lastIndex(of: ":").map { String(name[..<$0]) } ?? name
                    let k = Double(objectParts[object] ?? 1), n = Double(pixels), total = Double(objectPixels[object] ?? pixels)
                    chance.append(100 * (n / k) / (n + total / k - n / k))
                }
            }
        }
        func mean(_ x: [Double]) -> Double { x.isEmpty ? 0 : x.reduce(0, +) / Double(x.count) }
        return SegmentationScores(baseMIoU: mean(classes.filter { !$0.novel }.map(\.iou)),
                                  novelMIoU: mean(classes.filter(\.novel).map(\.iou)),
                                  pixelAccuracy: 100 * matrix.pixelAccuracy,
                                  baseAP50: 100 * mean(baseAP), novelAP50: 100 * mean(novelAP),
                                  chanceNovelMIoU: mean(chance), classes: classes, images: images)
    }

    func truthPixels(_ c: Int) -> Int {
        (0..<matrix.classes).reduce(0) { $0 + matrix.counts[c * matrix.classes + $1] }
    }
}
