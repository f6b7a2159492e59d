import Foundation
import GRDB

extension Store {
    /// Imports a dataset in one transaction: a failure (bad JSON, `--strict` findings, a killed
    /// process) leaves the store as it was.
    ///
    /// Re-importing the same file (same size and SHA-256) under the same name changes nothing and
    /// returns a report with `unchanged == true`. Another file under an existing name throws
    /// ``StoreError/datasetExists(name:file:)`` unless `options.replace` is set.
    ///
    /// ```swift
    /// let report = try store.importDataset(ImportOptions(format: .paco, file: "paco.json",
    ///     imagesRoot: "images", dataset: "paco", role: .source))
    /// ```
    /// - Throws: ``StoreError/json(file:path:message:)`` naming the JSON path of malformed input,
    ///   ``StoreError/validationFailed(file:summary:)`` under `strict`.
    public func importDataset(_ options: ImportOptions) throws -> ImportReport {
        let classMap = try options.classMapFile.map(Self.readClassMap) ?? [:]
        var fileSize: Int64
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: options.file)
            fileSize = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        } catch {
            throw StoreError.unreadable(file: options.file, reason: "no such file or folder")
        }
        let listing = options.format == .folder ? try ClassFolderImporter.listing(root: options.file) : nil
        if let listing { fileSize = Int64(listing.images.count) }

        let existing = try read { db in
            try Dataset.filter(Column("name") == options.dataset).fetchOne(db)
        }
        if let existing {
            if existing.fileSize == fileSize {
                let digest = try listing?.digest ?? SHA256.hexDigest(ofFile: options.file)
                if digest == existing.fileSHA256 {
                    var report = ImportReport(dataset: options.dataset)
                    report.unchanged = true
                    return report
                }
            }
            guard options.replace else { throw StoreError.datasetExists(name: options.dataset, file: options.file) }
        }

        let hasher = listing == nil ? BackgroundFileHasher(path: options.file) : nil
        defer { hasher?.cancel() }
        // Foreign-key checks are switched off for the bulk insert (they cost a statement journal
        // and four parent lookups per row); the importer resolves every id through its own maps,
        // deletes a replaced dataset's rows explicitly, and tests run `PRAGMA foreign_key_check`.
        // The pragma cannot change inside a transaction, hence the transaction is opened here.
        return try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
            var result: ImportReport?
            try db.inTransaction {
                result = try importInTransaction(db, options: options, existing: existing, listing: listing,
                                                 hasher: hasher, fileSize: fileSize, classMap: classMap)
                return .commit
            }
            guard let result else { throw StoreError.cannotOpen(path: path, reason: "import transaction did not run") }
            return result
        }
    }

    private func importInTransaction(_ db: Database, options: ImportOptions, existing: Dataset?,
                                 listing: ClassFolderImporter.Listing?, hasher: BackgroundFileHasher?,
                                 fileSize: Int64, classMap: [String: String]) throws -> ImportReport {
        // A bigger page cache (128 MiB) keeps a million-row transaction from spilling pages
        // to the WAL again and again; restored afterwards.
        let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        try db.execute(sql: "PRAGMA cache_size = -131072")
        defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
        if let existing, let id = existing.id { try Self.deleteDataset(db, id: id) }
        var dataset = Dataset(name: options.dataset, role: options.role, format: options.format.rawValue,
                              root: storedRoot(for: options.imagesRoot), filePath: options.file, fileSize: fileSize)
        try dataset.insert(db)
        guard let datasetID = dataset.id else { throw StoreError.cannotOpen(path: path, reason: "dataset insert failed") }
        var report: ImportReport
        if let listing {
            let importer = ClassFolderImporter(db: db, options: options, datasetID: datasetID, classMap: classMap)
            try importer.run(listing)
            report = importer.report
            dataset.fileSHA256 = listing.digest
        } else {
            let importer = COCOImporter(db: db, options: options, datasetID: datasetID, classMap: classMap)
            try importer.run()
            report = importer.report
            dataset.fileSHA256 = try hasher?.result()
        }
        report.categories = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dataset_category WHERE dataset_id = ?",
                                             arguments: [datasetID]) ?? 0
        if options.strict && report.issueCount > 0 {
            throw StoreError.validationFailed(file: options.file, summary: report.issueSummary)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        dataset.report = String(decoding: try encoder.encode(report), as: UTF8.self)
        try dataset.update(db)
        return report
    }

    /// Deletes a dataset and everything that hangs off it, without relying on cascades.
    static func deleteDataset(_ db: Database, id: Int64) throws {
        let images = "SELECT id FROM image WHERE dataset_id = ?"
        try db.execute(sql: "DELETE FROM work_item WHERE annotation_id IN (SELECT id FROM annotation WHERE image_id IN (\(images)))",
                       arguments: [id])
        try db.execute(sql: "DELETE FROM annotation WHERE image_id IN (\(images))", arguments: [id])
        try db.execute(sql: "DELETE FROM image_label WHERE image_id IN (\(images))", arguments: [id])
        try db.execute(sql: "DELETE FROM image WHERE dataset_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM dataset_category WHERE dataset_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM dataset WHERE id = ?", arguments: [id])
    }

    /// Reads `n02085620 dog` lines (`#` starts a comment); the name may contain spaces.
    static func readClassMap(_ path: String) throws -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError.unreadable(file: path, reason: "no such file")
        }
        var map: [String: String] = [:]
        for (number, rawLine) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            guard fields.count >= 2 else {
                throw StoreError.badListFile(file: path, line: number + 1, message: "expected 'FOLDER NAME', found '\(line)'")
            }
            let key = String(fields[0])
            guard map[key] == nil else {
                throw StoreError.badListFile(file: path, line: number + 1, message: "'\(key)' is mapped twice")
            }
            map[key] = fields.dropFirst().joined(separator: " ")
        }
        return map
    }
}
