import Foundation

/// Finds the `taxonomies/` directory shipped with vlpart.
public enum TaxonomyDirectory {
    /// The environment variable that overrides the search.
    public static let environmentKey = "VLPART_TAXONOMIES"

    /// Locates the shipped taxonomies, in this order:
    /// 1. `$VLPART_TAXONOMIES` (must be a directory);
    /// 2. a `taxonomies/` folder beside the executable or in any folder above it (a checkout
    ///    running `.build/release/vlpart`, or an install with `share/` layout's sibling folder);
    /// 3. `taxonomies/` in the current directory.
    ///
    /// - Parameters:
    ///   - environment: defaults to the process environment.
    ///   - executable: defaults to the running executable.
    ///   - currentDirectory: defaults to the process's working directory.
    /// - Throws: ``TaxonomyError/directoryNotFound(searched:)`` listing the places tried.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment,
                              executable: URL? = Bundle.main.executableURL,
                              currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        throws -> URL {
        var searched: [String] = []
        if let override = environment[environmentKey], !override.isEmpty {
            let url = URL(fileURLWithPath: override)
            if isDirectory(url) { return url }
            searched.append("$\(environmentKey)=\(override)")
        }
        if let executable {
            var dir = executable.resolvingSymlinksInPath().deletingLastPathComponent()
            while true {
                let candidate = dir.appendingPathComponent("taxonomies")
                if isDirectory(candidate) { return candidate }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
            searched.append("above \(executable.path)")
        }
        let local = currentDirectory.appendingPathComponent("taxonomies")
        if isDirectory(local) { return local }
        searched.append(local.path)
        throw TaxonomyError.directoryNotFound(searched: searched)
    }

    /// The `.yaml` files of a taxonomies directory, sorted by name.
    public static func files(in directory: URL) throws -> [URL] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw TaxonomyError.unreadable(path: directory.path, reason: (error as NSError).localizedDescription)
        }
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { directory.appendingPathComponent($0) }
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
    }
}

extension Taxonomy {
    /// Loads every shipped taxonomy (`directory` defaults to ``TaxonomyDirectory/locate(environment:executable:currentDirectory:)``).
    public static func loadShipped(directory: URL? = nil) throws -> Taxonomy {
        let dir = try directory ?? TaxonomyDirectory.locate()
        return try load(paths: TaxonomyDirectory.files(in: dir).map(\.path))
    }

    /// Loads the shipped taxonomy file with this name (`pascal_part`).
    ///
    /// - Throws: ``TaxonomyError/notFound(name:directory:available:)`` listing the names there.
    public static func loadShippedFile(named name: String, directory: URL? = nil) throws -> TaxonomyFile {
        let dir = try directory ?? TaxonomyDirectory.locate()
        let urls = try TaxonomyDirectory.files(in: dir)
        let files = try urls.map { try TaxonomyFile.load(path: $0.path) }
        if let file = files.first(where: { $0.name == name }) { return file }
        throw TaxonomyError.notFound(name: name, directory: dir.path, available: files.map(\.name))
    }
}
