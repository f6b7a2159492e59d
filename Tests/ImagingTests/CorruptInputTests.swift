import Foundation
import Testing
import TestSupport
@testable import Imaging

/// Damaged input must come back as a thrown `ImageError` with a one-line message naming the
/// file; running these to completion proves that none of it crashes or exits the process.

private func expectDecodeError(_ data: [UInt8], name: String = "bad.img", _ context: String,
                               sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        let image = try Image.decode(data, name: name)
        Issue.record("\(context): decoded \(image.width)x\(image.height) instead of throwing", sourceLocation: sourceLocation)
    } catch let error as ImageError {
        let text = error.description
        #expect(text.hasPrefix(name + ": ") && !text.contains("\n") && text.count > name.count + 8,
                "\(context): message \(text)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("\(context): unexpected error type \(error)", sourceLocation: sourceLocation)
    }
}

/// CRC-32 as PNG computes it, to forge chunks that pass libpng's checksum test.
private func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
    }
    return ~crc
}

/// `png` with IHDR's width and height replaced and the chunk CRC recomputed.
private func withDeclaredSize(_ png: [UInt8], width: UInt32, height: UInt32) -> [UInt8] {
    var bytes = png
    // Signature (8) + length (4) + "IHDR" (4) → width at 16, height at 20, CRC at 29.
    for (i, value) in [width, height].enumerated() {
        for k in 0..<4 { bytes[16 + 4 * i + k] = UInt8(truncatingIfNeeded: value >> (24 - 8 * k)) }
    }
    let crc = crc32(bytes[12..<29])
    for k in 0..<4 { bytes[29 + k] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * k)) }
    return bytes
}

@Test(arguments: ["baseline.jpg", "progressive.jpg", "cmyk.jpg", "gray.jpg", "interlaced.png", "palette.png", "rgb16.png", "graya.png"])
func truncationAtEveryCutPointThrows(file: String) throws {
    let bytes = try fixtureBytes(file)
    // Every byte of the headers, then a stride through the body, then the last 16 bytes.
    let cuts = Array(0..<min(300, bytes.count)) + Array(stride(from: 300, to: bytes.count, by: 97))
        + Array(max(0, bytes.count - 16)..<bytes.count)
    for cut in cuts {
        expectDecodeError(Array(bytes[0..<cut]), name: file, "\(file) cut at \(cut)/\(bytes.count)")
    }
}

@Test func zeroLengthAndRandomBytesThrow() {
    expectDecodeError([], "empty")
    #expect(throws: ImageError.empty(name: "e.png")) { try Image.decode([], name: "e.png") }
    var rng = SplitMix64(seed: 42)
    for length in [1, 2, 3, 7, 8, 64, 4096] {
        expectDecodeError((0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }, "random \(length)")
        // Random bodies behind valid signatures reach the codec libraries themselves.
        let body = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
        expectDecodeError([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + body, "PNG signature + random \(length)")
        expectDecodeError([0xFF, 0xD8, 0xFF] + body, "JPEG SOI + random \(length)")
    }
}

@Test func flippedBytesInsideValidFilesNeverCrash() throws {
    var rng = SplitMix64(seed: 7)
    for file in ["baseline.jpg", "progressive.jpg", "interlaced.png", "palette.png"] {
        let original = try fixtureBytes(file)
        for _ in 0..<60 {
            var bytes = original
            for _ in 0..<4 { bytes[Int.random(in: 2..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            // JPEG entropy damage may still decode; the requirement is a clean outcome either way.
            do { _ = try Image.decode(bytes, name: file) } catch let error as ImageError {
                #expect(!error.description.contains("\n"))
            }
        }
    }
}

@Test func pngWithLyingHeaderThrows() throws {
    let png = try fixtureBytes("palette.png")   // 128x85
    // Larger than the data: libpng runs out of IDAT. Smaller: the image data is too long,
    // which libpng reports on read_end only as a benign warning, so it may decode.
    expectDecodeError(withDeclaredSize(png, width: 128, height: 200), name: "liar.png", "taller IHDR")
    expectDecodeError(withDeclaredSize(png, width: 400, height: 85), name: "liar.png", "wider IHDR")
    expectDecodeError(withDeclaredSize(png, width: 0, height: 85), name: "liar.png", "zero width")
    // Without fixing the CRC, the header itself is rejected.
    var badCRC = png
    badCRC[17] ^= 1
    expectDecodeError(badCRC, name: "crc.png", "IHDR CRC mismatch")
}

@Test func hugeDeclaredDimensionsThrowBeforeAllocating() throws {
    let png = try fixtureBytes("palette.png")
    for (w, h) in [(100_000, 100_000), (1 << 30, 2), (16_385, 16_385), (0x7FFF_FFFF, 0x7FFF_FFFF)] {
        do {
            _ = try Image.decode(withDeclaredSize(png, width: UInt32(w), height: UInt32(h)), name: "huge.png")
            Issue.record("\(w)x\(h) decoded")
        } catch let error as ImageError {
            guard case .tooLarge = error else { Issue.record("\(w)x\(h): \(error)"); continue }
            #expect(error.description.hasPrefix("huge.png: PNG too large"))
        }
    }
    // JPEG: rewrite SOF0's height and width (65500 × 65500 ≈ 4.3 G pixels).
    var jpeg = try fixtureBytes("baseline.jpg")
    guard let sof = (2..<jpeg.count - 9).first(where: { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 }) else {
        Issue.record("no SOF0 in baseline.jpg"); return
    }
    for k in [5, 7] { jpeg[sof + k] = 0xFF; jpeg[sof + k + 1] = 0xDC }
    #expect(throws: ImageError.self) { try Image.decode(jpeg, name: "huge.jpg") }
    do { _ = try Image.decode(jpeg, name: "huge.jpg") } catch {
        #expect("\(error)".hasPrefix("huge.jpg: JPEG too large: declared size 65500x65500"))
    }
}

@Test func otherFormatsAndMissingFilesGiveClearErrors() throws {
    #expect(throws: ImageError.unsupportedFormat(name: "a.gif", format: "GIF")) { try Image.decode(Array("GIF89a....".utf8), name: "a.gif") }
    #expect(throws: ImageError.unknownFormat(name: "t.txt", magic: "68 65 6C 6C 6F")) { try Image.decode(Array("hello".utf8), name: "t.txt") }
    do { _ = try Image.read(path: "/nonexistent/x.png") } catch {
        #expect("\(error)" == "/nonexistent/x.png: cannot read image file: No such file or directory")
    }
    #expect(throws: ImageError.self) { try Image.read(path: "/tmp") }
}

/// A read error already names its file; wrapping it with `fileErrorMessage` must not name it again,
/// while a message that lacks the path gets it in front.
@Test func fileErrorMessageNamesTheFileOnce() {
    let path = "/nonexistent/dir/x.png"
    #expect(throws: ImageError.self) { try Image.read(path: path) }
    do {
        _ = try Image.read(path: path)
    } catch {
        let message = fileErrorMessage(error, path: path)
        #expect(message.components(separatedBy: path).count == 2, "\(message)")
        #expect(message.hasPrefix(path + ": cannot read image file"))
    }
    #expect(fileErrorMessage("checksum mismatch", path: path) == path + ": checksum mismatch")
}
