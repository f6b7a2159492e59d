import Foundation
import Features
import Tensor

/// How object features are computed: the same settings give the same cache entries.
public struct FeatureSettings: Codable, Sendable, Hashable {
    /// Side of the square the object's box is resized to, pixels.
    public var size: Int = 224
    /// Patch-embedding stride override (VLPart: 4 for ViT-S/8); `nil` keeps the patch size.
    public var stride: Int?
    /// Block the descriptors, CLS token and saliency come from (0-based); `nil` is the last.
    public var layer: Int?
    /// Descriptor facet (VLPart: key).
    public var facet: Facet = .key
    /// Heads averaged for saliency; empty means all heads.
    public var saliencyHeads: [Int] = []
    /// Arithmetic of the ViT's matrix products (bf16 features are cached apart from fp32 ones).
    public var precision: Precision = .fp32

    public init(size: Int = 224, stride: Int? = nil, layer: Int? = nil, facet: Facet = .key, saliencyHeads: [Int] = [],
                precision: Precision = .fp32) {
        self.size = size
        self.stride = stride
        self.layer = layer
        self.facet = facet
        self.saliencyHeads = saliencyHeads
        self.precision = precision
    }

    /// Settings written before `precision` existed decode as fp32.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        size = try c.decode(Int.self, forKey: .size)
        stride = try c.decodeIfPresent(Int.self, forKey: .stride)
        layer = try c.decodeIfPresent(Int.self, forKey: .layer)
        facet = try c.decode(Facet.self, forKey: .facet)
        saliencyHeads = try c.decode([Int].self, forKey: .saliencyHeads)
        precision = try c.decodeIfPresent(Precision.self, forKey: .precision) ?? .fp32
    }

    /// A short stable key naming these settings in cache paths, e.g. `s224-st4-l11-key-h0.2.4.5`.
    public var key: String {
        "s\(size)-st\(stride.map(String.init) ?? "p")-l\(layer.map(String.init) ?? "last")-\(facet.rawValue)-h"
            + (saliencyHeads.isEmpty ? "all" : saliencyHeads.map(String.init).joined(separator: "."))
            + precision.cacheKeySuffix
    }
}

/// Descriptors, saliency and CLS token of one object crop.
public struct ObjectFeatures: Sendable, Equatable {
    public let annotationID: Int64
    public let gridH: Int
    public let gridW: Int
    /// `[gridH · gridW, dim]` row-major, L2-normalised rows (stored as float16).
    public let descriptors: [Float]
    /// `[gridH · gridW]` in `[0, 1]`.
    public let saliency: [Float]
    /// CLS token of the chosen block, before the final norm.
    public let cls: [Float]

    public var dim: Int { descriptors.count / max(1, gridH * gridW) }

    public init(annotationID: Int64, gridH: Int, gridW: Int, descriptors: [Float], saliency: [Float], cls: [Float]) {
        self.annotationID = annotationID
        self.gridH = gridH
        self.gridW = gridW
        self.descriptors = descriptors
        self.saliency = saliency
        self.cls = cls
    }
}

extension ObjectFeatures {
    static let magic: [UInt8] = Array("VLPF".utf8)
    static let version: UInt32 = 1

    /// The sidecar encoding: `VLPF`, version, annotation id, gridH, gridW, dim, cls length (LE),
    /// then descriptors and saliency as float16 and the CLS token as float32.
    /// Float16 halves the cache; descriptors are unit vectors, so its 1e-3 relative precision
    /// changes cosine similarities by under 1e-3.
    func encoded() -> Data {
        var data = Data(Self.magic)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        u32(Self.version)
        withUnsafeBytes(of: annotationID.littleEndian) { data.append(contentsOf: $0) }
        u32(UInt32(gridH)); u32(UInt32(gridW)); u32(UInt32(dim)); u32(UInt32(cls.count))
        for v in descriptors + saliency { withUnsafeBytes(of: Float16(v).bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        for v in cls { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// Decodes a sidecar entry; `nil` for a truncated or foreign file (it is then recomputed).
    init?(encoded data: Data) {
        let bytes = [UInt8](data)
        guard bytes.count >= 32, Array(bytes[0..<4]) == Self.magic else { return nil }
        func u32(_ at: Int) -> Int { Int(UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24) }
        guard u32(4) == Int(Self.version) else { return nil }
        var id: UInt64 = 0
        for i in 0..<8 { id |= UInt64(bytes[8 + i]) << (8 * UInt64(i)) }
        let gridH = u32(16), gridW = u32(20), dim = u32(24), clsCount = u32(28)
        let patches = gridH * gridW
        let expected = 32 + (patches * dim + patches) * 2 + clsCount * 4
        guard patches > 0, dim > 0, bytes.count == expected else { return nil }
        var offset = 32
        func halfs(_ n: Int) -> [Float] {
            defer { offset += n * 2 }
            return (0..<n).map { i in
                Float(Float16(bitPattern: UInt16(bytes[offset + 2 * i]) | UInt16(bytes[offset + 2 * i + 1]) << 8))
            }
        }
        let descriptors = halfs(patches * dim), saliency = halfs(patches)
        let cls = (0..<clsCount).map { i in Float(bitPattern: UInt32(u32(offset + 4 * i))) }
        self.init(annotationID: Int64(bitPattern: id), gridH: gridH, gridW: gridW, descriptors: descriptors,
                  saliency: saliency, cls: cls)
    }
}
