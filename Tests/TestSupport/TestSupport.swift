import Foundation
import Testing
// Tests seed their data with Tensor's SplitMix64; print the seed in failure messages.
@_exported import struct Tensor.SplitMix64

/// The repository's `Tests/Fixtures/<module>/<name>` file, found from this source file's path
/// so tests work from any working directory.
public func fixtureURL(_ module: String, _ name: String) -> URL {
    URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent(module).appendingPathComponent(name)
}

/// The root of the package checkout (the folder holding `Package.swift`).
public var packageRoot: URL {
    URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// Records an issue unless `|a − b| ≤ atol + rtol·|b|` holds elementwise; the message names the
/// worst index and both values: `vit.block0: worst at [1873] got 0.41277 want 0.41391`.
public func expectClose(_ actual: [Float], _ expected: [Float], atol: Float = 1e-5, rtol: Float = 1e-4,
                        label: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual.count == expected.count else {
        Issue.record("\(label): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    var worst = -1
    var worstExcess: Float = 0
    for i in 0..<actual.count {
        let allowed = atol + rtol * abs(expected[i])
        let err = abs(actual[i] - expected[i])
        if !(err <= allowed) {
            let excess = err.isNaN ? .infinity : err - allowed
            if worst < 0 || excess > worstExcess { worst = i; worstExcess = excess }
        }
    }
    if worst >= 0 {
        Issue.record("\(label): worst at [\(worst)] got \(actual[worst]) want \(expected[worst])",
                     sourceLocation: sourceLocation)
    }
}

/// The built `vlpart` executable beside the test bundle (or `$VLPART_BIN`).
public var vlpartExecutable: URL {
    if let path = ProcessInfo.processInfo.environment["VLPART_BIN"] { return URL(fileURLWithPath: path) }
    let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var dir = runner.deletingLastPathComponent()
    // On Linux the runner is `.build/<config>/vlpartPackageTests.xctest`; on macOS it sits
    // inside a bundle, so walk up until the executable appears.
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("vlpart")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return runner.deletingLastPathComponent().appendingPathComponent("vlpart")
}

/// Output of one `vlpart` run.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Runs the built `vlpart` with `arguments`, optional standard input and extra environment.
public func runVLPart(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                      currentDirectory: URL? = nil) throws -> CommandResult {
    let process = Process()
    process.executableURL = vlpartExecutable
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    // Read both pipes concurrently with the process so a chatty command cannot fill a pipe and block.
    nonisolated(unsafe) var errData = Data()
    let errReader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
    errReader.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errReader.isFinished { usleep(1000) }
    return CommandResult(status: process.terminationStatus,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

/// A fresh temporary directory, removed by the caller when done.
public func makeTemporaryDirectory(_ prefix: String = "vlpart-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
