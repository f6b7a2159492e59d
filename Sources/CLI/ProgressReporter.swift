import Foundation

/// A one-line progress bar on stderr: `label [=====>    ] 120/480  12.3 obj/s  ETA 0:29`.
///
/// Redraws at most every 0.2 s (and always at the end); on a non-TTY stderr it prints a line
/// every 10 % instead, so logs stay readable.
final class ProgressReporter {
    let label: String
    let unit: String
    let start = Date()
    private var lastDraw = Date.distantPast
    private var lastDecile = -1
    private let isTTY = isatty(STDERR_FILENO) != 0

    init(_ label: String, unit: String = "it") {
        self.label = label
        self.unit = unit
    }

    /// Reports `done` of `total`; `extra` is appended (e.g. `loss 0.42`).
    func update(_ done: Int, of total: Int, extra: String = "") {
        let now = Date()
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let remaining = rate > 0 ? Double(total - done) / rate : 0
        let text = String(format: "%@ %d/%d  %.1f %@/s  ETA %@%@", label, done, total, rate, unit,
                          Self.clock(remaining), extra.isEmpty ? "" : "  " + extra)
        if isTTY {
            guard done == total || now.timeIntervalSince(lastDraw) >= 0.2 else { return }
            lastDraw = now
            let width = 24, filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "=", count: filled) + (filled < width ? ">" : "")
                + String(repeating: " ", count: max(0, width - filled - 1))
            FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(text.dropFirst(label.count + 1))\u{1B}[K".utf8))
            if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
        } else {
            let decile = total > 0 ? 10 * done / total : 10
            guard decile != lastDecile else { return }
            lastDecile = decile
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    /// `m:ss` or `h:mm:ss`.
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            : String(format: "%d:%02d", s / 60, s % 60)
    }
}
