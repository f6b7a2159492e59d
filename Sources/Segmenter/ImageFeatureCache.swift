import Foundation
import Imaging
import Store

/// Whole-image backbone features kept on disk, so that a second training run (or evaluation)
/// never runs the ViT again for an image it has seen.
///
/// Entries live at `<directory>/<model sha prefix>-<settings key>/<image sha256 prefix>.vlsf`:
/// keyed by the checkpoint's hash, the feature settings and the image file's content hash, so
/// a changed image, model or setting is a miss, never a stale hit. Values are float16 (the
/// descriptors have norm √dim, so the relative error of 1e-3 is far below the head's noise).
public final class ImageFeatureCache: Sendable {
    public let directory: URL
    static let magic: [UInt8] = Array("VLSF".utf8)
    static let version: UInt32 = 1

    /// - Parameters:
    ///   - root: the cache's root folder (e.g. `<store>.segfeatures`).
    public init(root: URL, backbone: Backbone) {
        directory = root.appendingPathComponent("\(backbone.sha256.prefix(12))-\(backbone.settings.key)")
    }

    /// The root beside a store file: `<store>.segfeatures`.
    public static func root(besideStore path: String) -> URL {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        return url.deletingLastPathComponent().appendingPathComponent(url.lastPathComponent + ".segfeatures")
    }

    func url(_ imageHash: String) -> URL { directory.appendingPathComponent("\(imageHash.prefix(32)).vlsf") }

    /// The cached grid, or `nil` when absent or unreadable (then it is recomputed).
    public func load(imageHash: String) -> ImageFeatureGrid? {
        guard let data = try? Data(contentsOf: url(imageHash)) else { return nil }
        return Self.decode(data)
    }

    /// Writes one entry atomically (temporary file, then rename).
    /// - Throws: `SegmenterError.badInput` naming the path when the folder or file cannot be written.
    public func save(_ grid: ImageFeatureGrid, imageHash: String) throws {
        let target = url(imageHash)
        let temporary = directory.appendingPathComponent(".\(imageHash.prefix(32)).\(getpid()).tmp")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Self.encode(grid).write(to: temporary)
        } catch {
            throw SegmenterError.badInput("\(target.path): cannot write feature cache: \(error)")
        }
        guard rename(temporary.path, target.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw SegmenterError.badInput("\(target.path): cannot write feature cache: \(String(cString: strerror(errno)))")
        }
    }

    /// Features of the image file at `path`: from the cache, else computed and stored.
    /// - Returns: the grid and whether it came from the cache.
    /// - Throws: `SegmenterError.badInput` for an unreadable image; extractor and write errors.
    public func features(imagePath path: String, backbone: Backbone) throws -> (grid: ImageFeatureGrid, cached: Bool) {
        let hash: String
        do { hash = try SHA256.hexDigest(ofFile: path) } catch {
            throw SegmenterError.badInput(fileErrorMessage(error, path: path))
        }
        if let grid = load(imageHash: hash) { return (grid, true) }
        let image: Image
        do { image = try Image.read(path: path) } catch {
            throw SegmenterError.badInput(fileErrorMessage(error, path: path))
        }
        let grid = try backbone.features(of: image, name: path)
        try save(grid, imageHash: hash)
        return (grid, false)
    }

    /// `VLSF`, version, gridH, gridW, dim (UInt32 LE), then the values as float16 LE.
    static func encode(_ g: ImageFeatureGrid) -> Data {
        var bytes = [UInt8]()
        bytes.reserveCapacity(20 + 2 * g.features.count)
        bytes += magic
        for v in [version, UInt32(g.gridH), UInt32(g.gridW), UInt32(g.dim)] {
            withUnsafeBytes(of: v.littleEndian) { bytes += $0 }
        }
        for v in g.features {
            let b = Float16(v).bitPattern
            bytes.append(UInt8(b & 0xFF))
            bytes.append(UInt8(b >> 8))
        }
        return Data(bytes)
    }

    /// Decodes an entry; `nil` for a truncated or foreign file.
    static func decode(_ data: Data) -> ImageFeatureGrid? {
        let bytes = [UInt8](data)
        guard bytes.count >= 20, Array(bytes[0..<4]) == magic else { return nil }
        func u32(_ at: Int) -> Int {
            Int(UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24)
        }
        guard u32(4) == Int(version) else { return nil }
        let gridH = u32(8), gridW = u32(12), dim = u32(16)
        let count = gridH * gridW * dim
        guard count > 0, bytes.count == 20 + 2 * count else { return nil }
        let values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            for i in 0..<count {
                out[i] = Float(Float16(bitPattern: UInt16(bytes[20 + 2 * i]) | UInt16(bytes[21 + 2 * i]) << 8))
            }
            initialized = count
        }
        return ImageFeatureGrid(gridH: gridH, gridW: gridW, dim: dim, features: values)
    }
}
