import Foundation
import Imaging
import Testing
import TestSupport
@testable import Store

/// A store in a fresh temporary folder; the caller removes `folder`.
func makeTemporaryStore() throws -> (store: Store, folder: URL) {
    let folder = try makeTemporaryDirectory("vlpart-store")
    return (try Store(path: folder.appendingPathComponent("test.sqlite").path, create: true), folder)
}

/// The fixture images folder.
var fixtureImages: String { fixtureURL("store", "images").path }

/// `expected.json` written by tools/make_store_fixtures.py with pycocotools.
struct ExpectedMask: Decodable {
    var sha256: String
    var area: Int
    var bbox: [Double]
    var counts: String
    var statedArea: Double?
    enum CodingKeys: String, CodingKey { case sha256, area, bbox, counts, statedArea = "stated_area" }
}

struct ExpectedDerived: Decodable {
    var imageID: Int64
    var object: String
    var sha256: String
    var area: Int
    var bbox: [Double]
    var counts: String
    enum CodingKeys: String, CodingKey { case imageID = "image_id", object, sha256, area, bbox, counts }
}

struct ExpectedFile: Decodable {
    var annotations: [String: ExpectedMask]
    var derivedObjects: [ExpectedDerived]?
    enum CodingKeys: String, CodingKey { case annotations, derivedObjects = "derived_objects" }
}

struct ExpectedFixtures: Decodable {
    var generatorVersion: Int
    var files: [String: ExpectedFile]
    enum CodingKeys: String, CodingKey { case generatorVersion = "generator_version", files }

    static func load() throws -> ExpectedFixtures {
        let data = try Data(contentsOf: fixtureURL("store", "expected.json"))
        let expected = try JSONDecoder().decode(ExpectedFixtures.self, from: data)
        #expect(expected.generatorVersion == 1, "stale fixtures: rerun tools/make_store_fixtures.py")
        return expected
    }
}

/// SHA-256 of a mask's row-major bytes, as the fixture script hashes pycocotools' decode.
func maskDigest(_ mask: Mask) -> String {
    var hasher = SHA256()
    hasher.update(mask.pixels)
    return hasher.finalizeHex()
}

/// The bytes of a file, for byte-identity checks.
func fileBytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }
