import Foundation

/// One executed step of the demo, as `report.json` lists it.
struct StepRecord: Encodable, Sendable {
    var name: String
    var command: String
    var seconds: Double
    var peakRSSMB: Double

    enum CodingKeys: String, CodingKey { case name, command, seconds, peakRSSMB = "peak_rss_mb" }
}

/// Runs demo steps as child `vlpart` processes: prints one line per step, keeps each step's
/// standard output and error under `logs/`, and records wall time and peak memory.
final class DemoRunner {
    let executable: String
    let directory: URL
    let logs: URL
    let verbose: Bool
    private(set) var steps: [StepRecord] = []

    init(directory: URL, verbose: Bool) throws {
        executable = ChildProcess.selfExecutable
        self.directory = directory
        logs = directory.appendingPathComponent("logs")
        self.verbose = verbose
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
    }

    /// Runs `vlpart arguments…` and returns its standard output; a failure throws with the last
    /// line it wrote to standard error.
    @discardableResult
    func step(_ name: String, _ arguments: [String]) throws -> String {
        let index = steps.count + 1
        let slug = String(format: "%02d-", index) + name.map { $0.isLetter || $0.isNumber ? $0 : "-" }
        let outPath = logs.appendingPathComponent(slug + ".out").path
        let errPath = logs.appendingPathComponent(slug + ".err").path
        let shown = "vlpart " + arguments.map(Self.shellQuoted).joined(separator: " ")
        note(String(format: "[%2d] %@", index, name) + (verbose ? "\n     " + shown : ""))
        let outcome = try ChildProcess.run(executable, arguments, stdoutPath: outPath, stderrPath: verbose ? nil : errPath)
        guard outcome.status == 0 else {
            let lines = ((try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
                .split(whereSeparator: \.isNewline).map(String.init)
            let last = lines.last { $0.contains("rror") } ?? lines.last ?? "no message"
            throw DemoError.step(name, status: outcome.status, log: errPath, lastLine: last)
        }
        let record = StepRecord(name: name, command: shown, seconds: outcome.seconds,
                                peakRSSMB: Double(outcome.peakRSS) / 1_048_576)
        steps.append(record)
        note(String(format: "     %.1f s, peak %.0f MB", record.seconds, record.peakRSSMB))
        return (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    }

    /// Runs a step whose standard output is one JSON document.
    func jsonStep(_ name: String, _ arguments: [String]) throws -> JSONValue {
        try JSONValue.parse(try step(name, arguments), name: name)
    }

    static func shellQuoted(_ s: String) -> String {
        s.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=,".contains($0) } ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
