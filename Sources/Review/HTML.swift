import Foundation

/// Escaping and the page shell shared by every review page: one self-contained HTML file with
/// its CSS inline and a few lines of script, so a page opens from disk with no server and no
/// network. `escape` is public so other pages vlpart writes (the demo report) escape alike.
public enum HTML {
    /// `text` safe inside an element or a quoted attribute: `& < > " '` become entities.
    ///
    /// Every string that comes from the store (category, dataset and file names, run names,
    /// provenance) goes through this before it reaches a page.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// A score as pages print it: three decimals, or an em dash when there is none.
    static func score(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        return String(format: "%.3f", value)
    }

    /// `#rrggbb` of a palette colour.
    static func hex(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> String {
        String(format: "#%02x%02x%02x", r, g, b)
    }

    /// A whole page: doctype, inline style, `body` and the shared script.
    ///
    /// - Parameters:
    ///   - title: plain text (escaped here).
    ///   - body: HTML already escaped by the caller.
    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>\(style)</style>
        </head>
        <body data-broken-images="unknown">
        <p id="broken" class="warn" hidden></p>
        \(body)
        <script>\(script)</script>
        </body>
        </html>

        """
    }

    /// The navigation bar of every page.
    static func nav(_ links: [(title: String, href: String?)]) -> String {
        let items = links.map { link in
            link.href.map { "<a href=\"\(escape($0))\">\(escape(link.title))</a>" } ?? "<span>\(escape(link.title))</span>"
        }
        return "<nav>\(items.joined(separator: " · "))</nav>"
    }

    static let style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;padding:12px 20px;max-width:1200px;color:#222;background:#fafafa}
        h1{font-size:20px;margin:8px 0}h2{font-size:16px;margin:18px 0 6px}
        nav{margin:6px 0 12px;color:#666}nav a{color:#0645ad}
        table{border-collapse:collapse;background:#fff}td,th{border:1px solid #ddd;padding:2px 8px;text-align:left}
        td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
        .obj{background:#fff;border:1px solid #ddd;border-radius:6px;margin:10px 0;padding:8px 12px}
        .obj header{font-weight:600;margin-bottom:6px}.obj header .meta{font-weight:400;color:#666}
        .pics{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
        figure{margin:0}figcaption{font-size:12px;color:#555;max-width:360px}
        img.pic{image-rendering:pixelated;border:1px solid #ccc;background:#fff}
        .sw{display:inline-block;width:12px;height:12px;border:1px solid #888;vertical-align:middle}
        tr.rejected td{color:#999;text-decoration:line-through}tr.accepted td{color:#075e21}
        .ids{font:12px monospace;color:#555;word-break:break-all}
        .copy{position:sticky;top:0;background:#eef3fb;border:1px solid #c8d6ee;border-radius:6px;padding:8px 12px;z-index:1}
        .copy textarea{width:100%;height:3.2em;font:12px monospace;box-sizing:border-box}
        .copy code{background:#fff;padding:1px 4px}
        .warn{background:#fde8e8;border:1px solid #e6a3a3;padding:6px 10px;border-radius:4px}
        .muted{color:#777}.pages .pg{white-space:nowrap;margin-right:12px}.pages a{margin-right:4px}
        svg text{font:11px system-ui,sans-serif;fill:#444}
        """

    /// The page script: keeps the copy box in step with the ticked objects, copies it, and
    /// flags pictures that failed to load (e.g. the `img` folder was not copied with the page).
    /// Without script the copy box still holds every id of the page.
    static let script = """
        function pickedIDs(){return Array.from(document.querySelectorAll('input.pick:checked')).map(function(c){return c.dataset.ids}).join('\\n')}
        function refreshIDs(){var t=document.getElementById('ids');if(!t)return;t.value=pickedIDs();
        var n=document.getElementById('idcount');if(n)n.textContent=t.value.split(/\\s+/).filter(Boolean).length}
        function pickAll(on){document.querySelectorAll('input.pick').forEach(function(c){c.checked=on});refreshIDs()}
        function copyIDs(){var t=document.getElementById('ids');t.focus();t.select();var done=document.getElementById('copied');
        function ok(){if(done)done.textContent='copied'}
        if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(t.value).then(ok,function(){document.execCommand('copy');ok()})}
        else{document.execCommand('copy');ok()}}
        document.addEventListener('change',function(e){if(e.target.classList&&e.target.classList.contains('pick'))refreshIDs()});
        window.addEventListener('load',function(){var bad=Array.from(document.images).filter(function(i){return !(i.complete&&i.naturalWidth>0)});
        document.body.dataset.brokenImages=String(bad.length);document.body.dataset.loadedImages=String(document.images.length-bad.length);
        if(bad.length){var w=document.getElementById('broken');w.hidden=false;
        w.textContent=bad.length+' picture(s) did not load: keep the img folder next to this page.'}});
        """
}
