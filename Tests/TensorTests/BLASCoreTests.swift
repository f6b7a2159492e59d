import Testing
@testable import Tensor

/// CPUs as CPUID describes them, by the features that decide OpenBLAS's core.
private let sapphireRapids = CPUInfo(vendor: .intel, family: 6, model: 143, brand: "Intel(R) Xeon(R) Platinum 8481C",
                                     features: [.sse2, .sse3, .avx, .fma, .avx2, .avx512Core, .avx512vnni, .avx512bf16, .avx512fp16, .amxBF16])
private let skylakeX = CPUInfo(vendor: .intel, family: 6, model: 85, features: [.sse2, .sse3, .avx, .fma, .avx2, .avx512Core])
private let genoa = CPUInfo(vendor: .amd, family: 25, model: 17, features: [.sse2, .sse3, .avx, .fma, .avx2, .avx512Core, .avx512vnni, .avx512bf16])
private let zen2 = CPUInfo(vendor: .amd, family: 23, model: 49, features: [.sse2, .sse3, .avx, .fma, .avx2])
private let haswell = CPUInfo(vendor: .intel, family: 6, model: 60, features: [.sse2, .sse3, .avx, .fma, .avx2])
private let sandyBridge = CPUInfo(vendor: .intel, family: 6, model: 42, features: [.sse2, .sse3, .avx])
private let core2 = CPUInfo(vendor: .intel, family: 6, model: 15, features: [.sse2, .sse3])
/// AVX-512F alone (Knights Landing) is not the core set SkylakeX kernels need.
private let knightsLanding = CPUInfo(vendor: .intel, family: 6, model: 87, features: [.sse2, .sse3, .avx, .fma, .avx2, .avx512f, .avx512cd])

@Test(arguments: [
    (sapphireRapids, "Cooperlake"), (genoa, "Cooperlake"), (skylakeX, "SkylakeX"), (zen2, "Zen"),
    (haswell, "Haswell"), (knightsLanding, "Haswell"), (sandyBridge, "Sandybridge"),
])
func bestCoreForEachCPU(cpu: CPUInfo, core: String) {
    #expect(BLASCore.best(for: cpu)?.core == core)
}

@Test func noCoreIsNamedBelowAVX() {
    #expect(BLASCore.best(for: core2) == nil)
    #expect(BLASCore.decide(cpu: core2, chosen: "Core2", environment: [:]).switchTo == nil)
}

@Test func coreNamesRankBySIMDLevel() {
    #expect(BLASCore.level(ofCore: "Prescott") == .sse)
    #expect(BLASCore.level(ofCore: "SANDYBRIDGE") == .avx)
    #expect(BLASCore.level(ofCore: "zen") == .avx2)
    #expect(BLASCore.level(ofCore: "Haswell") == .avx2)
    #expect(BLASCore.level(ofCore: "SkylakeX") == .avx512)
    #expect(BLASCore.level(ofCore: "Cooperlake") == .avx512bf16)
    #expect(BLASCore.level(ofCore: "Neoverse") == nil)
    #expect(BLASCore.Level.sse < .avx2 && .avx512 < .avx512bf16)
}

/// OpenBLAS's choice → vlpart's, with nothing set by the user.
@Test(arguments: [
    (sapphireRapids, "Prescott", "Cooperlake"), (sapphireRapids, "SkylakeX", "Cooperlake"),
    (sapphireRapids, "Cooperlake", nil), (skylakeX, "Haswell", "SkylakeX"), (skylakeX, "SkylakeX", nil),
    (zen2, "Prescott", "Zen"), (zen2, "Zen", nil), (haswell, "Haswell", nil), (haswell, "Sandybridge", "Haswell"),
    (sandyBridge, "Prescott", "Sandybridge"), (zen2, "SomeFutureCore", nil),
] as [(CPUInfo, String, String?)])
func decisionSwitchesOnlyToAStrongerCore(cpu: CPUInfo, chosen: String, switchTo: String?) {
    #expect(BLASCore.decide(cpu: cpu, chosen: chosen, environment: [:]).switchTo == switchTo)
}

@Test func aCoreTheUserSetIsLeftAlone() {
    let decision = BLASCore.decide(cpu: sapphireRapids, chosen: "Prescott", environment: ["OPENBLAS_CORETYPE": "Prescott"])
    #expect(decision.switchTo == nil)
    #expect(decision.reason.contains("set by you"))
    #expect(decision.reason.contains("could run Cooperlake"))
    // An empty value is no setting.
    #expect(BLASCore.decide(cpu: zen2, chosen: "Prescott", environment: ["OPENBLAS_CORETYPE": ""]).switchTo == "Zen")
}

@Test func vlpartRunsItselfAgainAtMostOnce() {
    let env = ["OPENBLAS_CORETYPE": "Cooperlake", "VLPART_BLAS_CORE_FROM": "Prescott"]
    let took = BLASCore.decide(cpu: sapphireRapids, chosen: "Cooperlake", environment: env)
    #expect(took.switchTo == nil)
    #expect(took.reason.contains("set by vlpart") && took.reason.contains("Prescott"))
    // An OpenBLAS that ignores OPENBLAS_CORETYPE (not built DYNAMIC_ARCH) must not cause a loop.
    let refused = BLASCore.decide(cpu: sapphireRapids, chosen: "Prescott", environment: env)
    #expect(refused.switchTo == nil)
    #expect(refused.reason.contains("refused"))
}

@Test func theFallbackDrillTreatsTheSetCoreAsOpenBLASsOwn() {
    let env = ["OPENBLAS_CORETYPE": "Prescott", "VLPART_BLAS_FALLBACK_DRILL": "1"]
    #expect(BLASCore.decide(cpu: zen2, chosen: "Prescott", environment: env).switchTo == "Zen")
}

@Test func thisMachineIsDescribed() {
    let cpu = CPUInfo.current
    #if arch(x86_64)
    #expect(cpu.vendor != .other || !cpu.brand.isEmpty)
    #expect(cpu.features.contains(.sse2))   // every x86-64 CPU has SSE2
    #endif
    #expect(!BLASCore.loaded.isEmpty)
}
