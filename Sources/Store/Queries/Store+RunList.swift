import Foundation
import GRDB

extension Store {
    /// Every run of `kind`, in id order (e.g. every parse run, to compare them).
    public func runs(kind: String) throws -> [RunReference] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, kind, status, params FROM run WHERE kind = ? ORDER BY id",
                             arguments: [kind]).map { row in
                RunReference(id: row["id"], name: row["name"], kind: row["kind"],
                             status: Run.Status(rawValue: row["status"]) ?? .failed, params: row["params"])
            }
        }
    }

    /// Image paths of a dataset (its recorded root joined with each file name), in id order:
    /// what `vlpart pretrain --dataset NAME` trains on.
    /// - Throws: ``StoreError/unknownDataset(name:)``.
    public func imagePaths(dataset name: String) throws -> [String] {
        try read { db in
            guard let dataset = try Dataset.filter(Column("name") == name).fetchOne(db), let id = dataset.id else {
                throw StoreError.unknownDataset(name: name)
            }
            let root = absoluteRoot(of: dataset)
            return try String.fetchAll(db, sql: "SELECT file_name FROM image WHERE dataset_id = ? ORDER BY id", arguments: [id])
                .map { root.appendingPathComponent($0).path }
        }
    }
}
