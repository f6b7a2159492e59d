import ArgumentParser
import Foundation
import Tensor

extension Precision: ExpressibleByArgument {}

/// `--precision fp32|bf16`, shared by every command that runs the ViT.
struct PrecisionOption: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Arithmetic of the ViT's matrix products: fp32, or bf16 on CPUs with AVX512-BF16 (about 2× the speed; "
            + "falls back to fp32 with a notice elsewhere).",
        valueName: "fp32|bf16"))
    var precision: Precision = .fp32

    /// The precision that will run on this CPU; prints the one-line notice (once per process)
    /// when it differs from the request.
    func resolved() -> Precision {
        let (precision, notice) = BF16Kernels.resolve(precision)
        if let notice, !Self.noticed.replace(true) { FileHandle.standardError.write(Data("vlpart: \(notice)\n".utf8)) }
        return precision
    }

    private static let noticed = Flag()

    /// A flag set once, from any thread.
    private final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        /// Sets the flag to `new` and returns the old value.
        func replace(_ new: Bool) -> Bool { lock.lock(); defer { lock.unlock() }; let old = value; value = new; return old }
    }
}
