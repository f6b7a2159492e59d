import Foundation

/// DINO's photometric augmentations (`main_dino.py: DataAugmentationDINO`) on one crop held as
/// RGB planes `[3, size, size]` with values in `[0, 1]`. Each function draws its own random
/// parameters from `rng`; the probabilities live in ``MultiCrop``.
public enum Augment {
    /// Mirror left–right.
    public static func flip(_ x: inout [Float], size s: Int) {
        for c in 0..<3 { for y in 0..<s {
            let row = (c * s + y) * s
            for i in 0..<(s / 2) { x.swapAt(row + i, row + s - 1 - i) }
        } }
    }

    /// `ColorJitter(brightness, contrast, saturation, hue)` applied in a random order, each factor
    /// drawn uniformly from `[1 − a, 1 + a]` (hue: a shift in `[−h, h]` turns).
    public static func colorJitter(_ x: inout [Float], size s: Int, brightness: Double = 0.4, contrast: Double = 0.4,
                                   saturation: Double = 0.2, hue: Double = 0.1, rng: inout PretrainRandom) {
        var order = [0, 1, 2, 3]
        order.shuffle(using: &rng)
        let n = s * s
        for op in order {
            switch op {
            case 0:
                let f = Float(rng.uniform(1 - brightness, 1 + brightness))
                for i in x.indices { x[i] = min(max(x[i] * f, 0), 1) }
            case 1:
                let f = Float(rng.uniform(1 - contrast, 1 + contrast))
                var m: Float = 0
                for i in 0..<n { m += luma(x, i, n) }
                m /= Float(n)
                for i in x.indices { x[i] = min(max((x[i] - m) * f + m, 0), 1) }
            case 2:
                let f = Float(rng.uniform(1 - saturation, 1 + saturation))
                for i in 0..<n {
                    let g = luma(x, i, n)
                    for c in 0..<3 { x[c * n + i] = min(max((x[c * n + i] - g) * f + g, 0), 1) }
                }
            default:
                let shift = Float(rng.uniform(-hue, hue))
                for i in 0..<n { shiftHue(&x, i, n, by: shift) }
            }
        }
    }

    /// ITU-R 601 grey (PIL's `convert("L")`), replicated to three channels.
    public static func grayscale(_ x: inout [Float], size s: Int) {
        let n = s * s
        for i in 0..<n { let g = luma(x, i, n); x[i] = g; x[n + i] = g; x[2 * n + i] = g }
    }

    /// Separable Gaussian blur with edge clamping; DINO draws `sigma` in `[0.1, 2.0]` pixels at
    /// 224-pixel crops, so pass a sigma scaled to the crop size.
    public static func gaussianBlur(_ x: inout [Float], size s: Int, sigma: Double) {
        let r = max(1, Int((3 * sigma).rounded(.up)))
        var k = (-r...r).map { Float(exp(-Double($0 * $0) / (2 * sigma * sigma))) }
        let sum = k.reduce(0, +)
        k = k.map { $0 / sum }
        var tmp = x
        for c in 0..<3 { for y in 0..<s { for xx in 0..<s {
            var acc: Float = 0
            for t in -r...r { acc += k[t + r] * x[(c * s + y) * s + min(max(xx + t, 0), s - 1)] }
            tmp[(c * s + y) * s + xx] = acc
        } } }
        for c in 0..<3 { for y in 0..<s { for xx in 0..<s {
            var acc: Float = 0
            for t in -r...r { acc += k[t + r] * tmp[(c * s + min(max(y + t, 0), s - 1)) * s + xx] }
            x[(c * s + y) * s + xx] = acc
        } } }
    }

    /// PIL `ImageOps.solarize(threshold=128)`: values at or above one half are inverted.
    public static func solarize(_ x: inout [Float]) {
        for i in x.indices where x[i] >= 128.0 / 255.0 { x[i] = 1 - x[i] }
    }

    /// `(x − mean)/std` per channel with ImageNet statistics, as DINO's `Normalize`.
    public static func normalize(_ x: inout [Float], size s: Int,
                                 mean: [Float] = [0.485, 0.456, 0.406], std: [Float] = [0.229, 0.224, 0.225]) {
        let n = s * s
        for c in 0..<3 { for i in 0..<n { x[c * n + i] = (x[c * n + i] - mean[c]) / std[c] } }
    }

    @inline(__always)
    static func luma(_ x: [Float], _ i: Int, _ n: Int) -> Float { 0.299 * x[i] + 0.587 * x[n + i] + 0.114 * x[2 * n + i] }

    /// Rotates pixel `i`'s hue by `shift` turns through HSV.
    static func shiftHue(_ x: inout [Float], _ i: Int, _ n: Int, by shift: Float) {
        let r = x[i], g = x[n + i], b = x[2 * n + i]
        let mx = max(r, g, b), mn = min(r, g, b), delta = mx - mn
        guard delta > 0 else { return }
        var h: Float
        if mx == r { h = (g - b) / delta } else if mx == g { h = 2 + (b - r) / delta } else { h = 4 + (r - g) / delta }
        h = h / 6 + shift
        h -= h.rounded(.down)
        let sat = delta / mx, v = mx
        let h6 = h * 6, sector = Int(h6) % 6, f = h6 - Float(Int(h6))
        let p = v * (1 - sat), q = v * (1 - sat * f), t = v * (1 - sat * (1 - f))
        let rgb: (Float, Float, Float)
        switch sector {
        case 0: rgb = (v, t, p)
        case 1: rgb = (q, v, p)
        case 2: rgb = (p, v, t)
        case 3: rgb = (p, q, v)
        case 4: rgb = (t, p, v)
        default: rgb = (v, p, q)
        }
        x[i] = rgb.0; x[n + i] = rgb.1; x[2 * n + i] = rgb.2
    }
}
