import Foundation
import Testing
import TestSupport
@testable import Features

/// DINOv2's Sinkhorn-Knopp teacher targets against PyTorch (`tools/make_sinkhorn_fixture.py`).
/// Float32 exponentials of logits up to ~30, normalised in double: atol 1e-6, rtol 1e-4.
@Test func sinkhornTargetsMatchPyTorch() throws {
    struct Fixture: Decodable { let teacher: [Float]; let rows: Int; let k: Int; let temperature: Float; let iterations: Int; let targets: [Float] }
    let f = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: fixtureURL("pretrain", "sinkhorn.json")))
    var loss = DINOLoss(outputDim: f.k, epochs: 1, warmupTeacherTemperature: f.temperature,
                        teacherTemperature: f.temperature, warmupEpochs: 0)
    loss.sinkhornIterations = f.iterations
    let q = loss.teacherTargets(f.teacher, epoch: 0)
    expectClose(q, f.targets, atol: 1e-6, rtol: 1e-4, label: "Sinkhorn-Knopp targets")
    // Every row is a distribution; the mean centering path is untouched when iterations are 0.
    for r in 0..<f.rows { #expect(abs(q[(r * f.k)..<((r + 1) * f.k)].reduce(0, +) - 1) < 1e-5) }
    loss.sinkhornIterations = 0
    #expect(loss.teacherTargets(f.teacher, epoch: 0) != q)
}
