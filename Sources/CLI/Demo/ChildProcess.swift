import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one child `vlpart` invocation cost and how it ended.
struct ChildOutcome: Sendable {
    /// Exit status; a signal `s` is reported as `128 + s`, as shells do.
    var status: Int32
    var seconds: Double
    /// Peak resident set size of the child alone (`ru_maxrss` from `wait4`), bytes.
    var peakRSS: Int
}

/// Runs this very executable again with other arguments, so every demo step is an ordinary
/// `vlpart` command whose wall time and peak memory are measured on its own (`wait4` gives the
/// child's `ru_maxrss`, which an in-process call could not separate from the demo's).
enum ChildProcess {
    /// The running executable: `/proc/self/exe` on Linux, `argv[0]` elsewhere.
    static var selfExecutable: String {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return target }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }

    /// Runs `executable arguments…` with standard output written to `stdoutPath` (truncated) and
    /// standard error to `stderrPath` when given (otherwise inherited), and waits for it.
    static func run(_ executable: String, _ arguments: [String], stdoutPath: String, stderrPath: String? = nil) throws -> ChildOutcome {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let stderrPath {
            posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }

        let start = DispatchTime.now().uptimeNanoseconds
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard rc == 0 else { throw DemoError.spawn(executable, String(cString: strerror(rc))) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw DemoError.spawn(executable, String(cString: strerror(errno))) }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        // The W* macros are not imported into Swift; these are their Linux/BSD definitions.
        let signal = status & 0x7f
        let code = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        #if os(Linux)
        let rss = Int(usage.ru_maxrss) * 1024          // kilobytes on Linux
        #else
        let rss = Int(usage.ru_maxrss)                 // bytes on macOS
        #endif
        return ChildOutcome(status: code, seconds: seconds, peakRSS: rss)
    }
}
