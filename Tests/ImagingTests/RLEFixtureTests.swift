import Foundation
import Imaging
import Testing
import TestSupport

// Golden files from tools/make_mask_fixtures.py (pycocotools 2.0.11). Tolerance: exact —
// strings, counts, areas and boxes must be identical.

private struct MaskCase: Decodable {
    let name: String, width: Int, height: Int, bits: String, counts: String
    let uncompressed: [Int], area: Int, bbox: [Double]
    var mask: Mask { Mask(width: width, height: height, pixels: bits.utf8.map { $0 == 49 ? 1 : 0 }) }
}

private struct PolygonCase: Decodable {
    let name: String, width: Int, height: Int, polygons: [[Double]], counts: String, area: Int
    let bbox: [Double]
    let per_polygon: [String]
}

private struct BoxCase: Decodable {
    let name: String, width: Int, height: Int, box: [Double], counts: String, area: Int
}

private struct MergeCase: Decodable {
    let name: String, width: Int, height: Int, inputs: [String], union: String, intersection: String
    let union_area: Int, intersection_area: Int, iou: Double
}

private struct Manifest: Decodable { let generator_version: Int }

private func load<T: Decodable>(_ name: String) throws -> T {
    let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: fixtureURL("masks", "manifest.json")))
    #expect(manifest.generator_version == 1, "stale fixtures: rerun tools/make_mask_fixtures.py")
    return try JSONDecoder().decode(T.self, from: Data(contentsOf: fixtureURL("masks", name)))
}

@Test func encodeMatchesPycocotools() throws {
    let cases: [MaskCase] = try load("masks.json")
    #expect(cases.count > 20)
    for c in cases {
        let rle = RLE(mask: c.mask)
        #expect(rle.counts.map(Int.init) == c.uncompressed, "\(c.name): counts")
        #expect(rle.compressed == c.counts, "\(c.name): compressed string")
        #expect(rle.area == c.area, "\(c.name): area")
        #expect(rle.bbox == c.bbox, "\(c.name): bbox")
        #expect(c.mask.area == c.area, "\(c.name): mask area")
    }
}

@Test func decodeMatchesPycocotools() throws {
    let cases: [MaskCase] = try load("masks.json")
    for c in cases {
        let fromString = try RLE(compressed: c.counts, width: c.width, height: c.height, source: c.name)
        #expect(fromString.decode() == c.mask, "\(c.name): decode of compressed string")
        let fromCounts = try RLE(uncompressedCounts: c.uncompressed, width: c.width, height: c.height)
        #expect(fromCounts == fromString, "\(c.name): uncompressed counts")
        if let box = c.mask.boundingBox {
            #expect([box.x, box.y, box.width, box.height].map(Double.init) == c.bbox, "\(c.name): pixel box")
        } else {
            #expect(c.area == 0)
        }
    }
}

@Test func polygonsRasteriseLikePycocotools() throws {
    let cases: [PolygonCase] = try load("polygons.json")
    #expect(cases.count > 30)
    for c in cases {
        try RLE.validatePolygons(c.polygons, width: c.width, height: c.height, source: c.name)
        for (i, polygon) in c.polygons.enumerated() {
            let single = RLE.fromPolygon(polygon, width: c.width, height: c.height)
            #expect(single.compressed == c.per_polygon[i], "\(c.name): polygon \(i)")
        }
        let rle = RLE.fromPolygons(c.polygons, width: c.width, height: c.height)
        #expect(rle.compressed == c.counts, "\(c.name): merged polygons")
        #expect(rle.area == c.area, "\(c.name): area")
        #expect(rle.bbox == c.bbox, "\(c.name): bbox")
    }
}

@Test func boxesRasteriseLikePycocotools() throws {
    let cases: [BoxCase] = try load("boxes.json")
    for c in cases {
        let rle = RLE.fromBox(c.box, width: c.width, height: c.height)
        #expect(rle.compressed == c.counts, "\(c.name): box")
        #expect(rle.area == c.area, "\(c.name): area")
    }
}

@Test func mergesMatchPycocotools() throws {
    let cases: [MergeCase] = try load("merges.json")
    for c in cases {
        let rles = try c.inputs.map { try RLE(compressed: $0, width: c.width, height: c.height) }
        let union = RLE.merge(rles), intersection = RLE.merge(rles, intersect: true)
        #expect(union.compressed == c.union, "\(c.name): union")
        #expect(intersection.compressed == c.intersection, "\(c.name): intersection")
        #expect(union.area == c.union_area && intersection.area == c.intersection_area, "\(c.name): areas")
        // Mask-level set operations agree with run-level merges.
        let masks = rles.map { $0.decode() }
        #expect(masks.dropFirst().reduce(masks[0]) { $0.union($1) } == union.decode(), "\(c.name): mask union")
        #expect(masks.dropFirst().reduce(masks[0]) { $0.intersection($1) } == intersection.decode(),
                "\(c.name): mask intersection")
        expectClose([Float(RLE.iou(rles[0], rles[1]))], [Float(c.iou)], atol: 1e-12, rtol: 0, label: "\(c.name): iou")
        expectClose([Float(masks[0].iou(masks[1]))], [Float(c.iou)], atol: 1e-12, rtol: 0, label: "\(c.name): mask iou")
    }
}
