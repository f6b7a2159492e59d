/// A base (source) object as the parser sees it: its descriptors on the patch grid and the
/// borrowed taxonomy's class of every patch.
public struct BaseObject: Sendable {
    /// The object's annotation id in the store, recorded as provenance.
    public let annotationID: Int64
    /// `[patches, dim]` row-major, L2-normalised (see `Retrieval.normalizedRows`).
    public let descriptors: [Float]
    /// Class of every patch in `0...parts` (0: no part), indexed like `descriptors`; `-1` marks
    /// a patch off the object, which takes no part in the correspondence.
    public let labels: [Int32]

    public init(annotationID: Int64, descriptors: [Float], labels: [Int32]) {
        precondition(labels.isEmpty ? descriptors.isEmpty : descriptors.count % labels.count == 0,
                     "\(descriptors.count) descriptor values for \(labels.count) labels")
        self.annotationID = annotationID
        self.descriptors = descriptors
        self.labels = labels
    }
}

/// A target object to parse: its descriptor grid, foreground on the grid, and its pixel mask.
public struct TargetObject: Sendable {
    /// `[gridH · gridW, dim]` row-major.
    public let descriptors: [Float]
    public let gridH: Int
    public let gridW: Int
    /// `[gridH · gridW]`, 1 where the patch is on the object (from its mask or saliency).
    public let foregroundGrid: [UInt8]
    /// `[height, width]` 0/1 object mask at the resolution masks are produced in.
    public let foreground: [UInt8]
    public let height: Int
    public let width: Int

    public init(descriptors: [Float], gridH: Int, gridW: Int, foregroundGrid: [UInt8],
                foreground: [UInt8], height: Int, width: Int) {
        precondition(foregroundGrid.count == gridH * gridW, "foreground grid \(foregroundGrid.count) ≠ \(gridH)×\(gridW)")
        precondition(foreground.count == height * width, "foreground \(foreground.count) ≠ \(height)×\(width)")
        precondition(gridH * gridW > 0 && descriptors.count % (gridH * gridW) == 0,
                     "\(descriptors.count) descriptor values for a \(gridH)×\(gridW) grid")
        self.descriptors = descriptors
        self.gridH = gridH
        self.gridW = gridW
        self.foregroundGrid = foregroundGrid
        self.foreground = foreground
        self.height = height
        self.width = width
    }

    var dim: Int { descriptors.count / (gridH * gridW) }
}

/// One part found on a target object.
public struct ParsedPart: Sendable {
    /// Class in `1...parts`: index + 1 into the borrowed taxonomy's part list.
    public let classIndex: Int
    /// `[height, width]` 0/1 mask at the target's pixel resolution.
    public let mask: [UInt8]
    /// Confidence in `[0, 1]`.
    public let score: Float
    /// Patches that voted the part in.
    public let patches: Int
}

/// How a base object's left–right orientation relative to the target is decided.
public enum Facing: String, Sendable, CaseIterable {
    /// Whichever way the base's silhouette, stretched onto the target's box, overlaps the
    /// target's mask more (shape only; a dog's box looks much the same both ways round).
    case silhouette
    /// Whichever way more target patches find a similar base patch near the same place in the
    /// box: the head's descriptors sit where the head is (`ObjectParser.facesMirrored`).
    case features
    /// Whichever way a model of "front" and "back" learned from every base category carrying
    /// the borrowed parts says the target faces (`FacingModel`); `features` where it cannot say.
    case learned
}

/// Which transfer the parser uses.
public enum ParseMethod: String, Sendable, CaseIterable {
    /// vlpart's default: every patch (or, with `clusters`, every k-means cluster) labelled by
    /// similarity-weighted votes of its nearest patches among the top-k bases, placed in the box,
    /// plus the bases' own layouts; fragments absorbed, boundaries refined on the pixels.
    case cluster
    /// VLPart's parser: nearest base patch per target patch, largest component per part.
    case nn
    /// The featureless baseline: the retrieved bases' part layouts stretched onto the target's
    /// box (`GeometricPrior`); features serve retrieval only, never correspondence.
    case prior
}

