import Foundation
import Imaging
import Testing
import TestSupport
@testable import Review

/// Headless Chromium (Debian package `chromium`), when installed.
private let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

/// Runs Chromium headless on `page` with a private profile; returns its stdout. Killed after
/// `timeout` seconds (a hung browser fails the test instead of hanging it).
private func headless(_ arguments: [String], page: URL, profile: URL, timeout: Double = 90) throws -> (status: Int32, stdout: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: chromium!)
    process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
                         "--force-device-scale-factor=1", "--user-data-dir=\(profile.path)",
                         "--virtual-time-budget=5000"] + arguments + [page.absoluteString]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    killer.cancel()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Renders the index and the first object page in a real browser: every picture loads (the
/// page script records loaded and broken images on `body`), and the screenshot is not blank
/// but shows the part colours.
@Test(.enabled(if: chromium != nil, "chromium is not installed"))
func pagesRenderInHeadlessChromium() throws {
    let fixture = try ReviewFixture(objects: [("dog", 0.25, 0.75), ("bird", 0.5, 0.5), ("dog", 0.1, 0.2)])
    defer { fixture.remove() }
    let site = fixture.folder.appendingPathComponent("site")
    _ = try ReviewSite(store: fixture.store, options: { var o = ReviewOptions(); o.run = "r1"; return o }()).write(to: site)
    let profile = fixture.folder.appendingPathComponent("chromium-profile")

    let index = try headless(["--dump-dom"], page: site.appendingPathComponent("index.html"), profile: profile)
    #expect(index.status == 0)
    #expect(index.stdout.contains("data-broken-images=\"0\""), "index.html did not finish loading")
    #expect(index.stdout.components(separatedBy: "<rect class=\"bar\"").count - 1 == 40)
    #expect(index.stdout.contains("<b>3</b> objects, <b>6</b> part labels"))

    let pageURL = site.appendingPathComponent("objects-1.html")
    let page = try headless(["--dump-dom"], page: pageURL, profile: profile)
    #expect(page.status == 0)
    let images = try String(contentsOf: pageURL, encoding: .utf8).components(separatedBy: "<img ").count - 1
    #expect(images == 6)   // three objects, each beside its base object
    #expect(page.stdout.contains("data-broken-images=\"0\"") && page.stdout.contains("data-loaded-images=\"\(images)\""),
            "not every picture loaded: \(page.stdout.firstMatch(of: /<body[^>]*>/).map { String($0.0) } ?? "no body")")
    #expect(copyBoxIDs(in: page.stdout).sorted() == fixture.partIDs.flatMap { $0 }.sorted())

    let shot = fixture.folder.appendingPathComponent("objects-1.png")
    let screenshot = try headless(["--screenshot=\(shot.path)", "--window-size=1000,900"], page: pageURL, profile: profile)
    #expect(screenshot.status == 0)
    let picture = try Image.read(path: shot.path)
    #expect(picture.width == 1000 && picture.height == 900)
    var colors = Set<Int>()
    var head = 0
    let headColor = Palette.color(0)
    for p in stride(from: 0, to: picture.width * picture.height * picture.channels, by: picture.channels) {
        let (r, g, b) = (picture.pixels[p], picture.pixels[p + 1], picture.pixels[p + 2])
        colors.insert(Int(r) << 16 | Int(g) << 8 | Int(b))
        if Color(r, g, b) == headColor { head += 1 }
    }
    #expect(colors.count > 200, "screenshot looks blank: \(colors.count) colours")
    #expect(head > 100, "head overlay colour appears on \(head) pixels")
}
