import Tensor

/// `Conv2d(3, D, kernel p, stride s)` computed as im2col + GEMM: every patch becomes a row of
/// `3·p·p` values in (channel, ky, kx) order, multiplied by the conv weight viewed as `[D, 3·p·p]`.
struct PatchEmbed {
    /// `[D, 3·p·p]` (the checkpoint's `[D, 3, p, p]` reshaped; no copy of the layout).
    let weight: Tensor
    let bias: Tensor
    let patchSize: Int

    /// Grid of patches for an image, `1 + (H − p)/s` by `1 + (W − p)/s` (PyTorch conv flooring).
    static func grid(height: Int, width: Int, patch: Int, stride: Int) -> (height: Int, width: Int) {
        (1 + (height - patch) / stride, 1 + (width - patch) / stride)
    }

    /// Embeds `batch` images `[batch, 3, H, W]` into rows of `out`, which has row stride `ldo`
    /// and `tokensPerImage` rows per image; patch `(y, x)` of image `b` goes to row
    /// `b·tokensPerImage + firstRow + y·gw + x`.
    func callAsFunction(_ pixels: UnsafePointer<Float>, batch: Int, height: Int, width: Int, stride: Int,
                        into out: UnsafeMutablePointer<Float>, ldo: Int, tokensPerImage: Int, firstRow: Int) {
        let p = patchSize, k = 3 * p * p
        let (gh, gw) = PatchEmbed.grid(height: height, width: width, patch: p, stride: stride)
        let patches = gh * gw
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: patches * k)
        defer { columns.deallocate() }
        let dst = DisjointWrites(base: columns), src = SharedReads(base: pixels)
        for b in 0..<batch {
            let image = SharedReads(base: src.base + b * 3 * height * width)
            concurrentChunks(gh) { rows in
                for y in rows { for x in 0..<gw {
                    var o = dst.base + (y * gw + x) * k
                    for c in 0..<3 { for ky in 0..<p {
                        let line = image.base + (c * height + y * stride + ky) * width + x * stride
                        o.update(from: line, count: p)
                        o += p
                    } }
                } }
            }
            weight.data.withUnsafeBufferPointer { w in
                bias.data.withUnsafeBufferPointer { bb in
                    linear(columns, rows: patches, inFeatures: k, weight: w.baseAddress!, outFeatures: weight.shape[0],
                           bias: bb.baseAddress, into: out + (b * tokensPerImage + firstRow) * ldo, ldo: ldo)
                }
            }
        }
    }
}
