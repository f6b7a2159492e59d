/// Where a patch sits in its object's box, as two extra descriptor columns.
///
/// Parts of one kind sit in similar places across objects of a family (heads at the front and
/// top, wheels at the bottom), which weak or low-resolution descriptors do not say on their own.
/// The cluster parser appends `weight · (x̂, ŷ)`, the patch centre in `[-1, 1]` across the box
/// (x̂ negated for a base that faces the other way), and renormalises, so cosine similarity
/// weighs appearance and place together — the spatial term of SLIC-style clustering.
public enum PatchPosition {
    /// `rows` (`[n, dim]`, unit length) with the position columns appended: `[n, dim + 2]`,
    /// each row renormalised to unit length.
    ///
    /// - Parameter positions: for each row, its patch index on the `gridH × gridW` grid and
    ///   whether its object is mirrored.
    public static func appending(_ rows: [Float], dim: Int, positions: [(patch: Int, mirrored: Bool)],
                                 gridW: Int, gridH: Int, weight: Float) -> [Float] {
        precondition(rows.count == positions.count * dim, "\(rows.count) values for \(positions.count) positions of dim \(dim)")
        precondition(gridW > 0 && gridH > 0, "grid \(gridW)×\(gridH)")
        var out = [Float](); out.reserveCapacity(positions.count * (dim + 2))
        for (r, position) in positions.enumerated() {
            var x = 2 * (Float(position.patch % gridW) + 0.5) / Float(gridW) - 1
            let y = 2 * (Float(position.patch / gridW) + 0.5) / Float(gridH) - 1
            if position.mirrored { x = -x }
            out.append(contentsOf: rows[(r * dim)..<((r + 1) * dim)])
            out.append(weight * x)
            out.append(weight * y)
        }
        return Retrieval.normalizedRows(out, dim: dim + 2)
    }
}
