import Foundation
import Imaging

/// DINO's multi-crop: two global crops and several local ones of each image, with the scale
/// ranges and augmentation probabilities of `DataAugmentationDINO`; sizes default to the tiny
/// model's (64 and 32 pixels for DINO's 224 and 96).
public struct MultiCrop: Sendable, Equatable, Codable {
    public var globalSize: Int = 64
    public var localSize: Int = 32
    public var localCount: Int = 6
    /// Fraction of the image area a crop covers (DINO: global 0.4–1, local 0.05–0.4).
    public var globalScale: ClosedRange<Double> = 0.4...1
    public var localScale: ClosedRange<Double> = 0.05...0.4

    public init(globalSize: Int = 64, localSize: Int = 32, localCount: Int = 6) {
        self.globalSize = globalSize
        self.localSize = localSize
        self.localCount = localCount
    }

    /// The crops of one image, normalised planes: `globals` two `[3, G, G]`, `locals`
    /// `localCount` `[3, L, L]`.
    public func crops(of image: Image, rng: inout PretrainRandom) -> (globals: [[Float]], locals: [[Float]]) {
        var globals: [[Float]] = []
        for i in 0..<2 {
            var x = Self.randomResizedCrop(image, size: globalSize, scale: globalScale, rng: &rng)
            flipAndColorJitter(&x, size: globalSize, rng: &rng)
            // First global crop: always blurred; second: rarely blurred, sometimes solarised.
            if rng.chance(i == 0 ? 1.0 : 0.1) { blur(&x, size: globalSize, rng: &rng) }
            if i == 1 && rng.chance(0.2) { Augment.solarize(&x) }
            Augment.normalize(&x, size: globalSize)
            globals.append(x)
        }
        var locals: [[Float]] = []
        for _ in 0..<localCount {
            var x = Self.randomResizedCrop(image, size: localSize, scale: localScale, rng: &rng)
            flipAndColorJitter(&x, size: localSize, rng: &rng)
            if rng.chance(0.5) { blur(&x, size: localSize, rng: &rng) }
            Augment.normalize(&x, size: localSize)
            locals.append(x)
        }
        return (globals, locals)
    }

    func flipAndColorJitter(_ x: inout [Float], size: Int, rng: inout PretrainRandom) {
        if rng.chance(0.5) { Augment.flip(&x, size: size) }
        if rng.chance(0.8) { Augment.colorJitter(&x, size: size, rng: &rng) }
        if rng.chance(0.2) { Augment.grayscale(&x, size: size) }
    }

    /// DINO's blur radius range 0.1–2 px is for 224-pixel crops; scale it to this crop.
    func blur(_ x: inout [Float], size: Int, rng: inout PretrainRandom) {
        let sigma = rng.uniform(0.1, 2.0) * Double(size) / 224
        Augment.gaussianBlur(&x, size: size, sigma: max(sigma, 0.05))
    }

    /// torchvision `RandomResizedCrop(size, scale, ratio=(3/4, 4/3))`: up to ten tries for a
    /// box of the drawn area and aspect, else a centre crop; resampled with an antialiased
    /// bilinear (triangle) filter, as PIL does. Returns `[3, size, size]` in `[0, 1]`.
    static func randomResizedCrop(_ image: Image, size: Int, scale: ClosedRange<Double>, rng: inout PretrainRandom) -> [Float] {
        let w = image.width, h = image.height, area = Double(w * h)
        var box: (x: Int, y: Int, w: Int, h: Int)? = nil
        for _ in 0..<10 {
            let target = area * rng.uniform(scale.lowerBound, scale.upperBound)
            let aspect = exp(rng.uniform(log(3.0 / 4), log(4.0 / 3)))
            let cw = Int((target * aspect).squareRoot().rounded()), ch = Int((target / aspect).squareRoot().rounded())
            if cw > 0 && ch > 0 && cw <= w && ch <= h {
                box = (Int(rng.next() % UInt64(w - cw + 1)), Int(rng.next() % UInt64(h - ch + 1)), cw, ch)
                break
            }
        }
        let b = box ?? { let s = min(w, h); return ((w - s) / 2, (h - s) / 2, s, s) }()
        return Self.resample(image, box: b, size: size)
    }

    /// Antialiased bilinear resampling of `box` to `[3, size, size]` planes in `[0, 1]`.
    static func resample(_ image: Image, box: (x: Int, y: Int, w: Int, h: Int), size: Int) -> [Float] {
        let taps = { (start: Int, length: Int) -> [(Int, [Float])] in
            let scale = Double(length) / Double(size), support = max(scale, 1)
            return (0..<size).map { i in
                let center = Double(start) + (Double(i) + 0.5) * scale
                let lo = max(Int((center - support).rounded(.down)), start)
                let hi = min(Int((center + support).rounded(.up)), start + length)
                var ws = (lo..<hi).map { j in Float(max(0, 1 - abs((Double(j) + 0.5 - center) / support))) }
                let s = ws.reduce(0, +)
                if s > 0 { ws = ws.map { $0 / s } } else { ws = [Float](repeating: 1 / Float(max(ws.count, 1)), count: ws.count) }
                return (lo, ws)
            }
        }
        let xs = taps(box.x, box.w), ys = taps(box.y, box.h)
        let ch = image.channels
        var rows = [Float](repeating: 0, count: 3 * box.h * size)   // [3, box.h, size]
        for y in 0..<box.h {
            let base = (box.y + y) * image.width
            for (i, (lo, ws)) in xs.enumerated() {
                for c in 0..<3 {
                    var acc: Float = 0
                    for (k, wt) in ws.enumerated() { acc += wt * Float(image.pixels[(base + lo + k) * ch + min(c, ch - 1)]) }
                    rows[(c * box.h + y) * size + i] = acc / 255
                }
            }
        }
        var out = [Float](repeating: 0, count: 3 * size * size)
        for (i, (lo, ws)) in ys.enumerated() {
            for c in 0..<3 { for x in 0..<size {
                var acc: Float = 0
                for (k, wt) in ws.enumerated() { acc += wt * rows[(c * box.h + lo - box.y + k) * size + x] }
                out[(c * size + i) * size + x] = acc
            } }
        }
        return out
    }
}
