import CKernels

/// The processor vlpart runs on, as CPUID reports it: who made it, which SIMD levels it offers,
/// and (because OpenBLAS keys its kernel choice on it) the family and model numbers.
public struct CPUInfo: Sendable, Equatable {
    /// The maker, from CPUID's vendor string.
    public enum Vendor: String, Sendable {
        case intel = "GenuineIntel"
        case amd = "AuthenticAMD"
        case other
    }

    /// SIMD features that decide which kernels can run. AVX and wider count only when the
    /// operating system saves their registers.
    public struct Features: OptionSet, Sendable, Hashable {
        public let rawValue: UInt64
        public init(rawValue: UInt64) { self.rawValue = rawValue }

        public static let sse2 = Features(rawValue: UInt64(VLK_CPU_SSE2))
        public static let sse3 = Features(rawValue: UInt64(VLK_CPU_SSE3))
        public static let avx = Features(rawValue: UInt64(VLK_CPU_AVX))
        public static let fma = Features(rawValue: UInt64(VLK_CPU_FMA))
        public static let avx2 = Features(rawValue: UInt64(VLK_CPU_AVX2))
        public static let avx512f = Features(rawValue: UInt64(VLK_CPU_AVX512F))
        public static let avx512dq = Features(rawValue: UInt64(VLK_CPU_AVX512DQ))
        public static let avx512cd = Features(rawValue: UInt64(VLK_CPU_AVX512CD))
        public static let avx512bw = Features(rawValue: UInt64(VLK_CPU_AVX512BW))
        public static let avx512vl = Features(rawValue: UInt64(VLK_CPU_AVX512VL))
        public static let avx512vnni = Features(rawValue: UInt64(VLK_CPU_AVX512VNNI))
        public static let avx512bf16 = Features(rawValue: UInt64(VLK_CPU_AVX512BF16))
        public static let avx512fp16 = Features(rawValue: UInt64(VLK_CPU_AVX512FP16))
        public static let amxBF16 = Features(rawValue: UInt64(VLK_CPU_AMX_BF16))

        /// The AVX-512 subsets OpenBLAS's SkylakeX kernels use.
        public static let avx512Core: Features = [.avx512f, .avx512dq, .avx512cd, .avx512bw, .avx512vl]

        /// Lower-case names, in the order `/proc/cpuinfo` would list them.
        public static let named: [(Features, String)] = [
            (.sse2, "sse2"), (.sse3, "sse3"), (.avx, "avx"), (.fma, "fma"), (.avx2, "avx2"),
            (.avx512f, "avx512f"), (.avx512dq, "avx512dq"), (.avx512cd, "avx512cd"), (.avx512bw, "avx512bw"),
            (.avx512vl, "avx512vl"), (.avx512vnni, "avx512_vnni"), (.avx512bf16, "avx512_bf16"),
            (.avx512fp16, "avx512_fp16"), (.amxBF16, "amx_bf16"),
        ]

        /// The names of the features present.
        public var names: [String] { Self.named.filter { contains($0.0) }.map(\.1) }
    }

    public var vendor: Vendor
    /// CPUID's display family (e.g. 6 for Intel Core and Xeon, 23 for AMD Zen 1–2, 25 for Zen 3–4).
    public var family: Int
    /// CPUID's display model within the family.
    public var model: Int
    /// The marketing name ("Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz"); may be empty.
    public var brand: String
    public var features: Features

    public init(vendor: Vendor, family: Int = 0, model: Int = 0, brand: String = "", features: Features) {
        self.vendor = vendor
        self.family = family
        self.model = model
        self.brand = brand
        self.features = features
    }

    /// This machine's CPU.
    public static let current: CPUInfo = {
        var raw = vlk_cpu()
        vlk_cpu_info(&raw)
        let vendor = withUnsafeBytes(of: raw.vendor) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let brand = withUnsafeBytes(of: raw.brand) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return CPUInfo(vendor: Vendor(rawValue: vendor) ?? .other, family: Int(raw.family), model: Int(raw.model),
                       brand: brand.trimmingWhitespace(), features: Features(rawValue: raw.features))
    }()
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while scalars.first?.isWhitespace == true { scalars.removeFirst() }
        while scalars.last?.isWhitespace == true { scalars.removeLast() }
        return String(scalars)
    }
}