/// Knobs of one object parse; the defaults are the ones the benchmark numbers are quoted at.
public struct ParseParameters: Sendable {
    public var method: ParseMethod = .cluster
    /// Nearest base patches that vote for every target patch. With features that know parts
    /// (the MAE backbone), 10 beat 5 and 20 (cluster mIoU, 64 px, stride 4, 24 clusters, prior
    /// weight 10; dataset seeds 0 / 1): 5 gave 38.2 / 38.0, 10 gave 39.0 / 38.8, 20 gave 38.4 on seed 0.
    /// Labelling every patch on its own votes: 5 gave 40.1 / 38.0, 10 gives 39.6 / 39.0, 20 gave 39.3 / 38.9.
    public var neighbours: Int = 10
    /// k-means clusters per object, each labelled as a whole; `nil` labels every foreground
    /// patch by its own votes (no k-means). Part count + 2 clusters suited features that knew
    /// little; with the MAE backbone every merge of patches cost accuracy, so the default is
    /// none (cluster mIoU, 64 px, stride 4, seed 0): 16 clusters gave 38.2, four per part 38.5,
    /// 48 gave 38.9, 96 gave 39.5, 160 gave 39.6, one per patch 39.6 (seed 1: 38.2 → 39.0).
    public var clusters: Int? = nil
    /// Fragments smaller than this many patches are absorbed by their surroundings.
    public var minFragmentPatches: Int = 2
    /// Parts smaller than this fraction of the object's pixels are dropped.
    public var minPartFraction: Float = 0.005
    /// Weight of a patch's position in its object's box (`PatchPosition`) next to its unit
    /// descriptor, in the cluster method's matching and clustering; 0 matches descriptors alone.
    /// At 1 a patch on the far side of the box costs about as much as an unrelated descriptor.
    public var positionWeight: Float = 1
    /// Weight of the geometric prior in the cluster method's votes: every retrieved base adds
    /// `priorWeight / bases` to the class its own layout has at the patch's place in the box
    /// (turned to face the target's way). 0 votes by correspondence alone. Above ~4 the prior
    /// outweighs the ~2–4 of similarity a patch's five neighbours cast, and correspondence and
    /// clustering decide between parts the layouts leave close (seed 0, 64 px, stride 4, no
    /// refinement: 0 → 10 took mIoU 24.1 → 27.5, AP50 15.9 → 20.0; seed 1: 22.6 → 26.0,
    /// 15.1 → 16.9). With image-guided refinement the boundaries come from the pixels, and more
    /// weight on the layouts pays (mIoU / AP50, seed 0 and seed 1): 5 gave 29.2 / 23.4 and
    /// 29.5 / 21.4, 10 gave 30.7 / 24.7 and 31.6 / 22.5, 20 gave 31.7 / 25.7 and 32.4 / 23.7,
    /// 40 gave 32.1 / 26.5 and 32.6 / 25.4, 80 gave 31.6 / 25.4 and 32.5 / 25.4. Those features
    /// (DINO on 300 images) knew parts no better than random weights; with the MAE backbone and
    /// 24 clusters the layouts are needed less: 5 gave 38.2 / 38.7, 10 gave 38.2 / 38.0, 20 gave
    /// 37.8 / 37.2 (40 with part count + 2 clusters: 33.6 / 32.9). Once the bases face the
    /// right way (`Facing.learned`), correspondence carries nearly all of it (every patch its own
    /// vote, mIoU seeds 0 / 1): 0 gave 43.2 / 43.0, 1 gave 43.4 / 43.2, 3 gives 43.5 / 43.1 (AP50
    /// 41.3 / 37.3), 5 gave 43.2 / 42.9, 10 gave 42.8 / 42.2 (AP50 38.7 / 34.9), 20 gave 43.2 / 41.4.
    public var priorWeight: Float = 3
    /// cluster: prior parts up to this many patches in area replace what the clusters found for
    /// them when the clusters found less than half (`SmallPartFill`); 0 keeps the clusters' parts.
    /// 4 was best of 1, 2, 4, 8 on both dataset seeds (64 px, stride 4: mIoU 27.5 → 28.7 and
    /// 26.0 → 27.7, AP50 unchanged).
    public var smallPartPatches: Float = 4
    /// How the cluster parser decides which way each base faces relative to the target (its
    /// layout's prior votes and positions are mirrored to match). `features` turned almost no
    /// base (dogs needing it 4 %, sparrows 53 %, buses 0 %; seed 0, k 3); `learned` turns 87 %,
    /// 100 % and 26 %, and keeps 90 %, 100 % and 58 % of those facing the right way already.
    /// Cluster mIoU / AP50 (64 px, stride 4, prior weight 10): seed 0 39.6 / 35.5 → 42.8 / 38.7, seed 1 reviewed
    /// 39.0 / 31.8 → 42.2 / 34.9.
    public var facing: Facing = .learned
    /// Seeds k-means so that a parse is reproducible.
    public var seed: UInt64 = 0

