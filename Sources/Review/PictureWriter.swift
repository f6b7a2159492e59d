import Foundation
import GRDB
import Imaging
import Store

/// One picture to draw: plain data, so a page's pictures can be drawn in parallel.
struct PictureJob: Sendable {
    var object: ReviewObject
    var layers: [PictureLayer]
    /// Path relative to the site folder (`img/obj-12.png`).
    var file: String
}

/// A drawn picture as PNG bytes, or why it could not be drawn.
enum RenderedPicture: Sendable {
    case png(bytes: [UInt8], width: Int, height: Int)
    case failed(String)
}

/// A pointer that concurrent iterations may share because each writes a disjoint index.
private struct DisjointWrites<T>: @unchecked Sendable { let base: UnsafeMutablePointer<T> }

/// Plans, draws and writes the pictures of each page. Each base object is drawn once per
/// target category (its colours follow that category's borrowed parts).
///
/// Per page: the cards and their picture jobs are planned serially (store reads), the
/// pictures are decoded, drawn and PNG-encoded in parallel chunks, then written serially.
struct PictureWriter {
    let files: SiteFiles
    let locator: ImageLocator
    let colors: PartColors
    let size: Int
    private(set) var drawn = 0
    private(set) var failures = 0
    /// Base pictures already drawn, by `"<base id>/<target category id>"`.
    private var bases: [String: PictureOutcome] = [:]
    /// Base ids with at least one picture: a second target category gets `-for-<category>`.
    private var drawnBaseIDs = Set<Int64>()

    init(files: SiteFiles, locator: ImageLocator, colors: PartColors, size: Int) {
        self.files = files; self.locator = locator; self.colors = colors; self.size = size
    }

    /// The cards of one page, ranked from `firstRank`, with their pictures written.
    mutating func cards(_ db: Database, _ objects: [ReviewObject], firstRank: Int) throws -> [ObjectCard] {
        var jobs: [PictureJob] = []
        var cards: [ObjectCard] = []
        // Per card: its own job, and its base picture as a job of this page or one drawn before.
        var plan: [(job: Int, base: (object: ReviewObject, job: Int?, key: String)?)] = []
        var baseJobs: [String: Int] = [:]
        for (i, object) in objects.enumerated() {
            let layers = colors.targetLayers(object)
            let ownJob = jobs.count
            jobs.append(PictureJob(object: object, layers: layers, file: "img/obj-\(object.annotation.id ?? 0).png"))
            var card = ObjectCard(rank: firstRank + i, object: object, layers: layers, picture: .failed("not drawn"),
                                  base: nil, baseName: nil)
            var basePlan: (object: ReviewObject, job: Int?, key: String)?
            if let baseID = object.provenance.bases.first {
                if let base = try PartSelection.baseObject(db, id: baseID, images: locator) {
                    let target = object.annotation.categoryID
                    let key = "\(baseID)/\(target)"
                    if bases[key] != nil { basePlan = (base, nil, key) } else if let job = baseJobs[key] {
                        basePlan = (base, job, key)
                    } else {
                        let suffix = drawnBaseIDs.contains(baseID) ? "-for-\(target)" : ""
                        drawnBaseIDs.insert(baseID)
                        baseJobs[key] = jobs.count
                        basePlan = (base, jobs.count, key)
                        jobs.append(PictureJob(object: base, layers: colors.baseLayers(base, forTarget: target),
                                               file: "img/obj-\(baseID)\(suffix).png"))
                    }
                } else {
                    card.baseName = "#\(baseID)"
                }
            }
            cards.append(card)
            plan.append((ownJob, basePlan))
        }
        let rendered = Self.render(jobs, size: size)
        var outcomes: [PictureOutcome] = []
        for (job, picture) in zip(jobs, rendered) {
            switch picture {
            case let .png(bytes, width, height):
                try files.write(job.file, Data(bytes))
                drawn += 1
                outcomes.append(.drawn(file: job.file, width: width, height: height))
            case let .failed(message):
                outcomes.append(.failed(message))
            }
        }
        for (key, job) in baseJobs { bases[key] = outcomes[job] }
        for (i, step) in plan.enumerated() {
            cards[i].picture = outcomes[step.job]
            if case .failed = outcomes[step.job] { failures += 1 }
            if let base = step.base, let outcome = base.job.map({ outcomes[$0] }) ?? bases[base.key] {
                cards[i].base = (base.object, outcome, objects[i].provenance.similarities.first)
            }
        }
        return cards
    }

    /// Decodes, draws and encodes every job, in parallel chunks (roughly one per core).
    static func render(_ jobs: [PictureJob], size: Int) -> [RenderedPicture] {
        var results = [RenderedPicture](repeating: .failed("not drawn"), count: jobs.count)
        guard !jobs.isEmpty else { return results }
        let chunks = min(jobs.count, ProcessInfo.processInfo.activeProcessorCount)
        results.withUnsafeMutableBufferPointer { buffer in
            let out = DisjointWrites(base: buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                for j in stride(from: chunk, to: jobs.count, by: chunks) { out.base[j] = render(jobs[j], size: size) }
            }
        }
        return results
    }

    /// One picture; a failure to read, draw or encode becomes `.failed` with its message.
    static func render(_ job: PictureJob, size: Int) -> RenderedPicture {
        do {
            let image = try Image.read(path: job.object.imagePath)
            let picture = try ObjectPicture.render(image: image, record: job.object.image, path: job.object.imagePath,
                                                   bbox: job.object.annotation.bbox, layers: job.layers, size: size)
            // zlib level 1: several times faster than the default 6 on these small, noisy crops.
            return .png(bytes: try picture.encodePNG(compressionLevel: 1), width: picture.width, height: picture.height)
        } catch {
            return .failed("\(error)")
        }
    }
}
