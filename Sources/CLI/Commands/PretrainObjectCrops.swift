import Features
import Foundation
import Imaging
import Parsing
import Store

/// The training images of `vlpart pretrain --objects`: each object's tight box cut from its image,
/// exactly the box `features cache` describes (``FeatureCacheBuilder/cropBox(_:width:height:)``).
enum ObjectCrops {
    /// - Throws: `PretrainError.noImages` when there are no objects; `ImageError` naming a file
    ///   that cannot be read.
    static func load(_ objects: [ObjectReference]) throws -> [Image] {
        guard !objects.isEmpty else { throw PretrainError.noImages(directory: "the store's objects") }
        var crops: [Image] = []
        crops.reserveCapacity(objects.count)
        // Objects come in id order, so the objects of one image are mostly neighbours: keep one image open.
        var open: (path: String, image: Image)? = nil
        for object in objects {
            if open?.path != object.imagePath {
                open = (object.imagePath, try Image.read(path: object.imagePath).converted(toChannels: 3))
            }
            let image = open!.image
            let box = FeatureCacheBuilder.cropBox(object.annotation.bbox, width: image.width, height: image.height)
            crops.append(image.cropped(x: box.x, y: box.y, width: box.width, height: box.height))
        }
        return crops
    }
}
