import Foundation
import Tensor

/// The loss of one image and the gradient of every head parameter.
public struct HeadLoss: Sendable {
    /// Weighted mean cross-entropy, object vocabulary plus part vocabulary.
    public var loss: Float
    /// Same names and shapes as `SegmenterHead.parameters`.
    public var gradients: [String: Tensor]
}

extension SegmenterHead {
    /// Loss and gradients for one image's patches (forward, then backward by hand).
    ///
    /// The loss is `Σ_i w_i (CE_object(i) + CE_part(i)) / Σ_i w_i`; patches with weight 0 are
    /// ignored, and a target of `-1` drops that vocabulary's term for the patch (an object
    /// pixel whose part is unknown). Gradients are exact up to float rounding; tests compare them with central
    /// finite differences.
    public func lossAndGradients(features: [Float], gridH: Int, gridW: Int, targets: PatchTargets,
                                 objects: Vocabulary, parts: Vocabulary) -> HeadLoss {
        let act = forward(features: features, gridH: gridH, gridW: gridW)
        let n = act.patches, h = config.hiddenDim, e = config.embedDim
        precondition(targets.weight.count == n, "\(targets.weight.count) targets for \(n) patches")
        let totalWeight = targets.weight.reduce(0, +)
        var grads = parameters.mapValues { Tensor(shape: $0.shape) }
        guard totalWeight > 0 else { return HeadLoss(loss: 0, gradients: grads) }
        let scale = Float(exp(Double(p("logScale").data[0])))

        var loss: Float = 0
        var dB = [Float](repeating: 0, count: n * h)
        var dLogScale: Float = 0
        for (isPart, vocabulary) in [(false, objects), (true, parts)] {
            let unit = isPart ? act.part : act.object
            let norms = isPart ? act.normPart : act.normObject
            let labels = isPart ? targets.part : targets.object
            let table = classTable(vocabulary, part: isPart)
            let classes = vocabulary.count + 1
            let logits = self.logits(unit, patches: n, vocabulary: vocabulary, part: isPart)

            // Softmax cross-entropy; dLogits = w/W (softmax − onehot).
            var dLogits = [Float](repeating: 0, count: n * classes)
            for i in 0..<n where targets.weight[i] > 0 && labels[i] >= 0 {
                let y = labels[i]
                precondition(y >= 0 && y < classes, "target class \(y) outside 0..<\(classes)")
                let row = i * classes
                var maxLogit = -Float.infinity
                for c in 0..<classes { maxLogit = max(maxLogit, logits[row + c]) }
                var sum: Float = 0
                for c in 0..<classes { sum += exp(logits[row + c] - maxLogit) }
                let w = targets.weight[i] / totalWeight
                loss += w * (log(sum) + maxLogit - logits[row + y])
                for c in 0..<classes {
                    let prob = exp(logits[row + c] - maxLogit) / sum
                    dLogits[row + c] = w * (prob - (c == y ? 1 : 0))
                    dLogScale += dLogits[row + c] * logits[row + c]
                }
            }
            // logits = scale · unit · tableᵀ
            let dCos = dLogits.map { $0 * scale }
            let dUnit = Tensor(shape: [n, classes], data: dCos).matmul(Tensor(shape: [classes, e], data: table)).data
            // Only the background row of the table is a parameter.
            var dBackgroundUnit = [Float](repeating: 0, count: e)
            for i in 0..<n where dCos[i * classes] != 0 {
                for d in 0..<e { dBackgroundUnit[d] += dCos[i * classes] * unit[i * e + d] }
            }
            let bgName = isPart ? "backgroundPart" : "backgroundObject"
            grads[bgName] = Tensor(shape: [e], data: normalizeBackward(p(bgName).data, dUnit: dBackgroundUnit, dim: e))
            // Through the row normalisation of z.
            var dZ = [Float](repeating: 0, count: n * e)
            for i in 0..<n {
                var dot: Float = 0
                for d in 0..<e { dot += unit[i * e + d] * dUnit[i * e + d] }
                for d in 0..<e { dZ[i * e + d] = (dUnit[i * e + d] - unit[i * e + d] * dot) / norms[i] }
            }
            // z = b · Wᵀ + bias
            let wName = isPart ? "wPart" : "wObject", biasName = isPart ? "bPart" : "bObject"
            grads[wName] = transposedProduct(dZ, act.b, rows: n, left: e, right: h)
            grads[biasName] = Tensor(shape: [e], data: columnSums(dZ, rows: n, cols: e))
            let dBFromZ = Tensor(shape: [n, e], data: dZ).matmul(p(wName)).data
            for j in 0..<(n * h) { dB[j] += dBFromZ[j] }
        }
        grads["logScale"] = Tensor(shape: [1], data: [dLogScale])

        // Back through the blocks: s_{k+1} = t_k + GELU(t_k·Mixₖᵀ + mixBiasₖ), t_k = s_k + dw_k(s_k) + dwBias_k.
        var dS = dB
        for k in stride(from: config.blocks - 1, through: 0, by: -1) {
            if k < config.blocks - 1 {
                var g = dS
                Self.timesGELUDerivative(&g, at: act.mixPre[k])
                grads[Self.mixName(k)] = transposedProduct(g, act.mixInputs[k], rows: n, left: h, right: h)
                grads[Self.mixBiasName(k)] = Tensor(shape: [h], data: columnSums(g, rows: n, cols: h))
                let dT = Tensor(shape: [n, h], data: g).matmul(p(Self.mixName(k))).data
                for j in 0..<(n * h) { dS[j] += dT[j] }
            }
            let dilation = 1 << k, input = act.blockInputs[k]
            // Accumulated as [9, h] (contiguous inner loop), stored as the kernel's [h, 9].
            var dTaps = [Float](repeating: 0, count: 9 * h)
            dS.withUnsafeBufferPointer { dS in input.withUnsafeBufferPointer { input in dTaps.withUnsafeMutableBufferPointer { dTaps in
                for r in 0..<gridH { for c in 0..<gridW {
                    let o = (r * gridW + c) * h
                    for ky in 0..<3 { for kx in 0..<3 {
                        let sr = r + (ky - 1) * dilation, sc = c + (kx - 1) * dilation
                        guard sr >= 0, sr < gridH, sc >= 0, sc < gridW else { continue }
                        let s = (sr * gridW + sc) * h, t = (ky * 3 + kx) * h
                        for ch in 0..<h { dTaps[t + ch] += dS[o + ch] * input[s + ch] }
                    } }
                } }
            } } }
            var dKernel = [Float](repeating: 0, count: h * 9)
            for ch in 0..<h { for t in 0..<9 { dKernel[ch * 9 + t] = dTaps[t * h + ch] } }
            grads[Self.dwName(k)] = Tensor(shape: [h, 9], data: dKernel)
            grads[Self.dwBiasName(k)] = Tensor(shape: [h], data: columnSums(dS, rows: n, cols: h))
            let dInput = depthwise3x3(dS, gridH: gridH, gridW: gridW, channels: h, kernel: p(Self.dwName(k)).data,
                                      dilation: dilation, transpose: true)
            for j in 0..<(n * h) { dS[j] += dInput[j] }
        }

        // s₀ = GELU(x · W1ᵀ + b1)
        var dH1 = dS
        Self.timesGELUDerivative(&dH1, at: act.h1)
        grads["w1"] = transposedProduct(dH1, act.x, rows: n, left: h, right: config.inputDim)
        grads["b1"] = Tensor(shape: [h], data: columnSums(dH1, rows: n, cols: h))
        return HeadLoss(loss: loss, gradients: grads)
    }

    /// Gradient through `v / ‖v‖` for one vector.
    func normalizeBackward(_ v: [Float], dUnit: [Float], dim: Int) -> [Float] {
        let (unit, norms) = unitRows(v, dim: dim)
        var dot: Float = 0
        for d in 0..<dim { dot += unit[d] * dUnit[d] }
        return (0..<dim).map { (dUnit[$0] - unit[$0] * dot) / norms[0] }
    }

    /// `Aᵀ · B` for `A` `[rows, left]` and `B` `[rows, right]`: a weight gradient `[left, right]`.
    func transposedProduct(_ a: [Float], _ b: [Float], rows: Int, left: Int, right: Int) -> Tensor {
        var at = [Float](repeating: 0, count: a.count)
        for r in 0..<rows { for c in 0..<left { at[c * rows + r] = a[r * left + c] } }
        return Tensor(shape: [left, rows], data: at).matmul(Tensor(shape: [rows, right], data: b))
    }

    func columnSums(_ x: [Float], rows: Int, cols: Int) -> [Float] {
        var s = [Float](repeating: 0, count: cols)
        for r in 0..<rows { for c in 0..<cols { s[c] += x[r * cols + c] } }
        return s
    }
}
