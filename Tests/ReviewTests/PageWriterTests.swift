import Foundation
import Testing
@testable import Review

@Test func escapeReplacesEveryMarkupCharacter() {
    #expect(HTML.escape("<b>Tom & \"Jerry\"'s</b>") == "&lt;b&gt;Tom &amp; &quot;Jerry&quot;&#39;s&lt;/b&gt;")
    #expect(HTML.escape("plain dog:head ü") == "plain dog:head ü")
    #expect(HTML.escape("") == "")
}

@Test func histogramBinsScoresLikeTheSQL() {
    let h = ScoreHistogram(scores: [0, 0.05, 0.25, 0.5, 0.99, 1.0, 1.2, -0.1, nil, .nan], bins: 4)
    // [0, .25): 0, 0.05, -0.1 · [.25, .5): 0.25 · [.5, .75): 0.5 · [.75, 1]: 0.99, 1.0, 1.2
    #expect(h.counts == [3, 1, 1, 3])
    #expect(h.unscored == 2)
    #expect(h.total == 8)
    #expect(ScoreHistogram.bin(of: 0.2499, bins: 4) == 0 && ScoreHistogram.bin(of: 0.25, bins: 4) == 1)
}

@Test func histogramSVGHasOneBarPerBinScaledToThePeak() {
    let svg = ScoreHistogram(counts: [4, 0, 2, 1]).svg(caption: "<scores>", width: 200, height: 100)
    #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>"))
    #expect(svg.components(separatedBy: "<rect class=\"bar\"").count - 1 == 4)
    #expect(svg.contains("&lt;scores&gt;") && !svg.contains("<scores>"))
    // Plot height is 100 - 16 - 20 = 64 pixels: the peak bin is full height, the third half of it.
    #expect(svg.contains("height=\"64.0\" fill") && svg.contains("height=\"32.0\" fill") && svg.contains("height=\"0.0\" fill"))
    #expect(svg.contains("0.50–0.75: 2"))
}

@Test func onlyNumberedObjectPagesCountAsStale() {
    #expect(SiteFiles.isPage("objects-1.html") && SiteFiles.isPage("objects-120.html"))
    for name in ["objects-.html", "objects-1a.html", "objects-1.htm", "index.html", "objects-١.html", "my-objects-1.html"] {
        #expect(!SiteFiles.isPage(name), "\(name)")
    }
}

@Test func cropBoxAddsAMarginAndStaysInsideTheImage() {
    let box = ObjectPicture.cropBox([10, 10, 20, 10], width: 100, height: 50)
    #expect(box.x == 8 && box.y == 8 && box.width == 24 && box.height == 14)   // margin max(2, 0.1·20) = 2
    let edge = ObjectPicture.cropBox([0, 0, 100, 50], width: 100, height: 50)
    #expect(edge.x == 0 && edge.y == 0 && edge.width == 100 && edge.height == 50)
    let empty = ObjectPicture.cropBox([5, 5, 0, 0], width: 30, height: 20)
    #expect(empty.width == 30 && empty.height == 20)
    #expect(ObjectPicture.scale(for: (0, 0, 40, 30), target: 192) == 4)
    #expect(ObjectPicture.scale(for: (0, 0, 400, 30), target: 192) == 1)
    #expect(ObjectPicture.scale(for: (0, 0, 2, 2), target: 192) == 8)
}

@Test func provenanceReadsBasesAndSimilarities() {
    let p = PartProvenance(json: "{\"bases\":[12,7],\"method\":\"nn\",\"similarities\":[0.9,0.5],\"patches\":3}")
    #expect(p.bases == [12, 7] && p.similarities == [0.9, 0.5] && p.method == "nn")
    #expect(PartProvenance(json: "not json").bases.isEmpty)
    #expect(PartProvenance(json: nil).method == nil)
}

@Test func objectPageNavigationLinksOnlyExistingPages() {
    let first = ObjectPage.html(cards: [], page: 1, pages: 3, runTitle: "run <x>", storePath: "a&b.sqlite")
    #expect(first.contains("href=\"objects-2.html\"") && !first.contains("href=\"objects-0.html\""))
    #expect(first.contains("page 1 of 3") && first.contains("run &lt;x&gt;") && !first.contains("run <x>"))
    #expect(first.contains("--db a&amp;b.sqlite"))
    let last = ObjectPage.html(cards: [], page: 3, pages: 3, runTitle: "r", storePath: "s")
    #expect(last.contains("href=\"objects-2.html\"") && !last.contains("href=\"objects-4.html\""))
}
