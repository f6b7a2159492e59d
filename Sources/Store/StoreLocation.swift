/// Where the store file lives: `--db PATH`, else `$VLPART_DB`, else `./vlpart.sqlite`.
public enum StoreLocation {
    /// The file name used when neither a flag nor the environment names a store.
    public static let defaultPath = "vlpart.sqlite"

    /// Resolves the store path from an explicit flag value and an environment.
    ///
    /// - Parameters:
    ///   - flag: the value of `--db`, if given; an empty string counts as absent.
    ///   - environment: usually `ProcessInfo.processInfo.environment`.
    public static func resolve(flag: String?, environment: [String: String]) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let env = environment["VLPART_DB"], !env.isEmpty { return env }
        return defaultPath
    }
}
