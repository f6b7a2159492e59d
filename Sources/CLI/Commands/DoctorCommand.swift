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
        let cpu = CPUInfo.current
        let decision = BLASCore.decide(cpu: cpu, chosen: BLASCore.loaded, environment: ProcessInfo.processInfo.environment)
        print("vlpart \(VLPart.version)")
        print("codecs: \(Codecs.version)")
        print("cpu: \(cpu.brand.isEmpty ? "unknown" : cpu.brand) (\(cpu.vendor.rawValue), family \(cpu.family) model \(cpu.model))")
        print("cpu features: \(cpu.features.names.isEmpty ? "none detected" : cpu.features.names.joined(separator: " "))")
        print("blas: \(BLASCore.configuration), \(openblas_get_num_threads()) threads")
        print("blas core: \(BLASCore.loaded) (\(decision.reason))")
        print("cores: \(ProcessInfo.processInfo.activeProcessorCount)")
        let limited = ProcessInfo.processInfo.environment["VLPART_THREADS"] != nil
        print("workers: \(parallelWidth)\(limited ? " (VLPART_THREADS)" : " (every core; VLPART_THREADS=n limits them)")")
    }
}
