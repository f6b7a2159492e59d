import ArgumentParser
import Foundation
import Imaging
import Segmenter
import Store

/// `vlpart eval`: measure generated labels and models against ground truth.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure parsed labels and trained segmenters against ground-truth part masks.",
        subcommands: [EvalParse.self, EvalSeg.self]
    )
}
