/// Union and intersection on run-length encoded masks (pycocotools `merge`).
extension RLE {
    /// Merges masks of one size by union (default) or intersection, without decoding them.
    ///
    /// The result's counts are exactly pycocotools' `merge(rles, intersect)`, so its
    /// ``compressed`` string matches too. An empty list gives a `0`×`0` mask; a single mask is
    /// returned unchanged (as pycocotools does, even if its runs are not canonical).
    /// - Precondition: every mask has the same size and counts summing to `width·height`
    ///   (true of any RLE built through the throwing initialisers).
    /// - Complexity: O(total number of runs).
    public static func merge(_ rles: [RLE], intersect: Bool = false) -> RLE {
        guard let first = rles.first else { return RLE(width: 0, height: 0, counts: []) }
        let w = first.width, h = first.height
        for r in rles {
            precondition(r.width == w && r.height == h,
                         "RLE.merge: \(r.width)x\(r.height) mask merged with \(w)x\(h)")
            let sum = r.counts.reduce(UInt64(0)) { $0 + UInt64($1) }
            precondition(sum == UInt64(w * h), "RLE.merge: counts sum to \(sum) for a \(w)x\(h) mask")
        }
        if rles.count == 1 { return first }
        if w * h == 0 { return RLE(width: w, height: h, counts: [0]) }
        var merged = first.counts
        for other in rles.dropFirst() {
            merged = mergeRuns(merged, other.counts, intersect: intersect)
        }
        return RLE(width: w, height: h, counts: merged)
    }

    /// One pairwise step of `rleMerge`: walk both run lists, emitting a run whenever the
    /// combined value changes (and at the end).
    private static func mergeRuns(_ a: [UInt32], _ b: [UInt32], intersect: Bool) -> [UInt32] {
        precondition(!a.isEmpty && !b.isEmpty, "RLE.merge: empty counts for a non-empty mask")
        var out: [UInt32] = []
        out.reserveCapacity(a.count + b.count)
        var ca = a[0], cb = b[0]
        var ia = 1, ib = 1
        var va = false, vb = false, v = false
        var run: UInt32 = 0
        var remaining: UInt32 = 1
        while remaining > 0 {
            let c = min(ca, cb)
            run &+= c
            remaining = 0
            ca &-= c
            if ca == 0 && ia < a.count { ca = a[ia]; ia += 1; va.toggle() }
            remaining &+= ca
            cb &-= c
            if cb == 0 && ib < b.count { cb = b[ib]; ib += 1; vb.toggle() }
            remaining &+= cb
            let previous = v
            v = intersect ? (va && vb) : (va || vb)
            if v != previous || remaining == 0 {
                out.append(run)
                run = 0
            }
        }
        return out
    }
}
