import Foundation
import TestSupport

/// `Tests/Fixtures/imaging/manifest.json`, written by `tools/make_imaging_fixtures.py`.
struct ImagingManifest: Decodable {
    struct DecodeCase: Decodable {
        var file: String, expected: String, note: String
        var width: Int, height: Int, channels: Int, tolerance: Int
    }
    struct Planes: Decodable { var file: String; var channels: Int; var height: Int; var width: Int }
    struct ResizeCase: Decodable {
        var file: String, mode: String, antialias: Bool, height: Int, width: Int
        var scaleFactor: [Double]?
    }
    struct Resize: Decodable {
        var input: Planes, cases: [ResizeCase], u8Input: Planes, u8Cases: [ResizeCase]
    }
    var generatorVersion: Int
    var decode: [DecodeCase]
    var resize: Resize

    /// The generator version these tests were written against.
    static let expectedVersion = 1

    static func load() throws -> ImagingManifest {
        let data = try Data(contentsOf: fixtureURL("imaging", "manifest.json"))
        let manifest = try JSONDecoder().decode(ImagingManifest.self, from: data)
        guard manifest.generatorVersion == expectedVersion else {
            throw FixtureError.stale("imaging fixtures are version \(manifest.generatorVersion), tests expect \(expectedVersion): rerun tools/make_imaging_fixtures.py")
        }
        return manifest
    }
}

enum FixtureError: Error, CustomStringConvertible {
    case stale(String)
    var description: String { switch self { case let .stale(message): message } }
}

func fixtureBytes(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: fixtureURL("imaging", name)))
}

/// Little-endian float32 values from a fixture.
func fixtureFloats(_ name: String) throws -> [Float] {
    let bytes = try fixtureBytes(name)
    return stride(from: 0, to: bytes.count - 3, by: 4).map { i in
        Float(bitPattern: UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
    }
}
