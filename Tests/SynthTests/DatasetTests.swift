import Foundation
import Imaging
import Store
import Testing
import TestSupport
@testable import Synth

/// Writes a small dataset once per test into a fresh directory.
private func writeSmall(seed: UInt64 = 21, images: Int = 16, size: Int = 80, folder: Int = 2) throws -> (URL, SynthSummary) {
    let dir = try makeTemporaryDirectory("synth")
    let summary = try SynthDataset.write(to: dir.path, options: SynthOptions(seed: seed, images: images, size: size,
                                                                             folderImagesPerClass: folder))
    return (dir, summary)
}

private func read(_ dir: URL, _ name: String) throws -> COCODocument {
    try COCODocument.read(path: dir.appendingPathComponent(name).path)
}

@Test func documentsRespectTheSplitAndLinkPartsToObjects() throws {
    let (dir, summary) = try writeSmall()
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(summary.sourceImages == 12 && summary.targetImages == 4 && summary.folderImages == 8)
    let source = try read(dir, "source.json"), target = try read(dir, "target.json"), gt = try read(dir, "target_gt.json")
    let novelNames = Set(SynthCatalog.novel.map(\.name))

    // source.json: base categories only, objects and parts, no novel category or part anywhere.
    for c in source.categories {
        let object = c.name.split(separator: ":").first.map(String.init) ?? c.name
        #expect(!novelNames.contains(object), "source.json lists \(c.name)")
    }
    // target.json: novel objects only; target_gt.json adds their parts.
    #expect(target.categories.allSatisfy { novelNames.contains($0.name) })
    #expect(target.annotations.allSatisfy { $0.objAnnID == $0.id })
    #expect(gt.categories.allSatisfy { novelNames.contains(String($0.name.split(separator: ":")[0])) })
    #expect(gt.annotations.contains { $0.objAnnID != $0.id })
    #expect(Set(target.images.map(\.id)) == Set(gt.images.map(\.id)))
    #expect(Set(source.images.map(\.id)).isDisjoint(with: target.images.map(\.id)))

    for doc in [source, gt] {
        let categories = Dictionary(uniqueKeysWithValues: doc.categories.map { ($0.id, $0.name) })
        let byID = Dictionary(uniqueKeysWithValues: doc.annotations.map { ($0.id, $0) })
        #expect(doc.annotations.contains { $0.objAnnID != $0.id })
        for a in doc.annotations {
            let name = try #require(categories[a.categoryID])
            let parentID = try #require(a.objAnnID)
            let object = try #require(byID[parentID])
            if a.objAnnID == a.id {
                #expect(!name.contains(":"))
            } else {
                // A part: category `object:part`, on the same image, inside its object's mask.
                let objectName = try #require(categories[object.categoryID])
                #expect(name.hasPrefix(objectName + ":") && object.objAnnID == object.id && object.imageID == a.imageID)
                guard case let .rle(part) = a.segmentation, case let .rle(whole) = object.segmentation else {
                    Issue.record("annotation \(a.id) is not RLE"); continue
                }
                let p = part.decode(), o = whole.decode()
                #expect(zip(p.pixels, o.pixels).allSatisfy { $0 == 0 || $1 == 1 }, "part \(a.id) leaves object \(object.id)")
            }
            guard case let .rle(rle) = a.segmentation else { Issue.record("annotation \(a.id) is not RLE"); continue }
            #expect(a.area > 0 && a.area == Double(rle.area))
            #expect(a.bbox == rle.bbox)
            // The compressed string round-trips through decode and re-encode.
            let again = RLE(mask: rle.decode())
            #expect(again.compressed == rle.compressed)
        }
    }
}

@Test func masksMatchTheRenderedLabelMaps() throws {
    let options = SynthOptions(seed: 21, images: 16, size: 80, folderImagesPerClass: 2)
    let (dir, _) = try writeSmall()
    defer { try? FileManager.default.removeItem(at: dir) }
    let source = try read(dir, "source.json"), gt = try read(dir, "target_gt.json")
    for doc in [source, gt] {
        for image in doc.images {
            let scene = SynthDataset.scene(index: Int(image.id) - 1, options: options)
            let stored = try Image.read(path: dir.appendingPathComponent("images/\(image.fileName)").path)
            #expect(stored.pixels == scene.rgb && stored.width == 80 && stored.channels == 3)
            let objects = doc.annotations.filter { $0.imageID == image.id && $0.objAnnID == $0.id }
            #expect(objects.count == scene.objects.count)
            for (object, a) in zip(scene.objects, objects) {
                guard case let .rle(rle) = a.segmentation else { continue }
                #expect(rle.decode().pixels == scene.objectMask(object.label))
                for part in doc.annotations where part.objAnnID == a.id && part.id != a.id {
                    guard case let .rle(prle) = part.segmentation else { continue }
                    let index = Int(part.categoryID - SynthDocuments.partID(object.category, 0))
                    #expect(prle.decode().pixels == scene.partMask(object.label, part: index))
                }
            }
        }
    }
}

@Test func sameSeedWritesIdenticalFilesOtherSeedDoesNot() throws {
    let (a, _) = try writeSmall(images: 6, size: 64, folder: 1)
    let (b, _) = try writeSmall(images: 6, size: 64, folder: 1)
    let (c, _) = try writeSmall(seed: 22, images: 6, size: 64, folder: 1)
    defer { for d in [a, b, c] { try? FileManager.default.removeItem(at: d) } }
    for name in ["source.json", "target.json", "target_gt.json", "folder_gt.json", "split.json", "images/000001.png",
                 "folder/dog/dog_0001.png"] {
        let x = FileManager.default.contents(atPath: a.appendingPathComponent(name).path)
        let y = FileManager.default.contents(atPath: b.appendingPathComponent(name).path)
        #expect(x != nil && x == y, "\(name) differs between runs with the same seed")
    }
    let x = FileManager.default.contents(atPath: a.appendingPathComponent("images/000001.png").path)
    let z = FileManager.default.contents(atPath: c.appendingPathComponent("images/000001.png").path)
    #expect(x != z)
}

@Test func classFolderVariantHoldsNovelImages() throws {
    let (dir, _) = try writeSmall(images: 4, size: 64, folder: 3)
    defer { try? FileManager.default.removeItem(at: dir) }
    for c in SynthCatalog.novel {
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("folder/\(c.name)").path)
        #expect(files.filter { $0.hasSuffix(".png") }.count == 3)
    }
    let folder = try read(dir, "folder_gt.json")
    #expect(folder.images.count == 3 * SynthCatalog.novel.count)
    for image in folder.images {
        let objects = folder.annotations.filter { $0.imageID == image.id && $0.objAnnID == $0.id }
        let label = String(image.fileName.split(separator: "/")[0])
        #expect(objects.count == 1)
        #expect(folder.categories.first { $0.id == objects.first?.categoryID }?.name == label)
    }
}

@Test func badOptionsThrowOneLineErrors() throws {
    let dir = try makeTemporaryDirectory("synth")
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(throws: SynthError.self) { try SynthDataset.write(to: dir.path, options: SynthOptions(images: 0)) }
    do {
        _ = try SynthDataset.write(to: dir.path, options: SynthOptions(images: 1, size: 8))
        Issue.record("size 8 accepted")
    } catch {
        #expect("\(error)".contains("--size") && !"\(error)".contains("\n"))
    }
}
