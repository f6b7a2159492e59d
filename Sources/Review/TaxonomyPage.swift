import Foundation
import Taxonomy

/// `taxonomy.html`: every borrow proposal (the newest per target category) with its score,
/// runner-up, status and the parts it borrows.
enum TaxonomyPage {
    static func html(_ entries: [BorrowEntry], runTitle: String) -> String {
        var body = HTML.nav([("index", "index.html"), ("taxonomy", nil)])
        body += "<h1>Borrowed taxonomies</h1>\n<p class=\"muted\">\(entries.count) proposals "
            + "(\(entries.filter { $0.status == .approved || $0.status == .edited }.count) approved or edited). "
            + "Decide with <code>vlpart taxonomy review</code>; reviewing \(HTML.escape(runTitle)).</p>\n"
        body += "<table><tr><th>target</th><th>base</th><th class=\"n\">score</th><th>runner-up</th>"
            + "<th>status</th><th>parts (target ← base)</th><th>decided</th></tr>\n"
        let formatter = ISO8601DateFormatter()
        for entry in entries {
            let runners = entry.runnerUps.enumerated().map { i, r in
                let text = "\(HTML.escape(r.category)) \(HTML.score(r.score))"
                return i == 0 ? text : "<span class=\"muted\">\(text)</span>"
            }.joined(separator: ", ")
            let parts = entry.parts.map { p in
                p.name == p.basePart ? HTML.escape(p.name) : "\(HTML.escape(p.name)) ← \(HTML.escape(p.basePart))"
            }.joined(separator: ", ")
            body += "<tr><td>\(HTML.escape(entry.target))</td><td>\(HTML.escape(entry.base))</td>"
                + "<td class=\"n\">\(HTML.score(entry.score))</td><td>\(runners.isEmpty ? "—" : runners)</td>"
                + "<td>\(entry.status.rawValue)</td><td>\(parts.isEmpty ? "—" : parts)</td>"
                + "<td>\(entry.decidedAt.map { formatter.string(from: $0) } ?? "—")</td></tr>\n"
        }
        body += "</table>\n"
        if entries.isEmpty { body += "<p class=\"muted\">No borrow proposals: run <code>vlpart taxonomy propose</code>.</p>\n" }
        return HTML.page(title: "vlpart review: borrowed taxonomies", body: body)
    }
}
