import Foundation
import Tensor

/// DINO's loss (`main_dino.py: DINOLoss`): cross-entropy between the teacher's centred,
/// sharpened distribution on each global crop and the student's distribution on every *other*
/// crop, averaged over the pairs; plus the EMA update of the center.
public struct DINOLoss: Sendable {
    public let outputDim: Int
    public var studentTemperature: Float
    public var centerMomentum: Float
    /// Teacher temperature per epoch: linear warm-up then constant.
    public let teacherTemperatures: [Float]
    /// `[outputDim]`, the running mean of teacher outputs (starts at zero).
    public var center: [Float]
    /// When positive, teacher targets come from this many Sinkhorn-Knopp iterations over the
    /// batch (DINOv2's centering) instead of subtracting `center`.
    public var sinkhornIterations = 0

    /// - Parameters: as DINO's flags: `warmupTeacherTemperature` (0.04) rises linearly to
    ///   `teacherTemperature` (0.04–0.07) over `warmupEpochs` (30), then stays.
    public init(outputDim: Int, epochs: Int, warmupTeacherTemperature: Float = 0.04, teacherTemperature: Float = 0.04,
                warmupEpochs: Int = 30, studentTemperature: Float = 0.1, centerMomentum: Float = 0.9) {
        self.outputDim = outputDim
        self.studentTemperature = studentTemperature
        self.centerMomentum = centerMomentum
        let warm = min(warmupEpochs, epochs)
        var temps: [Float] = (0..<warm).map { i in
            warm == 1 ? warmupTeacherTemperature
                : warmupTeacherTemperature + (teacherTemperature - warmupTeacherTemperature) * Float(i) / Float(warm - 1)
        }
        temps += [Float](repeating: teacherTemperature, count: max(epochs - warm, 0))
        teacherTemperatures = temps.isEmpty ? [teacherTemperature] : temps
        center = [Float](repeating: 0, count: outputDim)
    }

    /// Teacher temperature at `epoch` (the last one past the schedule).
    public func teacherTemperature(epoch: Int) -> Float { teacherTemperatures[min(epoch, teacherTemperatures.count - 1)] }

    /// `softmax((teacher − center)/τ_t)` row by row: the detached targets, `[rows, K]`.
    public func teacherTargets(_ teacherOutput: [Float], epoch: Int) -> [Float] {
        if sinkhornIterations > 0 { return sinkhornTargets(teacherOutput, epoch: epoch) }
        let k = outputDim, rows = teacherOutput.count / k, inv = 1 / teacherTemperature(epoch: epoch)
        var q = teacherOutput
        for r in 0..<rows {
            var mx = -Float.infinity
            for j in 0..<k { q[r * k + j] = (q[r * k + j] - center[j]) * inv; mx = max(mx, q[r * k + j]) }
            var s: Float = 0
            for j in 0..<k { q[r * k + j] = exp(q[r * k + j] - mx); s += q[r * k + j] }
            for j in 0..<k { q[r * k + j] /= s }
        }
        return q
    }

    /// The loss on the tape.
    ///
    /// - Parameters:
    ///   - studentOutput: `[crops·batch, K]`, crop-major (all images' crop 0, then crop 1, …),
    ///     crops 0 and 1 being the global ones.
    ///   - teacherOutput: `[2·batch, K]` for the two global crops, crop-major.
    /// - Returns: a scalar, `Σ_{iq, v≠iq} CE(q_iq, p_v) / n_pairs`.
    public func callAsFunction(_ tape: Tape, studentOutput: Var, teacherOutput: [Float], batch: Int, epoch: Int) -> Var {
        callAsFunction(tape, studentOutput: studentOutput, targets: teacherTargets(teacherOutput, epoch: epoch), batch: batch)
    }

    /// The loss on the tape given the teacher's targets (``teacherTargets(_:epoch:)``), `[2·batch, K]`
    /// crop-major: a data shard's rows of targets computed over the whole batch.
    public func callAsFunction(_ tape: Tape, studentOutput: Var, targets q: [Float], batch: Int) -> Var {
        let k = outputDim, crops = tape.shape(studentOutput)[0] / batch
        precondition(q.count == 2 * batch * k && crops >= 2, "DINOLoss: \(q.count) targets, student \(tape.shape(studentOutput))")
        let logp = tape.logSoftmax(studentOutput, temperature: studentTemperature)
        var total: Var? = nil
        var terms = 0
        for iq in 0..<2 {
            let target = Array(q[(iq * batch * k)..<((iq + 1) * batch * k)])
            for v in 0..<crops where v != iq {
                let term = tape.softCrossEntropy(logp, targets: target, rowStart: v * batch, rows: batch)
                total = total.map { tape.add($0, term) } ?? term
                terms += 1
            }
        }
        return tape.scale(total!, by: 1 / Float(terms))
    }

    /// DINOv2's Sinkhorn-Knopp teacher: `exp(teacher/τ_t)` scaled alternately so that every
    /// prototype gets an equal share of the batch and every row sums to one. Unlike mean
    /// centering it cannot drift to the uniform solution on small batches and short schedules,
    /// where we saw mean-centred runs collapse to a loss of ln K.
    public func sinkhornTargets(_ teacherOutput: [Float], epoch: Int) -> [Float] {
        let k = outputDim, rows = teacherOutput.count / k, inv = 1 / teacherTemperature(epoch: epoch)
        let top = (teacherOutput.max() ?? 0) * inv
        var q = teacherOutput.map { Double(exp($0 * inv - top)) }
        let total = q.reduce(0, +)
        for i in q.indices { q[i] /= total }
        for _ in 0..<sinkhornIterations {
            var columns = [Double](repeating: 0, count: k)              // per prototype, over the batch
            for r in 0..<rows { for j in 0..<k { columns[j] += q[r * k + j] } }
            for r in 0..<rows { for j in 0..<k { q[r * k + j] /= columns[j] > 0 ? columns[j] * Double(k) : 1 } }
            for r in 0..<rows {                                         // per sample, over prototypes
                var sum = 0.0
                for j in 0..<k { sum += q[r * k + j] }
                for j in 0..<k { q[r * k + j] /= sum > 0 ? sum * Double(rows) : 1 }
            }
        }
        return q.map { Float($0 * Double(rows)) }
    }

    /// `center ← m·center + (1 − m)·mean(teacher rows)`.
    public mutating func updateCenter(teacherOutput: [Float]) {
        let k = outputDim, rows = teacherOutput.count / k
        var mean = [Double](repeating: 0, count: k)
        for r in 0..<rows { for j in 0..<k { mean[j] += Double(teacherOutput[r * k + j]) } }
        for j in 0..<k { center[j] = center[j] * centerMomentum + Float(mean[j] / Double(rows)) * (1 - centerMomentum) }
    }
}
