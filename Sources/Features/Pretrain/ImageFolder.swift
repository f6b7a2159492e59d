import Foundation
import Imaging

/// The training images of `vlpart pretrain --images DIR`: every `.png`, `.jpg` or `.jpeg` under
/// the directory (recursively, sorted by path so a seed means the same run everywhere), as RGB.
public enum ImageFolder {
    /// - Throws: `PretrainError.noImages` when none are found; `ImageError` (naming the file)
    ///   when one cannot be decoded.
    public static func load(directory: String) throws -> [Image] {
        let root = URL(fileURLWithPath: directory)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue,
              let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            throw PretrainError.noImages(directory: directory)
        }
        var paths: [String] = []
        for case let url as URL in walker where ["png", "jpg", "jpeg"].contains(url.pathExtension.lowercased()) {
            paths.append(url.path)
        }
        guard !paths.isEmpty else { throw PretrainError.noImages(directory: directory) }
        return try paths.sorted().map { try Image.read(path: $0).converted(toChannels: 3) }
    }

    /// The images at `paths`, in the given order, as RGB (e.g. a store dataset's images).
    /// - Parameter name: what the images are called in the error when `paths` is empty.
    /// - Throws: `PretrainError.noImages` when `paths` is empty; `ImageError` naming a bad file.
    public static func load(paths: [String], name: String) throws -> [Image] {
        guard !paths.isEmpty else { throw PretrainError.noImages(directory: name) }
        return try paths.map { try Image.read(path: $0).converted(toChannels: 3) }
    }
}