    public init() {}
}

/// Parses one target object into parts by transfer from base objects (DESIGN.md, steps 2–6).
///
/// The caller has already retrieved the base objects (`Retrieval`) and computed descriptors;
/// this type owns no I/O, so it is cheap to test and to run in many processes.
public enum ObjectParser {
    /// Parts of `target`, borrowed from `bases` under a taxonomy of `parts` parts.
    ///
    /// - Parameter mirrored: per base, whether it faces the other way; `nil` decides it here
    ///   (`facings`, for the cluster method, the only one that uses it). Callers that also
    ///   stretch the bases' layouts pass the same decisions.
    /// - Returns: the parts found, by class; absent parts are not invented.
    public static func parse(_ target: TargetObject, bases: [BaseObject], parts: Int,
                             parameters: ParseParameters = ParseParameters(), mirrored: [Bool]? = nil) -> [ParsedPart] {
        precondition(parameters.method != .prior, "ObjectParser transfers by features; the prior is GeometricPrior.parse")
        let dim = target.dim
        let fgPatches = (0..<target.foregroundGrid.count).filter { target.foregroundGrid[$0] != 0 }
        guard !fgPatches.isEmpty, parts > 0, !bases.isEmpty else { return [] }
        var fgDescriptors = [Float](); fgDescriptors.reserveCapacity(fgPatches.count * dim)
        for p in fgPatches { fgDescriptors.append(contentsOf: target.descriptors[(p * dim)..<((p + 1) * dim)]) }
        var bankDescriptors = [Float](), bankLabels = [Int32]()
        var bankPositions: [(patch: Int, mirrored: Bool)] = []
        let gridCount = target.gridH * target.gridW
        // Only the cluster method places base patches (positions, prior votes); nn matches
        // descriptors alone, so its bases need no turning.
        let baseFacing = mirrored ?? (parameters.method == .cluster
            ? facings(target, bases: bases, facing: parameters.facing) : [Bool](repeating: false, count: bases.count))
        precondition(baseFacing.count == bases.count, "\(baseFacing.count) facings for \(bases.count) bases")
        for (base, mirrored) in zip(bases, baseFacing) {
            for (i, label) in base.labels.enumerated() where label >= 0 {
                bankDescriptors.append(contentsOf: base.descriptors[(i * dim)..<((i + 1) * dim)])
                bankLabels.append(label)
                bankPositions.append((i, mirrored))
            }
        }
        guard !bankLabels.isEmpty else { return [] }
        let neighbours = parameters.method == .nn ? 1 : parameters.neighbours
        // VLPart's nn matches descriptors alone; the cluster parser also weighs where a patch
        // sits in its object's box, so matches and clusters stay spatially coherent.
        let weight = parameters.method == .cluster && bases.allSatisfy({ $0.labels.count == gridCount })
            ? parameters.positionWeight : 0
        let rowDim = weight > 0 ? dim + 2 : dim
        if weight > 0 {
            fgDescriptors = PatchPosition.appending(fgDescriptors, dim: dim, positions: fgPatches.map { ($0, false) },
                                                    gridW: target.gridW, gridH: target.gridH, weight: weight)
            bankDescriptors = PatchPosition.appending(bankDescriptors, dim: dim, positions: bankPositions,
                                                      gridW: target.gridW, gridH: target.gridH, weight: weight)
        }
        let corr = Correspondence(target: fgDescriptors, base: bankDescriptors, dim: rowDim, m: neighbours,
                                  baseIsNormalized: true)

        var grid = [Int](repeating: -1, count: target.gridH * target.gridW)
        var patchScore = [Float](repeating: 0, count: grid.count)
        var classScore = [Float](repeating: 0, count: parts + 1)
        var classWeight = [Float](repeating: 0, count: parts + 1)
        switch parameters.method {
        case .nn:
            let labels = LabelTransfer.nearestNeighbourLabels(correspondence: corr, baseLabels: bankLabels)
            for (i, p) in fgPatches.enumerated() {
                grid[p] = labels[i]
                patchScore[p] = max(0, corr.similarities[i])
            }
            grid = PostProcess.largestComponentPerLabel(grid, rows: target.gridH, cols: target.gridW)
            for (p, l) in grid.enumerated() where l > 0 { classScore[l] += patchScore[p]; classWeight[l] += 1 }
        case .cluster:
            var votes = PartVotes(correspondence: corr, baseLabels: bankLabels, parts: parts)
            if parameters.priorWeight > 0 {
                addPriorVotes(&votes, bases: bases, mirrored: baseFacing, fgPatches: fgPatches, gridW: target.gridW,
                              gridCount: gridCount, weight: parameters.priorWeight)
            }
            // Either k-means groups, or every patch a group of its own.
            let assignments: [Int], groups: Int
            if let k = parameters.clusters, k < fgPatches.count {
                let kmeans = KMeans(rows: Retrieval.normalizedRows(fgDescriptors, dim: rowDim), dim: rowDim, k: max(1, k),
                                    seed: parameters.seed)
                (assignments, groups) = (kmeans.assignments, kmeans.k)
            } else {
                (assignments, groups) = (Array(fgPatches.indices), fgPatches.count)
            }
            let clusters = LabelTransfer.labelClusters(assignments: assignments, clusters: groups, votes: votes)
            for (i, p) in fgPatches.enumerated() { grid[p] = clusters[assignments[i]].label }
            grid = PostProcess.absorbSmallFragments(grid, rows: target.gridH, cols: target.gridW,
                                                    minPatches: parameters.minFragmentPatches)
            for c in clusters where c.label > 0 {
                classScore[c.label] += Float(c.size) * c.voteShare * c.purity * c.support
                classWeight[c.label] += Float(c.size)
            }
        case .prior:
            return []
        }

        let pixels = PostProcess.pixelLabels(gridLabels: grid, gridH: target.gridH, gridW: target.gridW,
                                             classes: parts + 1, foreground: target.foreground,
                                             height: target.height, width: target.width)
        let objectArea = target.foreground.reduce(0) { $0 + Int($1) }
        var result: [ParsedPart] = []
        for c in 1...parts {
            let mask = pixels.map { $0 == c ? UInt8(1) : 0 }
            let area = mask.reduce(0) { $0 + Int($1) }
            guard area > 0, Float(area) >= parameters.minPartFraction * Float(objectArea) else { continue }
            let score = classWeight[c] > 0 ? min(1, max(0, classScore[c] / classWeight[c])) : 0
            result.append(ParsedPart(classIndex: c, mask: mask, score: score,
                                     patches: grid.reduce(0) { $0 + ($1 == c ? 1 : 0) }))
        }
        return result
    }

