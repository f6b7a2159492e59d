import Foundation
import Store

/// What the index lists about one written page.
struct PageSummary: Sendable, Equatable {
    var number: Int
    var objects: Int
    var firstScore: Double?, lastScore: Double?
    var firstCategory: String, lastCategory: String
}

/// `index.html`: the run, counts by state and category, score histograms and the page list.
enum IndexPage {
    struct Context {
        var run: RunReference
        var options: ReviewOptions
        var counts: ReviewCounts
        var pages: [PageSummary]
        var storePath: String
        var pictureFailures: Int
    }

    static func title(_ run: RunReference) -> String {
        "parse run \(run.name.map { "'\($0)' (id \(run.id))" } ?? "\(run.id)")"
    }

    static func html(_ c: Context) -> String {
        let counts = c.counts
        var body = HTML.nav([("index", nil), ("taxonomy", "taxonomy.html"),
                             ("first page", c.pages.isEmpty ? nil : ObjectPage.fileName(1))])
        body += "<h1>Review of \(HTML.escape(title(c.run)))</h1>\n"
        let statuses = c.options.statuses.map { $0.map(\.rawValue).joined(separator: ", ") } ?? "all"
        body += "<p>Store <code>\(HTML.escape(c.storePath))</code> · run status \(c.run.status.rawValue)"
            + " · showing part labels with status: \(HTML.escape(statuses)) · sorted by \(c.options.sort.rawValue)"
            + (c.options.sort == .score ? " (least confident first)" : "") + "</p>\n"
        if let params = c.run.params { body += "<p class=\"muted\">parameters <code>\(HTML.escape(params))</code></p>\n" }
        body += "<p><b>\(counts.objects)</b> objects, <b>\(counts.parts)</b> part labels: "
            + LabelStatus.allCases.map { "\(counts.byStatus[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ") + "</p>\n"
        if c.pictureFailures > 0 {
            body += "<p class=\"warn\">\(c.pictureFailures) object pictures could not be drawn; their pages say why.</p>\n"
        }
        body += "<div class=\"pics\">" + counts.objectScores.svg(caption: "object scores (mean of parts)")
            + counts.partScores.svg(caption: "part label scores") + "</div>\n"
        body += "<h2>Object categories</h2>\n" + table(counts.objectCategories, firstColumn: "object",
                                                      startPages: startPages(c))
        body += "<h2>Part categories</h2>\n" + table(counts.partCategories, firstColumn: "part", startPages: [:])
        body += "<h2>Pages</h2>\n<p class=\"pages\">"
        for page in c.pages {
            let range = c.options.sort == .score
                ? "\(HTML.score(page.firstScore))–\(HTML.score(page.lastScore))"
                : (page.firstCategory == page.lastCategory ? page.firstCategory : "\(page.firstCategory)–\(page.lastCategory)")
            body += "<span class=\"pg\"><a href=\"\(ObjectPage.fileName(page.number))\">\(page.number)</a>"
                + "<span class=\"muted\">\(HTML.escape(range))</span></span> "
        }
        body += "</p>\n"
        return HTML.page(title: "vlpart review: \(title(c.run))", body: body)
    }

    /// The page on which each object category starts, when pages are sorted by category.
    static func startPages(_ c: Context) -> [String: Int] {
        guard c.options.sort == .category else { return [:] }
        var pages: [String: Int] = [:]
        var offset = 0
        for category in c.counts.objectCategories {
            pages[category.name] = offset / max(1, c.options.pageSize) + 1
            offset += category.objects
        }
        return pages
    }

    static func table(_ rows: [CategoryCount], firstColumn: String, startPages: [String: Int]) -> String {
        var html = "<table><tr><th>\(firstColumn)</th><th class=\"n\">objects</th><th class=\"n\">labels</th>"
            + "<th class=\"n\">pending</th><th class=\"n\">accepted</th><th class=\"n\">rejected</th><th class=\"n\">mean score</th></tr>\n"
        for row in rows {
            let name = startPages[row.name].map { "<a href=\"\(ObjectPage.fileName($0))\">\(HTML.escape(row.name))</a>" }
                ?? HTML.escape(row.name)
            html += "<tr><td>\(name)</td><td class=\"n\">\(row.objects)</td><td class=\"n\">\(row.parts)</td>"
                + "<td class=\"n\">\(row.pending)</td><td class=\"n\">\(row.accepted)</td><td class=\"n\">\(row.rejected)</td>"
                + "<td class=\"n\">\(HTML.score(row.meanScore))</td></tr>\n"
        }
        return html + "</table>\n"
    }
}
