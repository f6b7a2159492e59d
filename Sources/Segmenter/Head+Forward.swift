import Foundation
import Tensor

/// Training targets of one image's patches.
public struct PatchTargets: Sendable {
    /// Object class per patch: `0` background, `1...` object vocabulary index + 1.
    public var object: [Int]
    /// Part class per patch: `0` no part, `1...` part vocabulary index + 1, `-1` unknown (on an
    /// object but under no part label: only the object term of the loss applies).
    public var part: [Int]
    /// Loss weight per patch (gold 1, weak parsed labels e.g. 0.1, ignored 0).
    public var weight: [Float]

    public init(object: [Int], part: [Int], weight: [Float]) {
        precondition(object.count == part.count && part.count == weight.count,
                     "targets of unequal length: \(object.count), \(part.count), \(weight.count)")
        self.object = object
        self.part = part
        self.weight = weight
    }
}

/// Unit-length text embeddings of a vocabulary, `[classes, embedDim]` row-major, without the
/// background row (the head supplies its own learned one).
public struct Vocabulary: Sendable {
    public let names: [String]
    public let embeddings: [Float]
    public let dim: Int

    /// - Throws: `SegmenterError.badVocabulary` when sizes disagree or a name repeats.
    public init(names: [String], embeddings: [Float], dim: Int) throws {
        guard dim > 0, embeddings.count == names.count * dim else {
            throw SegmenterError.badVocabulary("\(names.count) names but \(embeddings.count) values at dimension \(dim)")
        }
        var seen = Set<String>()
        for n in names where !seen.insert(n).inserted {
            throw SegmenterError.badVocabulary("duplicate class name '\(n)'")
        }
        self.names = names
        self.embeddings = unitRows(embeddings, dim: dim).rows
        self.dim = dim
    }

    public var count: Int { names.count }
}

/// Rows scaled to unit L2 norm, and the norms (floored at 1e-12, as `F.normalize` does).
func unitRows(_ x: [Float], dim: Int) -> (rows: [Float], norms: [Float]) {
    let n = x.count / dim
    var out = x, norms = [Float](repeating: 0, count: n)
    for r in 0..<n {
        var s: Float = 0
        for d in 0..<dim { s += x[r * dim + d] * x[r * dim + d] }
        let norm = max(s.squareRoot(), 1e-12)
        norms[r] = norm
        for d in 0..<dim { out[r * dim + d] = x[r * dim + d] / norm }
    }
    return (out, norms)
}

/// Activations of one forward pass, kept for the backward pass.
public struct HeadActivations: Sendable {
    public let patches: Int
    /// `blockInputs[k]` is `s_k` (`s₀ = GELU(h1)`), `mixInputs[k]`/`mixPre[k]` are `t_k` and the
    /// MLP's pre-activation after block `k` (all but the last block).
    let x: [Float], h1: [Float], b: [Float]
    let blockInputs: [[Float]], mixInputs: [[Float]], mixPre: [[Float]]
    let zObject: [Float], zPart: [Float]
    /// Unit-length patch embeddings, `[patches, embedDim]`.
    public let object: [Float], part: [Float]
    let normObject: [Float], normPart: [Float]
}

extension SegmenterHead {
    /// Runs the head on one image's patch features.
    ///
    /// - Parameters:
    ///   - features: `[gridH · gridW, inputDim]` row-major.
    public func forward(features: [Float], gridH: Int, gridW: Int) -> HeadActivations {
        let n = gridH * gridW, h = config.hiddenDim
        precondition(features.count == n * config.inputDim,
                     "features have \(features.count) values, expected \(n)×\(config.inputDim)")
        let h1 = affine(features, rows: n, weight: p("w1"), bias: p("b1"))
        var s = h1
        s.withUnsafeMutableBufferPointer { geluErf($0.baseAddress!, count: $0.count) }
        var blockInputs: [[Float]] = [], mixInputs: [[Float]] = [], mixPre: [[Float]] = []
        for k in 0..<config.blocks {
            blockInputs.append(s)
            var t = depthwise3x3(s, gridH: gridH, gridW: gridW, channels: h, kernel: p(Self.dwName(k)).data,
                                 dilation: 1 << k, transpose: false)
            let bias = p(Self.dwBiasName(k)).data
            for i in 0..<n { for c in 0..<h { t[i * h + c] += s[i * h + c] + bias[c] } }
            guard k < config.blocks - 1 else { s = t; break }
            let m = affine(t, rows: n, weight: p(Self.mixName(k)), bias: p(Self.mixBiasName(k)))
            mixInputs.append(t)
            mixPre.append(m)
            var activated = m
            activated.withUnsafeMutableBufferPointer { geluErf($0.baseAddress!, count: $0.count) }
            for j in 0..<(n * h) { t[j] += activated[j] }
            s = t
        }
        let b = s
        let zo = affine(b, rows: n, weight: p("wObject"), bias: p("bObject"))
        let zp = affine(b, rows: n, weight: p("wPart"), bias: p("bPart"))
        let (uo, no) = unitRows(zo, dim: config.embedDim)
        let (up, np) = unitRows(zp, dim: config.embedDim)
        return HeadActivations(patches: n, x: features, h1: h1, b: b, blockInputs: blockInputs,
                               mixInputs: mixInputs, mixPre: mixPre, zObject: zo, zPart: zp,
                               object: uo, part: up, normObject: no, normPart: np)
    }

