import ArgumentParser
import Foundation
import Tensor

/// The `vlpart` command tree. Each command lives in `Commands/<Verb>Command.swift`, holds no
/// algorithm of its own, and calls one library entry point.
@main
struct VLPart: AsyncParsableCommand {
    static let version = "0.1.0"

    /// ArgumentParser's entry point, after tuning the allocator for tensor work
    /// (``keepFreedMemoryForReuse()``).
    static func main() async {
        keepFreedMemoryForReuse()
        do {
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

    static let configuration = CommandConfiguration(
        commandName: "vlpart",
        abstract: "A part-level annotation data engine: parse unlabelled objects into parts.",
        discussion: """
        Typical loop: import a source dataset with parts and a target collection without, \
        extract DINO features, borrow part taxonomies, parse, review, and retrain a segmenter. \
        Every command that touches labels takes --db (default ./vlpart.sqlite, or $VLPART_DB).
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
