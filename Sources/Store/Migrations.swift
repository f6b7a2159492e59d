import GRDB

/// The store's schema, as named, append-only GRDB migrations.
///
/// Never edit a migration that has shipped: add a new one. Migrations use only SQL and GRDB's
/// table builder, never Swift record types, so a record may change without breaking old stores.
/// Enumerated columns (`level`, `source`, `status`) are checked in SQL so no program can write a
/// value vlpart does not understand.
enum Migrations {
    /// The migrator every `Store` runs on open.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-core", migrate: createCore)
        migrator.registerMigration("v1-engine", migrate: createEngine)
        return migrator
    }

    /// Datasets, images, categories, labels and annotations.
    private static func createCore(_ db: Database) throws {
        try db.create(table: "dataset") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("name", .text).notNull().unique()
            t.column("role", .text).notNull().check(sql: "role IN ('source', 'target')")
            t.column("format", .text).notNull()
            t.column("root", .text).notNull()                 // image folder; relative to the store's folder when inside it
            t.column("file_path", .text)                      // the imported JSON or folder
            t.column("file_sha256", .text)
            t.column("file_size", .integer)
            t.column("imported_at", .datetime).notNull()
            t.column("report", .text)                         // JSON: validation counts of the import
        }
        try db.create(table: "image") { t in
            t.primaryKey("id", .integer)            // rowid alias: no sqlite_sequence update per insert
            t.column("dataset_id", .integer).notNull().references("dataset", onDelete: .cascade).indexed()
            t.column("file_name", .text).notNull()            // relative to the dataset root
            t.column("width", .integer).notNull().check(sql: "width > 0")
            t.column("height", .integer).notNull().check(sql: "height > 0")
            t.column("split", .text)
            t.column("source_id", .integer)                   // the dataset's own image id
            t.uniqueKey(["dataset_id", "source_id"])
        }
        try db.create(table: "category") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("level", .text).notNull().check(sql: "level IN ('scene', 'object', 'part')")
            t.column("name", .text).notNull()                 // normalised: `dog`, `dog:head`
            t.column("object_category_id", .integer).references("category", onDelete: .restrict).indexed()
            t.column("part_name", .text)
            t.uniqueKey(["level", "name"])
            t.check(sql: "(level = 'part') = (object_category_id IS NOT NULL AND part_name IS NOT NULL)")
        }
        // How one dataset spells and numbers a category, so export can write it back unchanged.
        try db.create(table: "dataset_category") { t in
            t.column("dataset_id", .integer).notNull().references("dataset", onDelete: .cascade)
            t.column("category_id", .integer).notNull().references("category", onDelete: .restrict).indexed()
            t.column("source_id", .integer)
            t.column("source_name", .text).notNull()
            t.column("export_name", .text).notNull()          // `obj:part` in the dataset's spelling
            t.column("supercategory", .text)
            t.primaryKey(["dataset_id", "category_id"])
        }
        try db.create(table: "run") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("kind", .text).notNull()                 // import, features, parse, train, eval, pretrain
            t.column("params", .text)                         // JSON
            t.column("status", .text).notNull().check(sql: "status IN ('running', 'finished', 'failed')")
            t.column("started_at", .datetime).notNull()
            t.column("finished_at", .datetime)
            t.column("stats", .text)                          // JSON
        }
        try db.create(table: "image_label") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("image_id", .integer).notNull().references("image", onDelete: .cascade).indexed()
            t.column("category_id", .integer).notNull().references("category", onDelete: .restrict).indexed()
            t.column("source", .text).notNull().check(sql: "source IN ('gold', 'parsed', 'predicted', 'manual')")
            t.column("status", .text).notNull().check(sql: "status IN ('pending', 'accepted', 'rejected')")
            t.column("score", .double)
            t.column("run_id", .integer).references("run", onDelete: .setNull).indexed()
            t.uniqueKey(["image_id", "category_id", "source"])
        }
        try db.create(table: "annotation") { t in
            t.primaryKey("id", .integer)
            t.column("image_id", .integer).notNull().references("image", onDelete: .cascade).indexed()
            t.column("category_id", .integer).notNull().references("category", onDelete: .restrict).indexed()
            t.column("level", .text).notNull().check(sql: "level IN ('object', 'part')")
            t.column("parent_id", .integer).references("annotation", onDelete: .cascade)
            t.column("bbox_x", .double).notNull()
            t.column("bbox_y", .double).notNull()
            t.column("bbox_w", .double).notNull()
            t.column("bbox_h", .double).notNull()
            t.column("rle", .text).notNull()                  // COCO compressed counts, column-major
            t.column("area", .double).notNull()               // as the dataset states it (polygon area for COCO)
            t.column("iscrowd", .boolean).notNull().defaults(to: false)
            t.column("score", .double)
            t.column("source", .text).notNull().check(sql: "source IN ('gold', 'parsed', 'predicted', 'manual')")
            t.column("run_id", .integer).references("run", onDelete: .setNull)
            t.column("status", .text).notNull().check(sql: "status IN ('pending', 'accepted', 'rejected')")
            t.column("provenance", .text)                     // JSON
            t.column("source_id", .integer)                   // the dataset's own annotation id
            t.column("updated_at", .datetime)
        }
        // Partial indexes: gold objects (most rows of an import) touch neither, which keeps a
        // million-row import fast; parts and generated labels are found through them.
        try db.create(index: "annotation_on_parent_id", on: "annotation", columns: ["parent_id"],
                      condition: Column("parent_id") != nil)
        try db.create(index: "annotation_on_run_id", on: "annotation", columns: ["run_id", "status"],
                      condition: Column("run_id") != nil)
    }

    /// Taxonomies, borrow proposals, runs' work items, embeddings, models and metrics.
    private static func createEngine(_ db: Database) throws {
        try db.create(table: "taxonomy") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("name", .text).notNull().unique()
            t.column("origin", .text).notNull().check(sql: "origin IN ('file', 'borrowed')")
            t.column("path", .text)
            t.column("created_at", .datetime).notNull()
        }
        try db.create(table: "taxonomy_part") { t in
            t.column("taxonomy_id", .integer).notNull().references("taxonomy", onDelete: .cascade)
            t.column("object_category_id", .integer).notNull().references("category", onDelete: .cascade).indexed()
            t.column("part_name", .text).notNull()
            t.primaryKey(["taxonomy_id", "object_category_id", "part_name"])
        }
        try db.create(table: "borrow") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("target_category_id", .integer).notNull().references("category", onDelete: .cascade).indexed()
            t.column("base_category_id", .integer).notNull().references("category", onDelete: .cascade).indexed()
            t.column("score", .double).notNull()
            t.column("runner_up", .text)                      // JSON
            t.column("status", .text).notNull()
                .check(sql: "status IN ('proposed', 'approved', 'edited', 'rejected')")
            t.column("parts", .text)                          // JSON array of part names
            t.column("decided_at", .datetime)
        }
        try db.create(table: "work_item") { t in
            t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
            t.column("annotation_id", .integer).notNull().references("annotation", onDelete: .cascade).indexed()
            t.column("state", .text).notNull().check(sql: "state IN ('pending', 'running', 'done', 'failed')")
            t.column("error", .text)
            t.primaryKey(["run_id", "annotation_id"])
        }
        try db.create(table: "embedding") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("owner", .text).notNull()                // image, annotation, category, text
            t.column("owner_id", .integer).notNull()
            t.column("model_sha", .text).notNull()
            t.column("facet", .text).notNull()
            t.column("layer", .integer).notNull()
            t.column("dim", .integer).notNull().check(sql: "dim > 0")
            t.column("data", .blob).notNull()                 // little-endian Float32 × dim
            t.uniqueKey(["owner", "owner_id", "model_sha", "facet", "layer"])
        }
        try db.create(table: "model") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("kind", .text).notNull().check(sql: "kind IN ('vit', 'text', 'segmenter')")
            t.column("path", .text).notNull()
            t.column("sha256", .text).notNull()
            t.column("config", .text)                         // JSON
            t.column("created_at", .datetime).notNull()
        }
        try db.create(table: "metric") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("run_id", .integer).notNull().references("run", onDelete: .cascade).indexed()
            t.column("name", .text).notNull()
            t.column("split", .text)
            t.column("category_id", .integer).references("category", onDelete: .cascade).indexed()
            t.column("value", .double).notNull()
        }
    }
}