    /// Per base, whether it faces the other way from `target` (a base on another grid: `false`).
    ///
    /// - Parameter model: `.learned`'s model; without one, or where it cannot say, `.learned`
    ///   decides as `.features` does.
    public static func facings(_ target: TargetObject, bases: [BaseObject], facing: Facing,
                               model: FacingModel? = nil) -> [Bool] {
        let gridCount = target.gridH * target.gridW
        let learned = facing == .learned ? model?.facings(target, bases: bases) : nil
        // The target's rows are normalised once for all its bases, and only when a base needs
        // them: where the learned model decides every base, never.
        var rows: [Float]?
        return bases.enumerated().map { b, base in
            guard base.labels.count == gridCount else { return false }
            if let decided = learned?[b] { return decided }
            if facing != .silhouette {
                if rows == nil { rows = Retrieval.normalizedRows(target.descriptors, dim: target.dim) }
                if let mirrored = facesMirrored(target, normalizedRows: rows!, base: base) { return mirrored }
            }
            return GeometricPrior.facing(
                GeometricPrior.Layout(labels: base.labels, width: target.gridW, height: target.gridH),
                foreground: target.foregroundGrid, width: target.gridW, height: target.gridH).mirrored
        }
    }

    /// Whether `base` (on the target's grid) matches `target` better mirrored: every foreground
    /// target patch takes its best cosine among the base's object patches within `window`
    /// patches of its own place (or of its mirror image), and the two totals are compared.
    /// `nil` when they tie or nothing is comparable.
    public static func facesMirrored(_ target: TargetObject, base: BaseObject, window: Int = 1) -> Bool? {
        facesMirrored(target, normalizedRows: Retrieval.normalizedRows(target.descriptors, dim: target.dim), base: base,
                      window: window)
    }

