import Foundation
import Imaging
import Store
import Testing
import TestSupport
@testable import Synth

/// `tools/make_synth_fixtures.py` decoded a small dataset with pycocotools; the same options in
/// Swift must give annotations whose masks pycocotools reads identically (exact: area, toBbox and
/// a checksum of the decoded pixels).
@Test func pycocotoolsDecodesOurMasksExactly() throws {
    struct Row: Decodable { var id: Int64; var area: Int; var bbox: [Double]; var checksum: Int; var pixels: Int }
    struct Options: Decodable { var seed: UInt64; var images: Int; var size: Int; var folder_images: Int }
    struct Fixture: Decodable { var generator_version: String; var options: Options; var documents: [String: [Row]] }
    let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: fixtureURL("synth", "pycocotools_decode.json")))
    try #require(fixture.generator_version == SynthManifest.generatorVersion,
                 "stale fixture: rerun tools/make_synth_fixtures.py (generator \(SynthManifest.generatorVersion))")
    let o = fixture.options
    let dir = try makeTemporaryDirectory("synth-fixture")
    defer { try? FileManager.default.removeItem(at: dir) }
    _ = try SynthDataset.write(to: dir.path, options: SynthOptions(seed: o.seed, images: o.images, size: o.size,
                                                                   folderImagesPerClass: o.folder_images))
    for (name, rows) in fixture.documents {
        let doc = try COCODocument.read(path: dir.appendingPathComponent(name).path)
        #expect(doc.annotations.count == rows.count, "\(name)")
        for (a, row) in zip(doc.annotations, rows) {
            guard case let .rle(rle) = a.segmentation else { Issue.record("\(name) \(a.id) not RLE"); continue }
            let mask = rle.decode()
            var checksum = 0, pixels = 0
            for (i, v) in mask.pixels.enumerated() where v != 0 { checksum += i + 1; pixels += 1 }
            #expect(a.id == row.id && rle.area == row.area && rle.bbox == row.bbox, "\(name) annotation \(a.id)")
            #expect(checksum == row.checksum && pixels == row.pixels, "\(name) annotation \(a.id) decodes differently")
        }
    }
}
