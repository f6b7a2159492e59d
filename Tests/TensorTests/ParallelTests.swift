import Testing
import TestSupport
@testable import Tensor

/// Every index of `concurrentClaims` is handed out exactly once, whatever the grain.
@Test(arguments: [(1, 1), (7, 3), (1000, 1), (1000, 64), (5, 100)])
func concurrentClaimsCoversEachItemOnce(count: Int, grain: Int) {
    var hits = [Float](repeating: 0, count: count)
    hits.withUnsafeMutableBufferPointer { buf in
        let out = DisjointWrites(base: buf.baseAddress!)
        concurrentClaims(count, grain: grain) { claim in
            while let range = claim() {
                #expect(range.count <= grain && !range.isEmpty)
                for i in range { out.base[i] += 1 }
            }
        }
    }
    #expect(hits.allSatisfy { $0 == 1 }, "count \(count) grain \(grain)")
}

/// Row-blocked `parallelLinear` with an epilogue equals `linear` then the epilogue.
@Test(arguments: [(1, 5, 3), (197, 64, 33), (3026, 48, 40)])
func parallelLinearMatchesLinear(rows: Int, inF: Int, outF: Int) {
    var rng = SplitMix64(seed: UInt64(rows + inF + outF))
    let x = randomArray(rows * inF, &rng), w = randomArray(outF * inF, &rng), b = randomArray(outF, &rng)
    var got = [Float](repeating: .nan, count: rows * outF)
    x.withUnsafeBufferPointer { xp in w.withUnsafeBufferPointer { wp in b.withUnsafeBufferPointer { bp in
        got.withUnsafeMutableBufferPointer { op in
            parallelLinear(xp.baseAddress!, rows: rows, inFeatures: inF, weight: wp.baseAddress!, outFeatures: outF,
                           bias: bp.baseAddress, into: op.baseAddress!) { block, count in geluErf(block, count: count, parallel: false) }
        }
    } } }
    var want = linear(Tensor(shape: [rows, inF], data: x), weight: Tensor(shape: [outF, inF], data: w),
                      bias: Tensor(shape: [outF], data: b))
    geluErf(&want)
    expectClose(got, want.data, atol: 1e-5, rtol: 1e-5, label: "parallelLinear \(rows)x\(inF)x\(outF)")
}