    /// `facesMirrored` with the target's descriptor rows already L2-normalised.
    static func facesMirrored(_ target: TargetObject, normalizedRows rows: [Float], base: BaseObject,
                              window: Int = 1) -> Bool? {
        let w = target.gridW, h = target.gridH, dim = target.dim
        guard base.labels.count == w * h, base.descriptors.count == w * h * dim else { return nil }
        var totals: [Float] = [0, 0]
        for p in 0..<(w * h) where target.foregroundGrid[p] != 0 {
            let r = p / w, c = p % w
            for m in 0..<2 {
                let col = m == 0 ? c : w - 1 - c
                var best: Float = -1
                for rr in max(0, r - window)...min(h - 1, r + window) {
                    for cc in max(0, col - window)...min(w - 1, col + window) where base.labels[rr * w + cc] >= 0 {
                        var dot: Float = 0
                        let t = p * dim, b = (rr * w + cc) * dim
                        for k in 0..<dim { dot += rows[t + k] * base.descriptors[b + k] }
                        best = max(best, dot)
                    }
                }
                if best > -1 { totals[m] += best }
            }
        }
        if totals[0] == totals[1] { return nil }
        return totals[1] > totals[0]
    }

    /// Adds each same-grid base's own class at every foreground patch's place (mirrored where
    /// the base faces the other way) to `votes`, `weight / bases` per base.
    static func addPriorVotes(_ votes: inout PartVotes, bases: [BaseObject], mirrored: [Bool], fgPatches: [Int],
                              gridW: Int, gridCount: Int, weight: Float) {
        let sameGrid = bases.indices.filter { bases[$0].labels.count == gridCount }
        guard !sameGrid.isEmpty else { return }
        let share = weight / Float(sameGrid.count)
        for (i, p) in fgPatches.enumerated() {
            let row = p / gridW, col = p % gridW
            for b in sameGrid {
                let q = mirrored[b] ? row * gridW + (gridW - 1 - col) : p
                let label = Int(bases[b].labels[q])
                guard label >= 0, label < votes.classes else { continue }
                votes.weights[i * votes.classes + label] += share
            }
        }
    }
}
