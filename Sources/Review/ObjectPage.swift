import Foundation
import Imaging
import Store

/// A picture file written for a page, or why it could not be drawn.
enum PictureOutcome: Sendable {
    /// Path relative to the site folder (`img/obj-12.png`) and pixel size.
    case drawn(file: String, width: Int, height: Int)
    case failed(String)
}

/// One object as its page shows it.
struct ObjectCard: Sendable {
    var rank: Int
    var object: ReviewObject
    var layers: [PictureLayer]
    var picture: PictureOutcome
    /// The best-matching base object, its picture, and the similarity of the match.
    var base: (object: ReviewObject, picture: PictureOutcome, similarity: Double?)?
    /// The base object's category name, or `#id` when the base object is gone from the store.
    var baseName: String?
}

/// `objects-<n>.html`: a page of object cards and the "copy ids" box.
enum ObjectPage {
    static func fileName(_ page: Int) -> String { "objects-\(page).html" }

    /// The ids a card contributes to the copy box: its part labels, space separated.
    static func ids(_ card: ObjectCard) -> String {
        card.object.parts.compactMap { $0.annotation.id.map(String.init) }.joined(separator: " ")
    }

    /// The whole page.
    ///
    /// - Parameters:
    ///   - page: 1-based page number; `pages` the number of pages.
    ///   - storePath: the store as `--db` should name it in the hint under the copy box.
    static func html(cards: [ObjectCard], page: Int, pages: Int, runTitle: String, storePath: String) -> String {
        var body = HTML.nav([("index", "index.html"), ("taxonomy", "taxonomy.html"),
                             ("← previous", page > 1 ? fileName(page - 1) : nil),
                             ("page \(page) of \(pages)", nil),
                             ("next →", page < pages ? fileName(page + 1) : nil)])
        body += "<h1>\(HTML.escape(runTitle)) · objects \(cards.first?.rank ?? 0)–\(cards.last?.rank ?? 0)</h1>\n"
        let allIDs = cards.map(ids).filter { !$0.isEmpty }.joined(separator: "\n")
        let count = cards.reduce(0) { $0 + $1.object.parts.count }
        body += """
            <div class="copy"><b>Copy ids</b> (<span id="idcount">\(count)</span> part labels of the ticked objects)
            <button type="button" onclick="copyIDs()">copy</button> <button type="button" onclick="pickAll(true)">tick all</button>
            <button type="button" onclick="pickAll(false)">untick all</button> <span id="copied" class="muted"></span>
            <textarea id="ids" readonly spellcheck="false">\(HTML.escape(allIDs))</textarea>
            <span class="muted">Save as <code>ids.txt</code>, then <code>vlpart label reject --ids-file ids.txt --db \(HTML.escape(storePath))</code>
            (or <code>accept</code>).</span></div>

            """
        if cards.isEmpty { body += "<p class=\"muted\">No part labels match this selection.</p>\n" }
        for card in cards { body += self.card(card) }
        body += HTML.nav([("index", "index.html"), ("← previous", page > 1 ? fileName(page - 1) : nil),
                          ("page \(page) of \(pages)", nil), ("next →", page < pages ? fileName(page + 1) : nil)])
        return HTML.page(title: "\(runTitle): objects page \(page) of \(pages)", body: body)
    }

    static func card(_ card: ObjectCard) -> String {
        let o = card.object
        let objectID = o.annotation.id ?? 0
        var html = "<section class=\"obj\" id=\"o\(objectID)\">\n<header><label><input type=\"checkbox\" class=\"pick\" checked "
            + "data-ids=\"\(HTML.escape(ids(card)))\"> #\(card.rank)</label> \(HTML.escape(o.key.category)) "
            + "<span class=\"meta\">object \(objectID) · score \(HTML.score(o.key.score)) · "
            + "\(HTML.escape(o.dataset))/\(HTML.escape(o.image.fileName))</span></header>\n<div class=\"pics\">\n"
        html += figure(card.picture, alt: "object \(objectID) (\(o.key.category)) with its parsed parts",
                       caption: "parsed parts of object \(objectID)")
        if let base = card.base {
            let similarity = base.similarity.map { String(format: ", similarity %.3f", $0) } ?? ""
            html += figure(base.picture, alt: "base object \(base.object.annotation.id ?? 0) (\(base.object.key.category)) with its parts",
                           caption: "borrowed from base object \(base.object.annotation.id ?? 0) (\(base.object.key.category)\(similarity)), "
                           + "\(base.object.dataset)/\(base.object.image.fileName)")
        } else if let name = card.baseName {
            html += "<p class=\"muted\">base object \(HTML.escape(name)) is no longer in the store</p>\n"
        }
        html += "</div>\n<table class=\"parts\"><tr><th></th><th>part</th><th class=\"n\">score</th><th class=\"n\">id</th>"
            + "<th>source</th><th>status</th></tr>\n"
        for (part, layer) in zip(o.parts, card.layers) {
            let a = part.annotation
            html += "<tr class=\"\(a.status.rawValue)\"><td><span class=\"sw\" style=\"background:\(HTML.hex(layer.color.r, layer.color.g, layer.color.b))\"></span></td>"
                + "<td>\(HTML.escape(part.category))</td><td class=\"n\">\(HTML.score(a.score))</td><td class=\"n\">\(a.id ?? 0)</td>"
                + "<td>\(a.source.rawValue)</td><td>\(a.status.rawValue)</td></tr>\n"
        }
        html += "</table>\n"
        let p = o.provenance
        var meta: [String] = []
        if let method = p.method { meta.append("method \(HTML.escape(method))") }
        if !p.bases.isEmpty {
            let bases = p.bases.enumerated().map { i, id in
                i < p.similarities.count ? String(format: "%lld (%.3f)", id, p.similarities[i]) : "\(id)"
            }
            meta.append("base objects \(bases.joined(separator: ", "))")
        }
        meta.append("label ids <span class=\"ids\">\(HTML.escape(ids(card)))</span>")
        return html + "<p class=\"muted\">\(meta.joined(separator: " · "))</p>\n</section>\n"
    }

    static func figure(_ outcome: PictureOutcome, alt: String, caption: String) -> String {
        switch outcome {
        case let .drawn(file, width, height):
            return "<figure><img class=\"pic\" src=\"\(HTML.escape(file))\" width=\"\(width)\" height=\"\(height)\" "
                + "alt=\"\(HTML.escape(alt))\"><figcaption>\(HTML.escape(caption))</figcaption></figure>\n"
        case let .failed(message):
            return "<figure><p class=\"warn\">picture unavailable: \(HTML.escape(message))</p>"
                + "<figcaption>\(HTML.escape(caption))</figcaption></figure>\n"
        }
    }
}
