import Foundation
import Tensor

/// The batch split of one data-parallel training step: `parallelWidth` contiguous ranges of
/// images (fewer for tiny batches), each run as a whole forward and backward pass on its own
/// thread (`dataParallel`). The split depends on the core count, so runs on machines with
/// different counts differ in the last bits (as PyTorch's do), while a resumed run on the same
/// machine repeats its steps exactly.
struct DataShards {
    let ranges: [Range<Int>]

    init(batch: Int) {
        let n = max(1, min(parallelWidth, batch))
        ranges = (0..<n).map { s in (s * batch / n)..<((s + 1) * batch / n) }
    }

    var count: Int { ranges.count }

    /// Shard `s`'s images out of crop-major planes: for each crop, its range of `[batch, 3, side, side]`.
    func pixels(_ crops: [[Float]], shard s: Int, side: Int) -> [Float] {
        let r = ranges[s], plane = 3 * side * side
        var out: [Float] = []
        out.reserveCapacity(crops.count * r.count * plane)
        for crop in crops { out += crop[(r.lowerBound * plane)..<(r.upperBound * plane)] }
        return out
    }
}
