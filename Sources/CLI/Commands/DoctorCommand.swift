import ArgumentParser
import CBLAS
import Foundation
import Imaging
import Tensor

/// `vlpart doctor`: reports the libraries and settings vlpart runs with.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Show the linked libraries, BLAS threads and data locations vlpart will use."
    )

    func run() throws {
        let blasConfig = openblas_get_config().map { String(cString: $0) } ?? "unknown"
        print("vlpart \(VLPart.version)")
        print("codecs: \(Codecs.version)")
        print("blas: \(blasConfig), \(openblas_get_num_threads()) threads")
        print("cores: \(ProcessInfo.processInfo.activeProcessorCount)")
        let limited = ProcessInfo.processInfo.environment["VLPART_THREADS"] != nil
        print("workers: \(parallelWidth)\(limited ? " (VLPART_THREADS)" : " (every core; VLPART_THREADS=n limits them)")")
    }
}
