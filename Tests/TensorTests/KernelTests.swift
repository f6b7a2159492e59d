import Testing
import TestSupport
@testable import Tensor

func randomArray(_ n: Int, _ rng: inout SplitMix64, range: ClosedRange<Float> = -1...1) -> [Float] {
    (0..<n).map { _ in Float.random(in: range, using: &rng) }
}

@Test(arguments: [(1, 1, 1), (7, 3, 5), (197, 64, 33), (3, 17, 1152)])
func linearMatchesNaiveLoop(rows: Int, inF: Int, outF: Int) {
    var rng = SplitMix64(seed: UInt64(rows * 7 + inF * 13 + outF))
    let x = Tensor(shape: [rows, inF], data: randomArray(rows * inF, &rng))
    let w = Tensor(shape: [outF, inF], data: randomArray(outF * inF, &rng))
    let b = Tensor(shape: [outF], data: randomArray(outF, &rng))
    expectClose(linear(x, weight: w, bias: b).data, linearReference(x, weight: w, bias: b).data,
                atol: 1e-4, label: "linear \(rows)x\(inF)x\(outF)")
    expectClose(linear(x, weight: w, bias: nil).data, linearReference(x, weight: w, bias: nil).data,
                atol: 1e-4, label: "linear no bias")
}

@Test func batchedGEMMMatchesPerItemMatmul() {
    var rng = SplitMix64(seed: 11)
    let batch = 3, m = 5, k = 7, n = 4
    let a = randomArray(batch * m * k, &rng), b = randomArray(batch * k * n, &rng)
    var c = [Float](repeating: 0, count: batch * m * n)
    a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
        batchedGEMM(batch: batch, transA: false, transB: false, m: m, n: n, k: k,
                    a: ap.baseAddress!, lda: k, strideA: m * k, b: bp.baseAddress!, ldb: n, strideB: k * n,
                    c: cp.baseAddress!, ldc: n, strideC: m * n)
    } } }
    for i in 0..<batch {
        let ref = naiveMatmul(Array(a[(i * m * k)..<((i + 1) * m * k)]), Array(b[(i * k * n)..<((i + 1) * k * n)]), m: m, k: k, n: n)
        expectClose(Array(c[(i * m * n)..<((i + 1) * m * n)]), ref, atol: 1e-5, label: "batch \(i)")
    }
}

@Test(arguments: [(1, 1), (3, 7), (5, 197), (64, 3026)])
func softmaxMatchesDoubleReferenceAndRowsSumToOne(rows: Int, cols: Int) {
    var rng = SplitMix64(seed: UInt64(rows * 1000 + cols))
    let x = randomArray(rows * cols, &rng, range: -30...30)
    var got = x
    got.withUnsafeMutableBufferPointer { softmaxRows($0.baseAddress!, rows: rows, cols: cols) }
    expectClose(got, softmaxRowsReference(x, rows: rows, cols: cols), atol: 1e-7, rtol: 1e-5, label: "softmax \(rows)x\(cols)")
    for r in 0..<rows {
        let s = got[(r * cols)..<((r + 1) * cols)].reduce(0, +)
        #expect(abs(s - 1) < 1e-4, "row \(r) sums to \(s) (seed \(rows * 1000 + cols))")
    }
}

@Test func softmaxOfMaskedRowIsZeroNotNaN() {
    var row: [Float] = [-.infinity, -.infinity, -.infinity]
    row.withUnsafeMutableBufferPointer { softmaxRow($0.baseAddress!, count: 3) }
    #expect(row == [0, 0, 0])
}

@Test(arguments: [(1, 1), (4, 7), (197, 384), (9, 1000)])
func layerNormMatchesDoubleReference(rows: Int, cols: Int) {
    var rng = SplitMix64(seed: UInt64(rows + cols * 3))
    let x = randomArray(rows * cols, &rng, range: -5...5).map { $0 + 3 }
    let w = randomArray(cols, &rng), b = randomArray(cols, &rng)
    var t = Tensor(shape: [rows, cols], data: x)
    layerNorm(&t, weight: Tensor(shape: [cols], data: w), bias: Tensor(shape: [cols], data: b), eps: 1e-6)
    expectClose(t.data, layerNormReference(x, cols: cols, weight: w, bias: b, eps: 1e-6), atol: 1e-5, label: "layerNorm")
}

/// Every CKernels path this CPU runs, against double precision (atol 1e-6, rtol 1e-5: the erf
/// approximation's error is 1.5e-7); the length leaves a vector tail and spans parallel chunks.
@Test(arguments: ExpKernelISA.available)
func geluMatchesErfReference(isa: ExpKernelISA) {
    var rng = SplitMix64(seed: 5)
    var x = randomArray(70_001, &rng, range: -8...8)
    x += [0, -0.0, 40, -40, 1e-20]
    var y = x
    y.withUnsafeMutableBufferPointer { geluErf($0.baseAddress!, count: $0.count, isa: isa) }
    expectClose(y, geluErfReference(x), atol: 1e-6, rtol: 1e-5, label: "gelu \(isa)")
}

/// The vectorised derivative (overwriting, accumulating, and in place on the upstream buffer as
/// the segmenter head calls it) against double precision, on every CKernels path: atol 1e-6, rtol 1e-5 (the erf approximation's error
/// is 1.5e-7; the length leaves a scalar tail and spans several parallel chunks).
@Test(arguments: ExpKernelISA.available)
func geluBackwardMatchesReference(isa: ExpKernelISA) {
    var rng = SplitMix64(seed: 6)
    let x = randomArray(70_003, &rng, range: -8...8), g = randomArray(70_003, &rng)
    let reference = geluErfBackwardReference(x: x, upstream: g)
    var out = [Float](repeating: 0, count: x.count)
    geluErfBackward(x: x, upstream: g, into: &out, count: x.count, accumulate: false, isa: isa)
    expectClose(out, reference, atol: 1e-6, rtol: 1e-5, label: "overwrite \(isa)")
    var acc = [Float](repeating: 1, count: x.count)
    geluErfBackward(x: x, upstream: g, into: &acc, count: x.count, accumulate: true, isa: isa)
    expectClose(acc, reference.map { $0 + 1 }, atol: 1e-6, rtol: 1e-5, label: "accumulate \(isa)")
    var inPlace = g
    inPlace.withUnsafeMutableBufferPointer { p in
        geluErfBackward(x: x, upstream: p.baseAddress!, into: p.baseAddress!, count: x.count, accumulate: false, isa: isa)
    }
    expectClose(inPlace, reference, atol: 1e-6, rtol: 1e-5, label: "in place \(isa)")
}

@Test func shapeHelpers() {
    let t = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
    #expect(t.reshaped([3, -1]).shape == [3, 2])
    #expect(t.transposed().data == [1, 4, 2, 5, 3, 6])
    #expect(t.rows(1..<2).data == [4, 5, 6])
    #expect(Tensor.concatenate([t, t.rows(0..<1)]).shape == [3, 3])
    var u = t
    add(&u, t)
    #expect(u.data == [2, 4, 6, 8, 10, 12])
}
