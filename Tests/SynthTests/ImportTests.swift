import Foundation
import Store
import Testing
import TestSupport
@testable import Synth

/// The written dataset imports into a store strictly (any finding fails the import): the
/// PACO documents as source and target, and the class folders as a target collection.
@Test func writtenDatasetImportsCleanly() throws {
    let dir = try makeTemporaryDirectory("synth-import")
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("set").path
    _ = try SynthDataset.write(to: out, options: SynthOptions(seed: 8, images: 12, size: 64, folderImagesPerClass: 2))
    let store = try Store(path: dir.appendingPathComponent("s.sqlite").path, create: true)
    let source = try COCODocument.read(path: "\(out)/source.json")
    let gt = try COCODocument.read(path: "\(out)/target_gt.json")

    let s = try store.importDataset(ImportOptions(format: .paco, file: "\(out)/source.json", imagesRoot: "\(out)/images",
                                                  dataset: "synth-source", role: .source, strict: true))
    #expect(s.issueCount == 0, "\(s.issueSummary)")
    #expect(s.images == source.images.count)
    #expect(s.objects + s.parts == source.annotations.count)
    #expect(s.parts == source.annotations.filter { $0.objAnnID != $0.id }.count)

    let t = try store.importDataset(ImportOptions(format: .paco, file: "\(out)/target.json", imagesRoot: "\(out)/images",
                                                  dataset: "synth-target", role: .target, strict: true))
    #expect(t.issueCount == 0 && t.parts == 0 && t.objects == gt.annotations.filter { $0.objAnnID == $0.id }.count)

    let f = try store.importDataset(ImportOptions(format: .folder, file: "\(out)/folder", imagesRoot: "\(out)/folder",
                                                  dataset: "synth-folder", role: .target, strict: true))
    #expect(f.issueCount == 0 && f.images == 2 * SynthCatalog.novel.count && f.imageLabels == f.images)
}
