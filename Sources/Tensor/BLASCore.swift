import CBLAS

/// Which OpenBLAS kernel set ("core") this process should run, and why.
///
/// OpenBLAS picks its kernels once, when the library loads, from the CPU's family and model
/// numbers. A release older than the CPU does not know the model and falls back to its SSE3
/// `Prescott` kernels: Debian's 0.3.21 on a Sapphire Rapids Xeon (AVX-512, BF16) runs GEMM at a
/// third of the speed its `Cooperlake` kernels reach there. vlpart compares OpenBLAS's choice with
/// the SIMD levels CPUID reports; when the choice is weaker, the CLI runs itself again once with
/// `OPENBLAS_CORETYPE` naming the right core (a value the user set is left alone).
public enum BLASCore {
    /// The environment variable OpenBLAS reads its forced core from.
    public static let overrideVariable = "OPENBLAS_CORETYPE"
    /// Set by vlpart, beside `OPENBLAS_CORETYPE`, to the core OpenBLAS had chosen on its own; it
    /// marks the override as vlpart's (not the user's) and stops a second re-execution.
    public static let originalCoreVariable = "VLPART_BLAS_CORE_FROM"
    /// Set (to anything) beside `OPENBLAS_CORETYPE` to treat that core as OpenBLAS's own choice
    /// rather than the user's. It lets a test reproduce an OpenBLAS that falls back to `Prescott`
    /// on a CPU it does not know, on any machine, and check that vlpart corrects it.
    public static let fallbackDrillVariable = "VLPART_BLAS_FALLBACK_DRILL"

    /// SIMD levels of OpenBLAS's x86-64 kernel sets, weakest first.
    public enum Level: Int, Comparable, Sendable {
        case sse = 1, avx, avx2, avx512, avx512bf16

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }

        /// What the level means, for `vlpart doctor`.
        public var label: String {
            switch self {
            case .sse: "SSE"
            case .avx: "AVX"
            case .avx2: "AVX2+FMA"
            case .avx512: "AVX-512"
            case .avx512bf16: "AVX-512 with BF16"
            }
        }
    }

    /// The level of an OpenBLAS core name (as `openblas_get_corename` returns it, any case);
    /// `nil` for names vlpart does not know, which it then leaves alone.
    public static func level(ofCore name: String) -> Level? {
        switch name.lowercased() {
        case "sapphirerapids", "cooperlake": .avx512bf16
        case "skylakex": .avx512
        case "haswell", "zen", "excavator": .avx2
        case "sandybridge", "bulldozer", "piledriver", "steamroller": .avx
        case "prescott", "core2", "penryn", "dunnington", "nehalem", "atom", "barcelona", "opteron",
             "opteron_sse3", "nano", "bobcat", "athlon", "katmai", "coppermine", "northwood", "banias", "unknown":
            .sse
        default: nil
        }
    }

    /// The strongest core this CPU can run that OpenBLAS 0.3.21 (Debian 12's) ships, with its level;
    /// `nil` below AVX, where every core is SSE and OpenBLAS's own choice stands.
    public static func best(for cpu: CPUInfo) -> (core: String, level: Level)? {
        let f = cpu.features
        if f.isSuperset(of: .avx512Core) && f.contains(.avx512bf16) { return ("Cooperlake", .avx512bf16) }
        if f.isSuperset(of: .avx512Core) { return ("SkylakeX", .avx512) }
        if f.isSuperset(of: [.avx2, .fma]) { return (cpu.vendor == .amd ? "Zen" : "Haswell", .avx2) }
        if f.contains(.avx) { return ("Sandybridge", .avx) }
        return nil
    }

    /// What to do about OpenBLAS's core.
    public struct Decision: Equatable, Sendable {
        /// `nil`: keep the loaded kernels; otherwise the core to run again with.
        public var switchTo: String?
        /// One line for `vlpart doctor`.
        public var reason: String
    }

    /// Decides, from the CPU, the core OpenBLAS loaded, and the environment (`OPENBLAS_CORETYPE`,
    /// `VLPART_BLAS_CORE_FROM`), whether to run again with another core.
    public static func decide(cpu: CPUInfo, chosen: String, environment: [String: String]) -> Decision {
        let best = best(for: cpu)
        let chosenLevel = level(ofCore: chosen)
        let set = environment[overrideVariable].flatMap { $0.isEmpty ? nil : $0 }
        if let forced = set, let original = environment[originalCoreVariable], !original.isEmpty {
            if let chosenLevel, let wanted = level(ofCore: forced), chosenLevel < wanted {
                return Decision(switchTo: nil, reason: "vlpart asked for \(forced) (OpenBLAS chose \(original)), but OpenBLAS refused it")
            }
            return Decision(switchTo: nil, reason: "set by vlpart: OpenBLAS chose \(original) on its own, "
                + "this CPU has \(best?.level.label ?? "more") (\(overrideVariable)=\(forced))")
        }
        let drill = environment[fallbackDrillVariable].map { !$0.isEmpty } ?? false
        if let forced = set, !drill {
            let hint = best.flatMap { b in chosenLevel.map { $0 < b.level ? "; this CPU could run \(b.core)" : "" } } ?? ""
            return Decision(switchTo: nil, reason: "set by you (\(overrideVariable)=\(forced)), left alone\(hint)")
        }
        guard let best else {
            return Decision(switchTo: nil, reason: "OpenBLAS's own choice; this CPU has no AVX")
        }
        guard let chosenLevel else {
            return Decision(switchTo: nil, reason: "OpenBLAS's own choice (a core vlpart does not know; left alone)")
        }
        if chosenLevel < best.level {
            return Decision(switchTo: best.core, reason: "OpenBLAS chose \(chosen) (\(chosenLevel.label)), "
                + "this CPU has \(best.level.label): running with \(best.core)")
        }
        return Decision(switchTo: nil, reason: "OpenBLAS's own choice, matching this CPU's \(best.level.label)")
    }

    /// The core OpenBLAS loaded in this process (e.g. "Haswell", "Zen", "Prescott").
    public static var loaded: String {
        openblas_get_corename().map { String(cString: $0) } ?? "unknown"
    }

    /// OpenBLAS's build description (version, kernels, threading).
    public static var configuration: String {
        openblas_get_config().map { String(cString: $0) } ?? "unknown"
    }
}
