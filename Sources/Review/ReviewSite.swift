import Foundation
import GRDB
import Imaging
import Store
import Taxonomy

/// Writes the static review site of one parse run: `index.html`, `taxonomy.html`,
/// `objects-<n>.html` (n from 1) and `img/obj-<annotation id>.png` for every object shown
/// (reviewed objects and the base objects they borrowed from).
///
/// The site opens from disk (no server, no external assets). Objects stream from one SQLite
/// cursor in page order, so memory holds one page of objects, whatever the run's size; the
/// index's counts and histograms are SQL aggregates. Everything is read in one transaction,
/// so the pages agree with each other even while another process writes labels.
///
/// ```swift
/// let summary = try ReviewSite(store: store, options: ReviewOptions()).write(to: URL(fileURLWithPath: "review"))
/// print(summary.index)   // review/index.html
/// ```
public struct ReviewSite: Sendable {
    public let store: Store
    public let options: ReviewOptions

    public init(store: Store, options: ReviewOptions) {
        self.store = store
        self.options = options
    }

    /// The run `options.run` names, or the newest parse run.
    /// - Throws: `StoreError.unknownRun` for a name or id that is not a parse run,
    ///   `ReviewError.noParseRun` when there is none.
    public func resolveRun() throws -> RunReference {
        if let name = options.run { return try store.run(name, kind: "parse") }
        let newest = try store.read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM run WHERE kind = 'parse' ORDER BY id DESC LIMIT 1")
        }
        guard let newest else { throw ReviewError.noParseRun(store: store.path) }
        return try store.run(String(newest), kind: "parse")
    }

    /// Writes the site into `directory` (created if needed; earlier `objects-<n>.html` pages
    /// there are removed first, so no stale page survives a smaller run).
    ///
    /// - Parameter progress: called after each page with (objects written, objects in all).
    /// - Throws: `ReviewError`, `StoreError`; a picture that cannot be drawn (missing or
    ///   unreadable image file, malformed mask) is not an error: its page says why, and
    ///   ``ReviewSummary/pictureFailures`` counts it.
    public func write(to directory: URL, progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }) throws -> ReviewSummary {
        guard options.pageSize >= 1 else { throw ReviewError.badPageSize(options.pageSize) }
        let run = try resolveRun()
        let selection = PartSelection(runID: run.id, statuses: options.statuses)
        let borrows = try store.borrowEntries()
        let files = SiteFiles(directory: directory)
        try files.prepare()
        let runTitle = IndexPage.title(run)
        return try store.read { db in
            let counts = try selection.counts(db)
            let pages = max(1, (counts.objects + options.pageSize - 1) / options.pageSize)
            var pictures = PictureWriter(files: files, locator: try ImageLocator(store: store, db),
                                         colors: PartColors(borrows: borrows), size: options.pictureSize)
            var summaries: [PageSummary] = []
            var written = 0
            try selection.forEachPage(db, sort: options.sort, pageSize: options.pageSize) { keys in
                let objects = try selection.objects(db, keys: keys, images: pictures.locator)
                let cards = try pictures.cards(db, objects, firstRank: written + 1)
                let number = summaries.count + 1
                try files.write(ObjectPage.fileName(number), ObjectPage.html(cards: cards, page: number, pages: pages,
                                                                              runTitle: runTitle, storePath: store.path))
                summaries.append(PageSummary(number: number, objects: keys.count, firstScore: keys.first?.score,
                                             lastScore: keys.last?.score, firstCategory: keys.first?.category ?? "",
                                             lastCategory: keys.last?.category ?? ""))
                written += keys.count
                progress(written, counts.objects)
            }
            if summaries.isEmpty {
                try files.write(ObjectPage.fileName(1), ObjectPage.html(cards: [], page: 1, pages: 1, runTitle: runTitle,
                                                                         storePath: store.path))
                summaries.append(PageSummary(number: 1, objects: 0, firstScore: nil, lastScore: nil, firstCategory: "", lastCategory: ""))
            }
            try files.write("taxonomy.html", TaxonomyPage.html(borrows, runTitle: runTitle))
            try files.write("index.html", IndexPage.html(IndexPage.Context(
                run: run, options: options, counts: counts, pages: summaries, storePath: store.path,
                pictureFailures: pictures.failures)))
            return ReviewSummary(index: files.url("index.html").path, runID: run.id, runName: run.name, objects: written,
                                 parts: counts.parts, pages: summaries.count, pictures: pictures.drawn,
                                 pictureFailures: pictures.failures)
        }
    }
}

/// The site folder: creates it, clears old pages, writes files with errors that name them.
struct SiteFiles: Sendable {
    let directory: URL

    func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    func prepare() throws {
        do {
            try FileManager.default.createDirectory(at: url("img"), withIntermediateDirectories: true)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where Self.isPage(name) {
                try FileManager.default.removeItem(at: url(name))
            }
        } catch {
            throw ReviewError.unwritable(path: directory.path, reason: "\(error.localizedDescription)")
        }
    }

    /// `objects-<digits>.html`: the only files `prepare` removes.
    static func isPage(_ name: String) -> Bool {
        guard name.hasPrefix("objects-"), name.hasSuffix(".html") else { return false }
        let middle = name.dropFirst("objects-".count).dropLast(".html".count)
        return !middle.isEmpty && middle.allSatisfy(\.isASCII) && middle.allSatisfy(\.isNumber)
    }

    func write(_ name: String, _ text: String) throws { try write(name, Data(text.utf8)) }

    func write(_ name: String, _ data: Data) throws {
        do { try data.write(to: url(name)) } catch {
            throw ReviewError.unwritable(path: url(name).path, reason: error.localizedDescription)
        }
    }
}
