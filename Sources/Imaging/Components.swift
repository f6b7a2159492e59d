/// Pixel adjacency for connected components.
public enum Connectivity: Int, Sendable, CaseIterable {
    /// Edge neighbours only (up, down, left, right).
    case four = 4
    /// Edge and corner neighbours.
    case eight = 8
}

/// The connected components of a mask's foreground.
///
/// Labels are numbered `1...count` in raster order of each component's first pixel (top row
/// first, then left to right), the order `scipy.ndimage.label` and `skimage.measure.label` use;
/// `0` is background.
public struct ConnectedComponents: Sendable, Equatable {
    /// Mask width in pixels.
    public let width: Int
    /// Mask height in pixels.
    public let height: Int
    /// `width·height` labels, row-major; `0` is background, `1...count` a component.
    public let labels: [Int32]
    /// Pixel count of each component: `sizes[k - 1]` is the size of label `k`.
    public let sizes: [Int]

    /// Number of components.
    public var count: Int { sizes.count }

    /// Labels the foreground of `mask`. O(width·height) time and memory.
    public init(_ mask: Mask, connectivity: Connectivity = .eight) {
        width = mask.width
        height = mask.height
        var labels = [Int32](repeating: 0, count: mask.pixels.count)
        var sizes: [Int] = []
        var stack: [Int] = []
        let w = mask.width, h = mask.height
        let diagonal = connectivity == .eight
        for start in 0..<mask.pixels.count where mask.pixels[start] != 0 && labels[start] == 0 {
            let label = Int32(sizes.count + 1)
            labels[start] = label
            stack.append(start)
            var size = 0
            // Depth-first flood fill with an explicit stack: no recursion depth limit.
            while let p = stack.popLast() {
                size += 1
                let x = p % w, y = p / w
                for dy in -1...1 {
                    let ny = y + dy
                    guard ny >= 0, ny < h else { continue }
                    for dx in -1...1 where dx != 0 || dy != 0 {
                        if !diagonal && dx != 0 && dy != 0 { continue }
                        let nx = x + dx
                        guard nx >= 0, nx < w else { continue }
                        let q = ny * w + nx
                        if mask.pixels[q] != 0 && labels[q] == 0 {
                            labels[q] = label
                            stack.append(q)
                        }
                    }
                }
            }
            sizes.append(size)
        }
        self.labels = labels
        self.sizes = sizes
    }

    /// The mask of component `label` (`1...count`).
    ///
    /// - Precondition: `label` is in `1...count`.
    public func mask(of label: Int) -> Mask {
        precondition(label >= 1 && label <= count, "ConnectedComponents: no label \(label) of \(count)")
        let target = Int32(label)
        return Mask(width: width, height: height, pixels: labels.map { $0 == target ? 1 : 0 })
    }

    /// The label of the largest component (lowest label on ties); `nil` when there is none.
    public var largestLabel: Int? {
        guard let best = sizes.indices.max(by: { sizes[$0] < sizes[$1] || (sizes[$0] == sizes[$1] && $0 > $1) })
        else { return nil }
        return best + 1
    }
}

extension Mask {
    /// The connected components of the foreground; see ``ConnectedComponents``.
    public func components(connectivity: Connectivity = .eight) -> ConnectedComponents {
        ConnectedComponents(self, connectivity: connectivity)
    }

    /// Only the largest connected component (lowest label on ties); empty for an empty mask.
    public func largestComponent(connectivity: Connectivity = .eight) -> Mask {
        let cc = components(connectivity: connectivity)
        guard let label = cc.largestLabel else { return Mask(width: width, height: height) }
        return cc.mask(of: label)
    }

    /// The mask without components smaller than `minimumPixels`.
    public func removingComponents(smallerThan minimumPixels: Int,
                                   connectivity: Connectivity = .eight) -> Mask {
        let cc = components(connectivity: connectivity)
        var out = Mask(width: width, height: height)
        for i in 0..<pixels.count {
            let label = Int(cc.labels[i])
            if label > 0 && cc.sizes[label - 1] >= minimumPixels { out.pixels[i] = 1 }
        }
        return out
    }
}
