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

/// The line `doctor` prints for the core OpenBLAS runs, e.g. "blas core: Zen (…)".
private func blasCore(_ stdout: String) -> String? {
    stdout.split(separator: "\n").first { $0.hasPrefix("blas core: ") }
        .map { String($0.dropFirst("blas core: ".count).prefix { $0 != " " }) }
}

/// On a CPU with AVX2 the SSE3 `Prescott` kernels are a third of the speed: doctor must not show them.
@Test func doctorNeverReportsPrescottOnAnAVX2CPU() throws {
    let result = try runVLPart(["doctor"], environment: ["OPENBLAS_CORETYPE": "", "VLPART_BLAS_CORE_FROM": ""])
    #expect(result.status == 0)
    #expect(result.stdout.contains("cpu features: "), "\(result.stdout)")
    let core = try #require(blasCore(result.stdout), "\(result.stdout)")
    if result.stdout.contains(" avx2") {
        #expect(core.lowercased() != "prescott", "\(result.stdout)")
    }
}

/// An OpenBLAS that falls back to Prescott (reproduced by the drill marker) is corrected by
/// re-running once with the CPU's core; the command's own output is unchanged.
@Test func aPrescottFallbackIsCorrected() throws {
    let result = try runVLPart(["doctor"], environment: ["OPENBLAS_CORETYPE": "Prescott", "VLPART_BLAS_FALLBACK_DRILL": "1"])
    #expect(result.status == 0, "\(result.stderr)")
    guard result.stdout.contains(" avx2") else { return }   // nothing better to switch to
    let core = try #require(blasCore(result.stdout), "\(result.stdout)")
    #expect(core.lowercased() != "prescott", "\(result.stdout)")
    #expect(result.stdout.contains("set by vlpart: OpenBLAS chose Prescott"), "\(result.stdout)")
    #expect(result.stdout.components(separatedBy: "vlpart 0.1.0").count == 2)   // printed once
}

@Test func aCoreTheUserSetIsRespected() throws {
    let result = try runVLPart(["doctor"], environment: ["OPENBLAS_CORETYPE": "Prescott", "VLPART_BLAS_CORE_FROM": ""])
    #expect(result.status == 0)
    #expect(blasCore(result.stdout) == "Prescott", "\(result.stdout)")
    #expect(result.stdout.contains("set by you (OPENBLAS_CORETYPE=Prescott)"), "\(result.stdout)")
}
