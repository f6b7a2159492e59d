/// Gives back to a patch-level parse the small parts its grid cannot resolve.
///
/// The cluster parser decides per patch: a wheel, a leg or a beak a patch or two wide is lost
/// or smeared into its neighbour, while the geometric prior places it per pixel (seed 0:
/// bus wheel IoU 26 by clusters vs 53 by the prior, sparrow leg 2 vs 24). Where the prior finds
/// a part smaller than `maxPatches` patches and the clusters gave it less than half the prior's
/// area, the prior's pixels take that part; everything else keeps the clusters' answer.
public enum SmallPartFill {
    /// Merges `prior` into `clusters` for the small parts `clusters` missed.
    ///
    /// - Parameters:
    ///   - clusters, prior: parts of one target, masks `[height, width]` over the same box.
    ///   - patchArea: pixels of one grid patch in this box (box area / grid cells).
    ///   - maxPatches: a prior part larger than this many patches is not "small".
    /// - Returns: the merged parts in class order; a filled part keeps the prior's score.
    public static func merge(clusters: [ParsedPart], prior: [ParsedPart], patchArea: Float,
                             maxPatches: Float = 2) -> [ParsedPart] {
        guard let count = clusters.first?.mask.count ?? prior.first?.mask.count else { return [] }
        var owner = [Int](repeating: 0, count: count)          // class per pixel, 0: none
        var score: [Int: Float] = [:], patches: [Int: Int] = [:]
        for part in clusters {
            for i in 0..<count where part.mask[i] != 0 { owner[i] = part.classIndex }
            score[part.classIndex] = part.score
            patches[part.classIndex] = part.patches
        }
        let clusterArea = area(by: owner)
        for part in prior {
            let priorArea = part.mask.reduce(0) { $0 + Int($1) }
            guard Float(priorArea) <= maxPatches * patchArea,
                  Float(clusterArea[part.classIndex] ?? 0) < 0.5 * Float(priorArea) else { continue }
            for i in 0..<count where part.mask[i] != 0 { owner[i] = part.classIndex }
            score[part.classIndex] = part.score
        }
        return area(by: owner).keys.sorted().map { c in
            ParsedPart(classIndex: c, mask: owner.map { $0 == c ? 1 : 0 }, score: score[c] ?? 0, patches: patches[c] ?? 0)
        }
    }

    private static func area(by owner: [Int]) -> [Int: Int] {
        var result: [Int: Int] = [:]
        for c in owner where c > 0 { result[c, default: 0] += 1 }
        return result
    }
}
