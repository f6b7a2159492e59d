import ArgumentParser
import Foundation
import Tensor

/// The `vlpart` command tree. Each command lives in `Commands/<Verb>Command.swift`, holds no
/// algorithm of its own, and calls one library entry point.
@main
struct VLPart: AsyncParsableCommand {
    static let version = "0.1.0"

    /// ArgumentParser's entry point, after making sure OpenBLAS runs the kernels this CPU can
    /// (``useTheRightBLASCore()``), tuning the allocator for tensor work
    /// (``keepFreedMemoryForReuse()``) and the worker count (``applyThreadSetting()``).
    static func main() async {
        useTheRightBLASCore()
        keepFreedMemoryForReuse()
        do {
            try applyThreadSetting()
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    /// OpenBLAS picks its kernels when it loads, before `main`; an OpenBLAS older than the CPU falls
    /// back to SSE3 kernels at a third of the speed. When ``BLASCore/decide(cpu:chosen:environment:)``
    /// names a better core, vlpart runs itself again, once, with `OPENBLAS_CORETYPE` set to it.
    /// If the re-execution cannot happen, vlpart carries on with the kernels it has.
    static func useTheRightBLASCore() {
        let chosen = BLASCore.loaded
        let decision = BLASCore.decide(cpu: .current, chosen: chosen, environment: ProcessInfo.processInfo.environment)
        guard let core = decision.switchTo else { return }
        setenv(BLASCore.overrideVariable, core, 1)
        setenv(BLASCore.originalCoreVariable, chosen, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Only reached when execv failed; the marker stays set, so nothing loops.
    }

    /// `VLPART_THREADS=n` caps vlpart's workers (data-parallel training shards, parallel loops) and
    /// OpenBLAS's threads at `n`; without it vlpart uses every core. Benchmarks set it so both
    /// sides of a comparison run on the same number of threads.
    static func applyThreadSetting() throws {
        guard let raw = ProcessInfo.processInfo.environment["VLPART_THREADS"] else { return }
        guard let n = Int(raw.trimmingCharacters(in: .whitespaces)), n > 0 else {
            throw EnvironmentSettingError(message: "VLPART_THREADS must be a positive whole number of threads, not '\(raw)'")
        }
        setParallelWidth(n)
    }

    static let configuration = CommandConfiguration(
        commandName: "vlpart",
        abstract: "A part-level annotation data engine: parse unlabelled objects into parts.",
        discussion: """
        Typical loop: import a source dataset with parts and a target collection without, \
        extract DINO features, borrow part taxonomies, parse, review, and retrain a segmenter. \
        Every command that touches labels takes --db (default ./vlpart.sqlite, or $VLPART_DB). \
        vlpart uses every core; VLPART_THREADS=n limits it (and OpenBLAS) to n threads.
        """,
        version: version,
        subcommands: [
            InitCommand.self,
            ImportCommand.self,
            ExportCommand.self,
            StatsCommand.self,
            LabelCommand.self,
            ReviewCommand.self,
            TaxonomyCommand.self,
            SynthCommand.self,
            PretrainCommand.self,
            FeaturesCommand.self,
            TextCommand.self,
            ParseCommand.self,
            EvalCommand.self,
            TrainCommand.self,
            SegmentCommand.self,
            ProbeCommand.self,
            BenchCommand.self,
            BenchImagingCommand.self,
            BenchSegmenterCommand.self,
            DoctorCommand.self,
            DemoCommand.self,
        ]
    )
}

/// A bad environment variable: printed as one line (`Error: …`), without the usage text a
/// command-line mistake gets.
struct EnvironmentSettingError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
