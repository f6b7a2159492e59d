/// Why the demo stopped; one line each.
enum DemoError: Error, CustomStringConvertible {
    case spawn(String, String)
    case step(String, status: Int32, log: String, lastLine: String)
    case output(String, String)
    case directory(String, String)

    var description: String {
        switch self {
        case .spawn(let exe, let why): return "demo: could not start \(exe): \(why)"
        case .step(let name, let status, let log, let last):
            return "demo: step '\(name)' failed with status \(status): \(last) (full log: \(log))"
        case .output(let name, let why): return "demo: step '\(name)': \(why)"
        case .directory(let path, let why): return "demo: \(path): \(why)"
        }
    }
}
