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

        return try write { db in
            if let existing { _ = try existing.delete(db) }
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
                dataset.fileSHA256 = try importer.run()
                report = importer.report
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
