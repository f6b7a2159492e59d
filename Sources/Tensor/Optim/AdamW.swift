import Foundation

/// PyTorch's `torch.optim.AdamW` (decoupled weight decay, bias-corrected moments), with the
/// learning rate and weight decay set per step by the caller's schedules, as DINO does.
///
/// Parameters whose ``Parameter/decays`` is false (biases, norms, tokens: rank-1 tensors in
/// DINO's `get_params_groups`) get no weight decay.
///
/// ```swift
/// let opt = AdamW(parameters: model.parameters)
/// opt.step(learningRate: lrSchedule[it], weightDecay: wdSchedule[it])
/// ```
public final class AdamW {
    public let parameters: [Parameter]
    public var beta1: Float
    public var beta2: Float
    public var eps: Float
    /// First and second moments, one buffer per parameter (same order).
    public let firstMoments: [Buffer]
    public let secondMoments: [Buffer]
    /// Steps taken so far (bias correction uses `stepCount` after increment).
    public var stepCount: Int = 0

    public init(parameters: [Parameter], beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8) {
        self.parameters = parameters
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        firstMoments = parameters.map { Buffer(zeros: $0.count) }
        secondMoments = parameters.map { Buffer(zeros: $0.count) }
    }

    /// One update from the gradients in ``Parameter/grad``:
    /// `p ← p·(1 − lr·wd) − lr·m̂/(√v̂ + eps)`.
    public func step(learningRate lr: Float, weightDecay wd: Float) {
        stepCount += 1
        let bc1 = 1 - pow(beta1, Float(stepCount)), bc2 = 1 - pow(beta2, Float(stepCount))
        let stepSize = lr / bc1, bc2Root = bc2.squareRoot()
        for (i, p) in parameters.enumerated() {
            let x = p.value.pointer, g = p.grad.pointer
            let m = firstMoments[i].pointer, v = secondMoments[i].pointer
            let decay = p.decays ? 1 - lr * wd : 1
            for j in 0..<p.count {
                x[j] *= decay
                m[j] = beta1 * m[j] + (1 - beta1) * g[j]
                v[j] = beta2 * v[j] + (1 - beta2) * g[j] * g[j]
                x[j] -= stepSize * m[j] / (v[j].squareRoot() / bc2Root + eps)
            }
        }
    }

    /// Sets every parameter's gradient to zero.
    public func zeroGradients() { for p in parameters { p.grad.zero() } }
}

/// Gradient clipping, `torch.nn.utils.clip_grad_norm_`: scales all gradients together so their
/// global L2 norm is at most `maxNorm`. Returns the norm before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
    var s: Double = 0
    for p in parameters { for j in 0..<p.count { s += Double(p.grad.pointer[j] * p.grad.pointer[j]) } }
    let norm = Float(s.squareRoot())
    let factor = maxNorm / (norm + 1e-6)
    if factor < 1 { for p in parameters { for j in 0..<p.count { p.grad.pointer[j] *= factor } } }
    return norm
}

/// DINO's `cosine_scheduler`: a linear warm-up from `warmupStart` to `base` over
/// `warmupSteps`, then a cosine from `base` to `final` over the remaining steps.
///
/// - Returns: one value per step, `totalSteps` values.
public func cosineSchedule(base: Double, final: Double, totalSteps: Int, warmupSteps: Int = 0,
                           warmupStart: Double = 0) -> [Float] {
    precondition(totalSteps >= 0 && warmupSteps >= 0, "cosineSchedule: negative steps")
    let warm = min(warmupSteps, totalSteps)
    var values: [Float] = []
    values.reserveCapacity(totalSteps)
    for i in 0..<warm {   // np.linspace(start, base, warm): both ends included
        let t = warm == 1 ? 0 : Double(i) / Double(warm - 1)
        values.append(Float(warmupStart + (base - warmupStart) * t))
    }
    let rest = totalSteps - warm
    for i in 0..<rest {
        values.append(Float(final + 0.5 * (base - final) * (1 + cos(Double.pi * Double(i) / Double(rest)))))
    }
    return values
}
