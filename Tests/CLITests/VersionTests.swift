import Foundation
import Testing
import TestSupport

@Test func versionAndHelpWork() throws {
    let version = try runVLPart(["--version"])
    #expect(version.status == 0)
    #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    let help = try runVLPart(["--help"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("doctor"))
}

@Test func unknownCommandFailsWithUsage() throws {
    let result = try runVLPart(["no-such-command"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("Error"))
}

/// `VLPART_THREADS` sets the worker count `doctor` reports; a bad value is a one-line error.
@Test func threadSettingComesFromTheEnvironment() throws {
    let one = try runVLPart(["doctor"], environment: ["VLPART_THREADS": "1"])
    #expect(one.status == 0)
    #expect(one.stdout.contains("workers: 1 (VLPART_THREADS)"), "\(one.stdout)")
    let bad = try runVLPart(["doctor"], environment: ["VLPART_THREADS": "many"])
    #expect(bad.status != 0)
    #expect(bad.stderr.contains("VLPART_THREADS must be a positive whole number of threads, not 'many'"), "\(bad.stderr)")
}
