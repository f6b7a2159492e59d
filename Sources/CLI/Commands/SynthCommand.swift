import ArgumentParser
import Foundation
import Synth

/// `vlpart synth OUT_DIR`: writes the built-in synthetic part dataset.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write the built-in synthetic part dataset (images + COCO/PACO JSON).",
        discussion: """
        Renders procedural scenes (farm, street, kitchen, living room, park) holding 1-3 objects \
        from 16 categories in 5 families whose members share parts: quadrupeds (cat, dog, horse, \
        cow, sheep), birds (pigeon, parrot, sparrow), vehicles (car, truck, bus), containers \
        (bottle, can, jar) and furniture (chair, table). dog, sparrow, bus and jar are novel: \
        they appear only in target images and never with parts in source.json.

        Writes OUT_DIR/images/*.png, source.json (base objects + parts), target.json (novel \
        objects only), target_gt.json (novel parts, for evaluation), folder/<class>/*.png \
        (class-folder images of the novel categories, one dominant object each), \
        folder_gt.json, split.json and README.md. The same seed rewrites identical files.

        Example:
          vlpart synth data/synth --seed 1 --images 400 --folder-images 50
          vlpart import paco data/synth/source.json --images data/synth/images --dataset synth-source --role source
          vlpart import paco data/synth/target.json --images data/synth/images --dataset synth-target --role target
          vlpart import folder data/synth/folder --dataset synth-folder --role target
        """
    )

    @Argument(help: "Directory to write into (created if missing).")
    var outDir: String

    @Option(help: "Random seed; every image and mask depends on it and nothing else.")
    var seed: UInt64 = 0

    @Option(help: "Number of scene images (every 4th is a target image, the rest source).")
    var images: Int = 300

    @Option(help: "Image width and height in pixels.")
    var size: Int = 224

    @Option(name: .customLong("folder-images"), help: "Class-folder images per novel category.")
    var folderImages: Int = 30

    func run() throws {
        let options = SynthOptions(seed: seed, images: images, size: size, folderImagesPerClass: folderImages)
        let start = Date()
        // Redraw in place on a terminal; whole lines in logs.
        let tty = isatty(STDERR_FILENO) != 0
        let summary = try SynthDataset.write(to: outDir, options: options) { done, total in
            if done % 50 == 0 || done == total {
                FileHandle.standardError.write(Data((tty ? "\rsynth: \(done)/\(total) images" : "synth: \(done)/\(total) images\n").utf8))
                if done == total && tty { FileHandle.standardError.write(Data("\n".utf8)) }
            }
        }
        let seconds = Date().timeIntervalSince(start)
        print("wrote \(outDir): \(summary.sourceImages) source, \(summary.targetImages) target, "
              + "\(summary.folderImages) class-folder images; \(summary.objects) objects, \(summary.parts) part masks "
              + String(format: "(%.1f s)", seconds))
    }
}
