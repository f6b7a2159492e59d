/// A map from a dataset's own integer ids to what the importer learnt about them.
///
/// COCO-style files number their images and annotations densely from 0 or 1, so ids below a
/// bound live in a flat array (an index, no hashing: a million-annotation import spent ~5% of
/// its parsing time in `Dictionary`); negative, huge or sparse ids live in a dictionary. The
/// array grows only while the ids stay dense: to at most `4·count + 65,536` slots.
struct SourceIDMap<Value> {
    private var dense: [Value?] = []
    private var sparse: [Int64: Value] = [:]
    private(set) var count = 0

    subscript(id: Int64) -> Value? {
        get {
            if id >= 0 && id < Int64(dense.count) { return dense[Int(id)] }
            return sparse[id]
        }
        set {
            if newValue != nil, id >= Int64(dense.count), id < Int64(4 * count + 65_536) { grow(covering: Int(id)) }
            if id >= 0 && id < Int64(dense.count) {
                count += (newValue != nil ? 1 : 0) - (dense[Int(id)] != nil ? 1 : 0)
                dense[Int(id)] = newValue
            } else {
                count += (newValue != nil ? 1 : 0) - (sparse[id] != nil ? 1 : 0)
                sparse[id] = newValue
            }
        }
    }

    /// Extends the array past `id` (doubling, so growth is amortised O(1)) and moves the
    /// dictionary's entries that now fall inside it.
    private mutating func grow(covering id: Int) {
        let size = Swift.min(Swift.max(id + 1, dense.count * 2), 4 * count + 65_536)
        dense.append(contentsOf: repeatElement(nil, count: size - dense.count))
        for (key, value) in sparse where key >= 0 && key < Int64(size) {
            dense[Int(key)] = value
            sparse[key] = nil
        }
    }
}
