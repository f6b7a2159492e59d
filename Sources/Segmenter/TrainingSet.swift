import Foundation
import Imaging
import Store
import Tensor

/// Which stored labels train the segmenter, and how much each counts.
public struct LabelSelection: Sendable, Equatable {
    /// Imported ground truth (`source = gold`).
    public var gold = true
    /// Pending parsed labels (weak: `parsedWeight`).
    public var parsed = true
    /// Parsed labels a person accepted (count as gold).
    public var accepted = true
    /// Labels a person drew or relabelled.
    public var manual = true
    /// Loss weight of pending parsed parts (VLPart uses 0.1).
    public var parsedWeight: Float = 0.1
    /// Only parsed labels of this run.
    public var runID: Int64?
    /// Drop pending parsed labels scoring below this.
    public var minScore: Double?

    public init() {}

    /// The weight a part annotation trains with, or `nil` when it is not selected. Rejected
    /// labels and the segmenter's own predictions are never selected.
    public func weight(of a: Annotation) -> Float? {
        guard a.status != .rejected else { return nil }
        switch a.source {
        case .gold: return gold ? 1 : nil
        case .manual: return manual ? 1 : nil
        case .predicted: return nil
        case .parsed:
            if let runID, a.runID != runID { return nil }
            if a.status == .accepted { return accepted ? 1 : nil }
            guard parsed else { return nil }
            if let minScore, (a.score ?? 0) < minScore { return nil }
            return parsedWeight
        }
    }
}

/// The selected labels of one image, ready to be rasterised at any patch grid.
public struct LabelledTrainingImage: Sendable {
    public let imageID: Int64
    public let imagePath: String
    public let width: Int
    public let height: Int
    /// Object masks: (RLE counts, object vocabulary index + 1).
    let objects: [(rle: String, label: Int)]
    /// Part masks: (RLE counts, part vocabulary index + 1, weight), drawn in order.
    let parts: [(rle: String, label: Int, weight: Float)]
    /// Whether any weak (pending parsed) part is on the image.
    public let hasWeakLabels: Bool

    /// Patch targets on a `gridH × gridW` grid laid evenly over the image: per cell the majority
    /// object class and the majority part class (`0` background, `-1` on an object but under no
    /// selected part), weighted by the mean weight of the pixels carrying that part class.
    /// - Throws: `SegmenterError.badInput` for a corrupt stored mask.
    public func patchTargets(gridH: Int, gridW: Int) throws -> PatchTargets {
        let w = width, h = height, plane = w * h
        var object = [Int32](repeating: 0, count: plane)
        var part = [Int32](repeating: 0, count: plane)
        var weight = [Float](repeating: 1, count: plane)
        func decode(_ rle: String) throws -> Mask {
            do { return try RLE(compressed: rle, width: w, height: h, source: imagePath).decode() } catch {
                throw SegmenterError.badInput("\(imagePath): stored mask unreadable: \(error)")
            }
        }
        for o in objects {
            let m = try decode(o.rle)
            for p in 0..<plane where m.pixels[p] != 0 { object[p] = Int32(o.label); part[p] = -1 }
        }
        for q in parts {
            let m = try decode(q.rle)
            for p in 0..<plane where m.pixels[p] != 0 { part[p] = Int32(q.label); weight[p] = q.weight }
        }
        let cells = gridH * gridW
        var objectTarget = [Int](repeating: 0, count: cells), partTarget = [Int](repeating: 0, count: cells)
        var weightTarget = [Float](repeating: 0, count: cells)
        for r in 0..<gridH {
            let y0 = r * h / gridH, y1 = max(y0 + 1, (r + 1) * h / gridH)
            for c in 0..<gridW {
                let x0 = c * w / gridW, x1 = max(x0 + 1, (c + 1) * w / gridW)
                var objectVotes: [Int32: Int] = [:], partVotes: [Int32: (count: Int, weight: Float)] = [:]
                for y in y0..<min(y1, h) { for x in x0..<min(x1, w) {
                    let p = y * w + x
                    objectVotes[object[p], default: 0] += 1
                    let v = partVotes[part[p], default: (0, 0)]
                    partVotes[part[p]] = (v.count + 1, v.weight + weight[p])
                } }
                let i = r * gridW + c
                // Ties go to the smaller label, so the result does not depend on hashing order.
                if let best = objectVotes.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) }) { objectTarget[i] = Int(best.key) }
                if let best = partVotes.max(by: { ($0.value.count, -$0.key) < ($1.value.count, -$1.key) }) {
                    partTarget[i] = Int(best.key)
                    weightTarget[i] = best.value.weight / Float(best.value.count)
                }
            }
        }
        return PatchTargets(object: objectTarget, part: partTarget, weight: weightTarget)
    }
}