    /// Logits `[patches, 1 + classes]` of unit embeddings against a vocabulary; column 0 is
    /// the learned background (or "no part") class.
    public func logits(_ embeddings: [Float], patches: Int, vocabulary: Vocabulary, part: Bool) -> [Float] {
        let table = classTable(vocabulary, part: part)
        let scale = Float(exp(Double(p("logScale").data[0])))
        let l = Tensor(shape: [patches, config.embedDim], data: embeddings)
            .matmul(Tensor(shape: [vocabulary.count + 1, config.embedDim], data: table), transposeB: true)
        return l.data.map { $0 * scale }
    }

    /// The unit background row followed by the vocabulary's rows.
    func classTable(_ vocabulary: Vocabulary, part: Bool) -> [Float] {
        precondition(vocabulary.dim == config.embedDim,
                     "vocabulary dimension \(vocabulary.dim) ≠ head embedding dimension \(config.embedDim)")
        let bg = unitRows(p(part ? "backgroundPart" : "backgroundObject").data, dim: config.embedDim).0
        return bg + vocabulary.embeddings
    }

    // MARK: building blocks

    /// `x · Wᵀ + b` for `x` of `rows` rows.
    func affine(_ x: [Float], rows: Int, weight: Tensor, bias: Tensor) -> [Float] {
        var y = Tensor(shape: [rows, weight.shape[1]], data: x).matmul(weight, transposeB: true).data
        let out = weight.shape[0]
        for r in 0..<rows { for c in 0..<out { y[r * out + c] += bias.data[c] } }
        return y
    }

    /// Depthwise 3×3 convolution, taps `dilation` patches apart, with zero padding over a
    /// `[gridH, gridW, channels]` map; with `transpose` it applies the adjoint (the kernel
    /// flipped), which is its input gradient.
    func depthwise3x3(_ x: [Float], gridH: Int, gridW: Int, channels: Int, kernel: [Float], dilation: Int = 1,
                      transpose: Bool) -> [Float] {
        // Taps laid out [9, channels], so the inner loop runs over contiguous memory and vectorises.
        var taps = [Float](repeating: 0, count: 9 * channels)
        for ch in 0..<channels { for k in 0..<9 { taps[k * channels + ch] = kernel[ch * 9 + k] } }
        var y = [Float](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { x in taps.withUnsafeBufferPointer { taps in y.withUnsafeMutableBufferPointer { y in
            for r in 0..<gridH { for c in 0..<gridW {
                let o = (r * gridW + c) * channels
                for ky in 0..<3 { for kx in 0..<3 {
                    let sr = transpose ? r - (ky - 1) * dilation : r + (ky - 1) * dilation
                    let sc = transpose ? c - (kx - 1) * dilation : c + (kx - 1) * dilation
                    guard sr >= 0, sr < gridH, sc >= 0, sc < gridW else { continue }
                    let s = (sr * gridW + sc) * channels, t = (ky * 3 + kx) * channels
                    for ch in 0..<channels { y[o + ch] += taps[t + ch] * x[s + ch] }
                } }
            } }
        } } }
        return y
    }

    /// `g ← g · GELU′(x)` elementwise (vectorised; `x` is GELU's input).
    static func timesGELUDerivative(_ g: inout [Float], at x: [Float]) {
        precondition(g.count == x.count, "GELU derivative: \(g.count) gradients for \(x.count) inputs")
        x.withUnsafeBufferPointer { xp in
            g.withUnsafeMutableBufferPointer { gp in
                geluErfBackward(x: xp.baseAddress!, upstream: gp.baseAddress!, into: gp.baseAddress!, count: gp.count, accumulate: false)
            }
        }
    }
}
