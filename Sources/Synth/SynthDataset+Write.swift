import Dispatch
import Foundation
import Imaging
import Store

/// Errors writing the synthetic dataset; each description is one line naming the path.
public enum SynthError: Error, CustomStringConvertible {
    case unwritable(path: String, reason: String)
    case badOption(name: String, reason: String)

    public var description: String {
        switch self {
        case let .unwritable(path, reason): "\(path): cannot write synthetic dataset: \(reason)"
        case let .badOption(name, reason): "synth: bad \(name): \(reason)"
        }
    }
}

/// Counts of what `SynthDataset.write` produced.
public struct SynthSummary: Sendable, Equatable {
    public var sourceImages = 0, targetImages = 0, folderImages = 0
    public var objects = 0, parts = 0
}

/// A pointer that concurrent iterations may share because each writes a disjoint index.
private struct DisjointWrites<T>: @unchecked Sendable { let base: UnsafeMutablePointer<T> }

/// The first error thrown by any concurrent iteration.
private final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?
    func record(_ e: Error) { lock.lock(); if stored == nil { stored = e }; lock.unlock() }
    var error: Error? { lock.lock(); defer { lock.unlock() }; return stored }
}

extension SynthDataset {
    /// Writes the whole dataset under `directory`:
    /// `images/NNNNNN.png`, `source.json` (base objects and parts), `target.json` (novel objects),
    /// `target_gt.json` (novel objects and parts), `folder/<class>/*.png` (+ `folder_gt.json`),
    /// `split.json` and `README.md`. Images render in parallel; the output depends only on `options`.
    ///
    /// - Parameter progress: called with (done, total) as images finish (from any thread).
    /// - Throws: ``SynthError`` when an option is out of range or a file cannot be written.
    public static func write(to directory: String, options: SynthOptions,
                             progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> SynthSummary {
        guard options.images >= 1 else { throw SynthError.badOption(name: "--images", reason: "must be at least 1, got \(options.images)") }
        guard (32...2048).contains(options.size) else {
            throw SynthError.badOption(name: "--size", reason: "must be within 32…2048 pixels, got \(options.size)")
        }
        guard options.folderImagesPerClass >= 0 else {
            throw SynthError.badOption(name: "--folder-images", reason: "must not be negative, got \(options.folderImagesPerClass)")
        }
        let root = URL(fileURLWithPath: directory)
        let novel = SynthCatalog.novel
        do {
            try FileManager.default.createDirectory(at: root.appendingPathComponent("images"), withIntermediateDirectories: true)
            for c in novel {
                try FileManager.default.createDirectory(at: root.appendingPathComponent("folder/\(c.name)"),
                                                        withIntermediateDirectories: true)
            }
        } catch {
            throw SynthError.unwritable(path: directory, reason: error.localizedDescription)
        }

        // Jobs: scene images first, then class-folder images, rendered in parallel chunks.
        let folderCount = options.folderImagesPerClass * novel.count
        let total = options.images + folderCount
        var results = [EncodedImage?](repeating: nil, count: total)
        let failure = FirstError()
        let done = Counter()
        let chunks = min(total, 4 * ProcessInfo.processInfo.activeProcessorCount)
        results.withUnsafeMutableBufferPointer { buffer in
            let out = DisjointWrites(base: buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                for job in stride(from: chunk, to: total, by: chunks) where failure.error == nil {
                    do {
                        out.base[job] = try renderJob(job, options: options, root: root)
                        progress?(done.increment(), total)
                    } catch {
                        failure.record(error)
                    }
                }
            }
        }
        if let error = failure.error { throw error }
        let images = results.compactMap { $0 }
        let scenes = Array(images.prefix(options.images)), folder = Array(images.dropFirst(options.images))

        try SynthDocuments.source(scenes).write(to: root.appendingPathComponent("source.json").path)
        try SynthDocuments.target(scenes, withParts: false).write(to: root.appendingPathComponent("target.json").path)
        try SynthDocuments.target(scenes, withParts: true).write(to: root.appendingPathComponent("target_gt.json").path)
        try SynthDocuments.target(folder, withParts: true).write(to: root.appendingPathComponent("folder_gt.json").path)
        try SynthManifest(options: options, scenes: scenes, folder: folder).write(to: root)

        var summary = SynthSummary()
        summary.sourceImages = scenes.filter { $0.split == .source }.count
        summary.targetImages = scenes.count - summary.sourceImages
        summary.folderImages = folder.count
        summary.objects = images.reduce(0) { $0 + $1.objects.count }
        summary.parts = images.reduce(0) { $0 + $1.objects.reduce(0) { $0 + $1.parts.count } }
        return summary
    }

    /// Renders, saves and encodes job `job`: a scene image, or a class-folder image after them.
    private static func renderJob(_ job: Int, options: SynthOptions, root: URL) throws -> EncodedImage {
        let scene: SynthScene, fileName: String, split: SynthSplit, path: String
        if job < options.images {
            scene = self.scene(index: job, options: options)
            split = self.split(ofImage: job, options: options)
            fileName = String(format: "%06d.png", job + 1)
            path = root.appendingPathComponent("images").appendingPathComponent(fileName).path
        } else {
            let k = job - options.images
            let category = SynthCatalog.novel[k / options.folderImagesPerClass]
            scene = folderScene(category: category, index: k % options.folderImagesPerClass, options: options)
            split = .target
            fileName = String(format: "\(category.name)/\(category.name)_%04d.png", k % options.folderImagesPerClass + 1)
            path = root.appendingPathComponent("folder").appendingPathComponent(fileName).path
        }
        try writeRGB(scene.rgb, width: scene.width, height: scene.height, path: path)
        let id = Int64(job < options.images ? job + 1 : job - options.images + 1)
        return EncodedImage(id: id, fileName: fileName, split: split, scene: scene.kind,
                            width: scene.width, height: scene.height, objects: encode(scene))
    }

    /// Saves interleaved RGB bytes as PNG.
    static func writeRGB(_ rgb: [UInt8], width: Int, height: Int, path: String) throws {
        do {
            try Image(width: width, height: height, channels: 3, pixels: rgb).writePNG(path: path)
        } catch {
            throw SynthError.unwritable(path: path, reason: "\(error)")
        }
    }
}

/// A thread-safe counter for progress reports.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}
