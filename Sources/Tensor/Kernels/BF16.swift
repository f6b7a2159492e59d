import CKernels
import Foundation

/// Arithmetic of the large matrix products (Linear layers and attention's two products).
public enum Precision: String, Sendable, CaseIterable, Codable {
    /// Single precision throughout: today's results, bit for bit.
    case fp32
    /// Operands rounded to bfloat16 (8-bit significand), products accumulated in fp32, on the
    /// CPU's AVX512-BF16 `vdpbf16ps`; everything else (norms, softmax, GELU, residuals) stays fp32.
    case bf16

    /// Appended to feature-cache keys: empty for fp32 (keys from before bf16 stay valid), else "-bf16".
    public var cacheKeySuffix: String { self == .fp32 ? "" : "-\(rawValue)" }
}

/// Which bf16 micro-kernel runs, and what a request for bf16 becomes on this CPU.
public enum BF16Kernels {
    /// Set to 1 to run bf16 on the portable micro-kernel on any CPU: the same arithmetic as
    /// `vdpbf16ps`, slower than fp32. For checking bf16 results on a CPU without AVX512-BF16.
    public static let portableVariable = "VLPART_BF16_PORTABLE"

    /// Whether this CPU has AVX512-BF16 (with AVX-512 F/BW/VL).
    public static var cpuHasBF16: Bool { vlk_has_bf16() != 0 }

    /// Whether bf16 products use the AVX512-BF16 kernel (false: the portable one).
    public static var native: Bool { cpuHasBF16 && !portableRequested }

    static var portableRequested: Bool { ProcessInfo.processInfo.environment[portableVariable] == "1" }

    /// The precision that will run for `requested`, and a one-line notice when it differs from the
    /// request (bf16 on a CPU without AVX512-BF16 falls back to fp32) or runs on the portable kernel.
    public static func resolve(_ requested: Precision) -> (precision: Precision, notice: String?) {
        guard requested == .bf16 else { return (.fp32, nil) }
        if portableRequested {
            return (.bf16, "bf16 on the portable kernel (\(portableVariable)=1): the same results as AVX512-BF16, slower than fp32")
        }
        if cpuHasBF16 { return (.bf16, nil) }
        return (.fp32, "this CPU has no AVX512-BF16; running fp32 instead of bf16")
    }
}

/// A matrix product's right operand `B [k, n]` rounded to bf16 and packed for `bf16GEMM`: pairs
/// along `k` interleaved, in panels of 32 columns. Pack a Linear weight once and reuse it.
public final class BF16Matrix: @unchecked Sendable {
    /// Columns of B (a Linear layer's output features).
    public let columns: Int
    /// Rows of B, the reduction depth (a Linear layer's input features).
    public let depth: Int
    let words: UnsafeMutablePointer<UInt32>

    /// Packs `B` stored `[k, n]` row-major with leading dimension `ldb`, or, when `transposed`,
    /// stored `[n, k]` (a PyTorch Linear weight `[out, in]`, attention keys `[tokens, d]`).
    public convenience init(_ b: UnsafePointer<Float>, columns n: Int, depth k: Int, ldb: Int, transposed: Bool) {
        self.init(columns: n, depth: k) { vlk_bf16_pack_b(transposed ? 1 : 0, n, k, b, ldb, $0) }
    }

    /// A Linear weight `[outFeatures, inFeatures]`, for `x·Wᵀ`.
    public convenience init(linearWeight w: Tensor) {
        precondition(w.rank == 2, "BF16Matrix: a Linear weight is [out, in], got \(w.shape)")
        self.init(columns: w.shape[0], depth: w.shape[1]) { out in
            w.data.withUnsafeBufferPointer { vlk_bf16_pack_b(1, w.shape[0], w.shape[1], $0.baseAddress!, w.shape[1], out) }
        }
    }

    private init(columns n: Int, depth k: Int, pack: (UnsafeMutablePointer<UInt32>) -> Void) {
        columns = n
        depth = k
        words = .allocate(capacity: max(1, vlk_bf16_packed_words(n, k)))
        pack(words)
    }

    deinit { words.deallocate() }
}

/// Even leading dimension of bf16 rows holding `k` values.
@inlinable func bf16RowStride(_ k: Int) -> Int { (k + 1) / 2 * 2 }

/// `C [m, n] = alpha·A·B + beta·C` with A `[m, k]` fp32 (rounded to bf16 here, in blocks, so the
/// scratch stays small) and B packed; fp32 accumulation; single-threaded. `native` chooses the
/// AVX512-BF16 kernel (default: `BF16Kernels.native`).
public func bf16GEMM(m: Int, a: UnsafePointer<Float>, lda: Int, b: BF16Matrix, alpha: Float = 1, beta: Float = 0,
                     c: UnsafeMutablePointer<Float>, ldc: Int, native: Bool = BF16Kernels.native) {
    guard m > 0, b.columns > 0 else { return }
    let k = b.depth, ld = bf16RowStride(k)
    let block = min(m, 96)
    let scratch = UnsafeMutablePointer<UInt16>.allocate(capacity: block * max(ld, 2))
    defer { scratch.deallocate() }
    var r0 = 0
    while r0 < m {
        let rows = min(block, m - r0)
        vlk_bf16_convert_rows(native ? 1 : 0, rows, k, a + r0 * lda, lda, scratch, ld)
        vlk_bf16_gemm(native ? 1 : 0, rows, b.columns, k, alpha, scratch, ld, b.words, 0, beta, c + r0 * ldc, ldc)
        r0 += rows
    }
}

/// `linear` in bf16: `out [rows, outFeatures] = x·Wᵀ + bias` with `W` packed, row blocks claimed by
/// `parallelWidth` workers as `parallelLinear` does; `epilogue` runs on each finished block.
public func bf16ParallelLinear(_ x: UnsafePointer<Float>, rows: Int, weight: BF16Matrix, bias: UnsafePointer<Float>?,
                               into out: UnsafeMutablePointer<Float>,
                               epilogue: (@Sendable (UnsafeMutablePointer<Float>, Int) -> Void)? = nil) {
    let inF = weight.depth, outF = weight.columns
    guard rows > 0, outF > 0 else { return }
    let width = parallelWidth
    let grain = width == 1 ? rows : Swift.max(48, ((rows + 4 * width - 1) / (4 * width) + 11) / 12 * 12)
    let src = SharedReads(base: x), dst = DisjointWrites(base: out)
    let b = bias.map { SharedReads(base: $0) }
    let native = BF16Kernels.native
    concurrentClaims(rows, grain: grain) { claim in
        while let range = claim() {
            let block = dst.base + range.lowerBound * outF
            if let b {
                for r in 0..<range.count { (block + r * outF).update(from: b.base, count: outF) }
            }
            bf16GEMM(m: range.count, a: src.base + range.lowerBound * inF, lda: inF, b: weight, beta: b == nil ? 0 : 1,
                     c: block, ldc: outF, native: native)
            epilogue?(block, range.count * outF)
        }
    }
}
