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
