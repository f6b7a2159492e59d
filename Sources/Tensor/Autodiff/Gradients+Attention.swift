import Foundation

private typealias K = AutodiffKernels

extension Tape {
    /// Multi-head self-attention reading Q, K and V straight out of a fused `qkv` buffer
    /// (timm's `attn.qkv` output, columns `[q | k | v]`, head-major inside each) and writing each
    /// head into its columns of the output, with no permutes.
    ///
    /// - Parameters:
    ///   - qkv: `[batch·tokens, 3·dim]`.
    ///   - batch: number of independent sequences; attention never crosses them.
    ///   - heads: `dim` must divide by it; the scale is `(dim/heads)^-0.5`.
    /// - Returns: `[batch·tokens, dim]`, `softmax(q·kᵀ·scale)·v` per head, concatenated.
    public func attention(_ qkv: Var, batch: Int, heads: Int) -> Var {
        let c3 = shape(qkv).last ?? 0, c = c3 / 3, d = c / heads
        let n = count(qkv) / (c3 * batch)
        precondition(c3 == 3 * c && c == d * heads && n * batch * c3 == count(qkv),
                     "attention: qkv \(shape(qkv)) with batch \(batch), heads \(heads)")
        let scale = 1 / Float(d).squareRoot()
        let src = K.Shared(valuePointer(qkv))
        // Both written in full by beta-0 sgemms (every head's columns of y, every head's n×n block).
        let y = Buffer(uninitialized: batch * n * c)
        let probs = Buffer(uninitialized: batch * heads * n * n)   // softmax(q·kᵀ), kept for backward
        let dst = K.Shared(y.pointer), pp = K.Shared(probs.pointer)
        K.parallelChunks(batch) { range in
            for b in range {
                for h in 0..<heads {
                    let q = src.base + b * n * c3 + h * d, k = q + c, v = q + 2 * c
                    let p = pp.base + (b * heads + h) * n * n
                    K.sgemm(false, true, n, n, d, scale, q, c3, k, c3, 0, p, n)
                    for r in 0..<n { K.softmaxRow(p + r * n, count: n) }
                    K.sgemm(false, false, n, d, n, 1, p, n, v, c3, 0, dst.base + b * n * c + h * d, c)
                }
            }
        }
        var out = Var(index: 0)
        out = output(shape: [batch * n, c], value: y, inputs: [qkv]) { [unowned self] in
            let dy = K.Shared(gradPointer(out)), dx = K.Shared(gradPointer(qkv))
            let pp = K.Shared(probs.pointer)   // captures `probs`, keeping it alive until backward
            K.parallelChunks(batch) { range in
                let dp = UnsafeMutablePointer<Float>.allocate(capacity: n * n)
                defer { dp.deallocate() }
                for b in range {
                    for h in 0..<heads {
                        let q = src.base + b * n * c3 + h * d, k = q + c, v = q + 2 * c
                        let dq = dx.base + b * n * c3 + h * d, dk = dq + c, dv = dq + 2 * c
                        let p = pp.base + (b * heads + h) * n * n
                        let g = dy.base + b * n * c + h * d
                        K.sgemm(true, false, n, d, n, 1, p, n, g, c, 1, dv, c3)        // dV += Pᵀ·dO
                        K.sgemm(false, true, n, n, d, 1, g, c, v, c3, 0, dp, n)        // dP = dO·Vᵀ
                        for r in 0..<n {                                               // dS = P⊙(dP − Σ dP⊙P)
                            let pr = p + r * n, gr = dp + r * n
                            var dot: Float = 0
                            for j in 0..<n { dot += pr[j] * gr[j] }
                            for j in 0..<n { gr[j] = pr[j] * (gr[j] - dot) }
                        }
                        K.sgemm(false, false, n, d, n, scale, dp, n, k, c3, 1, dq, c3) // dQ += s·dS·K
                        K.sgemm(true, false, n, d, n, scale, dp, n, q, c3, 1, dk, c3)  // dK += s·dSᵀ·Q
                    }
                }
            }
        }
        return out
    }
}

extension AutodiffKernels {
    /// A pointer that concurrent iterations may share because each writes a disjoint range.
    struct Shared: @unchecked Sendable {
        let base: UnsafeMutablePointer<Float>
        init(_ base: UnsafeMutablePointer<Float>) { self.base = base }
    }

    /// Runs `body` over `0..<count` split into `parallelWidth` chunks (one inside `dataParallel`);
    /// `body` must only write the rows of its own range.
    static func parallelChunks(_ count: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let chunks = min(count, parallelWidth)
        if chunks <= 1 { body(0..<count); return }
        DispatchQueue.concurrentPerform(iterations: chunks) { i in
            body((i * count / chunks)..<((i + 1) * count / chunks))
        }
    }
}