/// The images, vocabularies and labels a training run uses.
public struct TrainingSet: Sendable {
    /// Object category names (`dog`), sorted.
    public let objectNames: [String]
    /// Part category names (`dog:head`), sorted.
    public let partNames: [String]
    public let images: [LabelledTrainingImage]

    /// Selects labels from the store: an image takes part when at least one of its part labels
    /// is selected; its non-rejected objects give the object targets.
    ///
    /// - Parameters:
    ///   - datasets: only these datasets (all when `nil`).
    /// - Throws: store errors; `SegmenterError.badInput` when nothing is selected.
    public static func build(store: Store, selection: LabelSelection, datasets: [String]? = nil) throws -> TrainingSet {
        let all = try store.labelledImages(datasets: datasets)
        var chosen: [(LabelledImage, [(Annotation, String, Float)], [(Annotation, String)])] = []
        var objectNames = Set<String>(), partNames = Set<String>()
        for image in all {
            var parts: [(Annotation, String, Float)] = [], objects: [(Annotation, String)] = []
            for (a, name) in image.annotations {
                if a.level == .part, let w = selection.weight(of: a) { parts.append((a, name, w)) }
                if a.level == .object, a.status != .rejected, a.source != .predicted { objects.append((a, name)) }
            }
            guard !parts.isEmpty else { continue }
            // Objects whose parts are all weak come first, so gold parts draw over weak ones.
            parts.sort { ($0.2, $0.0.id ?? 0) < ($1.2, $1.0.id ?? 0) }
            chosen.append((image, parts, objects))
            objectNames.formUnion(objects.map(\.1))
            partNames.formUnion(parts.map(\.1))
        }
        guard !chosen.isEmpty else {
            throw SegmenterError.badInput("\(store.path): no stored part labels match the selection (check --include, --run, --min-score, --dataset)")
        }
        let objectsSorted = objectNames.sorted(), partsSorted = partNames.sorted()
        let objectIndex = Dictionary(uniqueKeysWithValues: objectsSorted.enumerated().map { ($1, $0 + 1) })
        let partIndex = Dictionary(uniqueKeysWithValues: partsSorted.enumerated().map { ($1, $0 + 1) })
        let images = chosen.map { image, parts, objects in
            LabelledTrainingImage(imageID: image.image.id ?? 0, imagePath: image.imagePath,
                                  width: image.image.width, height: image.image.height,
                                  objects: objects.map { ($0.0.rle, objectIndex[$0.1]!) },
                                  parts: parts.map { ($0.0.rle, partIndex[$0.1]!, $0.2) },
                                  hasWeakLabels: parts.contains { $0.2 < 1 })
        }
        return TrainingSet(objectNames: objectsSorted, partNames: partsSorted, images: images)
    }

    /// A seeded split of the images into training and validation (at least one training image).
    public func split(validationFraction: Double, seed: UInt64) -> (training: [LabelledTrainingImage], validation: [LabelledTrainingImage]) {
        var order = Array(images.indices)
        var rng = SplitMix64(seed: seed ^ 0x5E6_5E6)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        let validationCount = min(images.count - 1, Int((Double(images.count) * max(0, validationFraction)).rounded()))
        let validation = order.prefix(validationCount).sorted().map { images[$0] }
        let training = order.dropFirst(validationCount).sorted().map { images[$0] }
        return (training, validation)
    }
}
