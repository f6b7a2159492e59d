import Foundation
import Testing
import TestSupport
@testable import Store

private func withJSON<T>(_ text: String, _ body: (String) throws -> T) throws -> T {
    let folder = try makeTemporaryDirectory("vlpart-json")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("doc.json").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return try body(path)
}

/// Reads every member; arrays element by element, others as values.
private func readAll(_ path: String) throws -> [String: [JSONValue]] {
    let stream = try JSONStream(path: path)
    var out: [String: [JSONValue]] = [:]
    try stream.forEachMember { key in
        if key.hasPrefix("skip") { try stream.skipValue(); return }
        if key.hasPrefix("value") { out[key] = [try stream.readValue()]; return }
        var items: [JSONValue] = []
        try stream.forEachElement { _, v in items.append(v) }
        out[key] = items
    }
    return out
}

@Test func streamsElementsWithEscapesNumbersAndNesting() throws {
    let text = #"""
    { "skip1": {"a": [1, {"b": "x\"]}"}], "c": null},
      "items": [ {"s": "caf\u00e9 \ud83d\ude00 \n\t\\", "n": -12, "f": 1.5e3, "z": 0.25, "t": true, "nil": null},
                 [], {} ],
      "valueX": 42, "empty": [] }
    """#
    let all = try withJSON(text, readAll)
    let items = try #require(all["items"])
    #expect(items.count == 3)
    guard case let .string(s)? = items[0]["s"] else { Issue.record("no string"); return }
    #expect(s == "café 😀 \n\t\\")
    guard case let .number(n)? = items[0]["n"], case let .number(f)? = items[0]["f"], case let .number(z)? = items[0]["z"] else {
        Issue.record("no numbers"); return
    }
    #expect(n == -12 && f == 1500 && z == 0.25)
    #expect(all["empty"]?.isEmpty == true)
    guard case let .number(v)? = all["valueX"]?.first else { Issue.record("no value"); return }
    #expect(v == 42)
}

@Test(arguments: [
    (#"{"images": [{"id": 1}, {"id": 2"#, "images[1]", "unexpected end of file"),
    (#"{"images": [{"id": 1} {"id": 2}]}"#, "images[0]", "expected ',' or ']'"),
    (#"{"images": {"id": 1}}"#, "images", "expected array, found object"),
    (#"[1, 2]"#, "", "expected the document to be a JSON object"),
    (#"{"images": []} x"#, "", "unexpected 'x' after the document"),
    (#"{"images": [{"id": tru}]}"#, "images[0]", "invalid literal"),
    (#"{"images": [{"id": "a\qb"}]}"#, "images[0]", "invalid escape"),
    (#"{"images": [-]}"#, "images[0]", "invalid number"),
])
func syntaxErrorsNameTheElementAndByte(text: String, path: String, message: String) throws {
    do {
        _ = try withJSON(text, readAll)
        Issue.record("no error for \(text)")
    } catch let error as StoreError {
        guard case let .json(_, errorPath, errorMessage) = error else { Issue.record("wrong error \(error)"); return }
        #expect(errorPath == path, "\(error)")
        #expect(errorMessage.contains(message), "\(error)")
        #expect(!error.description.contains("\n"))
    }
}

@Test func fieldsReportTypedErrorsWithPaths() throws {
    let value = JSONValue.object([("id", .string("7")), ("bbox", .array([.number(1), .string("x"), .number(2), .number(3)]))])
    let fields = try JSONFields(value, path: .element("annotations", 1234), file: "f.json")
    #expect(throws: StoreError.json(file: "f.json", path: "annotations[1234].id", message: "expected integer, found string")) {
        try fields.int("id")
    }
    #expect(throws: StoreError.json(file: "f.json", path: "annotations[1234].bbox[1]", message: "expected number, found string")) {
        try fields.optionalNumbers("bbox", count: 4)
    }
    #expect(throws: StoreError.json(file: "f.json", path: "annotations[1234].image_id", message: "missing")) {
        try fields.int("image_id")
    }
}

/// FIPS 180-4 example vectors, through SHA-NI (where the CPU has it) and the portable rounds.
@Test(arguments: [true, false])
func sha256MatchesKnownVectors(useHardware: Bool) {
    var a = SHA256(useHardware: useHardware)
    a.update(Array("abc".utf8))
    #expect(a.finalizeHex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    var two = SHA256(useHardware: useHardware)
    two.update(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
    #expect(two.finalizeHex() == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    var b = SHA256(useHardware: useHardware)
    let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
    // Uneven chunks exercise the partial-block path.
    b.update(Array(million[0..<7])); b.update(Array(million[7..<70_001])); b.update(Array(million[70_001...]))
    #expect(b.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    var empty = SHA256(useHardware: useHardware)
    #expect(empty.finalizeHex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
}

/// The SHA-NI path and the portable rounds agree on pseudo-random data of every length
/// 0…300 bytes (every padding case) and on one 1 MiB buffer fed in odd chunks.
@Test func sha256HardwareAndPortableRoundsAgree() {
    var generator = SystemRandomNumberGenerator()
    var seed = UInt64.random(in: 1...UInt64.max, using: &generator)
    func next() -> UInt8 { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; return UInt8(truncatingIfNeeded: seed) }
    for length in 0...300 {
        let bytes = (0..<length).map { _ in next() }
        var hardware = SHA256(useHardware: true), portable = SHA256(useHardware: false)
        hardware.update(bytes); portable.update(bytes)
        #expect(hardware.finalizeHex() == portable.finalizeHex(), "length \(length)")
    }
    let big = (0..<(1 << 20)).map { _ in next() }
    var digests: [String] = []
    for (useHardware, chunked) in [(true, true), (true, false), (false, true), (false, false)] {
        var hasher = SHA256(useHardware: useHardware)
        var start = 0, step = chunked ? 1 : big.count
        while start < big.count {
            let end = min(big.count, start + step)
            hasher.update(Array(big[start..<end]))
            start = end; step = step * 3 + 1
        }
        digests.append(hasher.finalizeHex())
    }
    #expect(Set(digests).count == 1, "\(digests)")
}

@Test func imageHeadersGiveSizesWithoutDecoding() {
    #expect(ImageHeader.read(path: fixtureURL("store", "images/coco/a.png").path) == .size(width: 48, height: 40))
    #expect(ImageHeader.read(path: fixtureURL("store", "images/partimagenet/n02085620/n02085620_1.JPEG").path)
            == .size(width: 56, height: 44))
    #expect(ImageHeader.read(path: fixtureURL("store", "no-such.png").path) == .missing)
    if case .undecodable = ImageHeader.read(path: fixtureURL("store", "coco.json").path) {} else {
        Issue.record("a JSON file should not decode as an image")
    }
}
