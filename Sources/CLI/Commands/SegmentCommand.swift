import ArgumentParser
import Features
import Foundation
import Segmenter

/// `vlpart segment`: label images with any vocabulary of parts (and objects).
struct SegmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment",
        abstract: "Segment images into parts named by any vocabulary, chosen per call.",
        discussion: """
        The vocabulary is free text: each name is embedded by the MiniLM text encoder and every \
        pixel takes the class whose embedding its features are closest to (or "no part"). \
        With --objects, pixels are first assigned an object or background, and parts are kept \
        only on objects. Names may be phrases ("puppy head") or category names ("dog:head", \
        read as "head of a dog"). Without --vocab the classes the model was trained on are used.
        For each IMAGE it writes, in --out: <stem>.labels.png (palette PNG: value = 1-based \
        index in --vocab, 0 = none; 16-bit gray beyond 255 classes), <stem>.overlay.png (the \
        image with coloured parts and a legend) and <stem>.json (per class: pixels, mean \
        confidence, COCO RLE mask).
        Example:
          vlpart segment photo.png --vocab "dog head, dog leg, dog tail" --objects dog --model seg.safetensors --out seg/
        """
    )

    @Argument(help: "Images to segment (PNG or JPEG).")
    var images: [String]
    @Option(help: "Comma-separated part names (default: the model's training parts).")
    var vocab: String?
    @Option(help: "Comma-separated object names; gates parts to pixels on an object.")
    var objects: String?
    @Option(help: "Trained segmenter (.safetensors from vlpart train).")
    var model: String
    @Option(help: "Use this ViT checkpoint instead of the one the model names (must have the same hash).")
    var backbone: String?
    @Option(help: "Output folder (created if missing).")
    var out: String
    @Option(name: .customLong("text-model"), help: "MiniLM model directory (default: $VLPART_TEXT_MODEL or the installed package).")
    var textModel: String?
    @Flag(help: "Print what was written and found per image as JSON.")
    var json = false
    @OptionGroup var arithmetic: PrecisionOption

    func validate() throws {
        if images.isEmpty { throw ValidationError("give at least one image") }
    }

    func run() throws {
        let runtime = try SegmenterRuntime(modelPath: model, backbonePath: backbone, precision: arithmetic.resolved())
        let encoder = try TextEncoder(locating: textModel)
        let partNames = try vocab.map(Vocabulary.parseList) ?? runtime.model.partNames
        let objectNames = try objects.map(Vocabulary.parseList)
        let parts = try Vocabulary.embedded(names: partNames, encoder: encoder)
        let objectVocabulary = try objectNames.map { try Vocabulary.embedded(names: $0, encoder: encoder) }
        do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
            throw ValidationError("\(out): cannot create the output folder: \(error)")
        }
        struct Written: Encodable {
            let image: String, labels: String, overlay: String, json: String
            let parts: [SegmentedClass], objects: [SegmentedClass]
        }
        var written: [Written] = []
        let bar = ProgressReporter("segment", unit: "img")
        for (n, path) in images.enumerated() {
            let (segmentation, image) = try runtime.segment(imagePath: path, objects: objectVocabulary, parts: parts)
            let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            let base = URL(fileURLWithPath: out)
            let labelsURL = base.appendingPathComponent("\(stem).labels.png")
            let overlayURL = base.appendingPathComponent("\(stem).overlay.png")
            let jsonURL = base.appendingPathComponent("\(stem).json")
            let document = segmentation.document(image: path, partNames: partNames, objectNames: objectNames ?? [])
            do {
                try Data(segmentation.labelsPNG()).write(to: labelsURL)
                try segmentation.overlay(on: image, partNames: partNames, objectNames: objectNames ?? []).writePNG(path: overlayURL.path)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try encoder.encode(document).write(to: jsonURL)
            } catch {
                throw ValidationError("\(out): cannot write the outputs of \(path): \(error)")
            }
            written.append(Written(image: path, labels: labelsURL.path, overlay: overlayURL.path, json: jsonURL.path,
                                   parts: document.parts, objects: document.objects))
            bar.update(n + 1, of: images.count)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(["images": written]), as: UTF8.self))
        } else {
            for w in written {
                let found = w.parts.sorted { $0.pixels > $1.pixels }.prefix(6).map { "\($0.name) \($0.pixels)px" }
                print("\(w.image): \(found.isEmpty ? "no parts" : found.joined(separator: ", ")) → \(w.overlay)")
            }
        }
    }
}
