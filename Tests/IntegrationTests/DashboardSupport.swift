import Foundation

/// Debian's headless Chromium, run to completion on one page: its rendered DOM, or a screenshot.
enum HeadlessChromium {
    static let executable = URL(fileURLWithPath: "/usr/bin/chromium")

    /// Why the browser tests cannot run here, if they cannot (they then fail with it; see `SkipPolicy`).
    static var unavailable: String? {
        FileManager.default.isExecutableFile(atPath: executable.path)
            ? nil : "no /usr/bin/chromium: install Debian's chromium package (apt-get install chromium; make deps does)"
    }

    /// The page's DOM after its script has run for `virtualMs` of the browser's virtual time: timers
    /// fast-forward while fetches take real time, so a 1.5 s poll has run several times by then.
    static func dumpDOM(_ url: String, profile: URL, virtualMs: Int = 6000) throws -> String {
        let run = try runCommand(
            executable, flags(profile: profile, virtualMs: virtualMs) + ["--dump-dom", url],
            timeout: 90)
        guard run.status == 0, run.output.contains("</html>") else {
            throw TestFailure("chromium --dump-dom \(url) exited \(run.status): \(run.errors.suffix(2000))")
        }
        return run.output
    }

    static func screenshot(_ url: String, to file: URL, profile: URL, virtualMs: Int = 6000) throws {
        try? FileManager.default.removeItem(at: file)
        let run = try runCommand(
            executable,
            flags(profile: profile, virtualMs: virtualMs)
                + ["--hide-scrollbars", "--window-size=1280,900", "--screenshot=\(file.path)", url],
            timeout: 90)
        guard run.status == 0, FileManager.default.fileExists(atPath: file.path) else {
            throw TestFailure("chromium --screenshot \(url) exited \(run.status): \(run.errors.suffix(2000))")
        }
    }

    /// A profile folder of the test's own, so no other browser state (or saved token) leaks in.
    private static func flags(profile: URL, virtualMs: Int) -> [String] {
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=\(profile.path)", "--virtual-time-budget=\(virtualMs)",
        ]
    }
}

/// What the dashboard shows, read from its rendered DOM through the page's `data-*` hooks. Pure.
struct DashboardDOM {
    /// `data-total` → `data-value` (the raw number behind the formatted text).
    var totals: [String: String] = [:]
    /// `data-stage` → its cells' `data-field` → `data-value`.
    var stages: [String: [String: String]] = [:]
    /// Stage names in the order the rows appear.
    var stageOrder: [String] = []
    var workers: [String] = []
    /// `data-worker` → the text of its in-flight cell ("held / credit").
    var workerInflight: [String: String] = [:]
    var jobRows: [String] = []
    var deadLetterRows: [String] = []
    /// Stages of the detail view's history rows, in order.
    var historyStages: [String] = []
    var searchHits: [String] = []
    /// `data-field` → text of the detail view's fields (`dd` elements).
    var detailFields: [String: String] = [:]
    /// The text of the detail view's error box, if it has one.
    var detailError: String?
    var refreshes = 0
    var tokenPanelShown = false

    init(html: String) {
        var row: String?
        var workerRow: String?
        var openDetailField: (name: String, text: String)?
        // Start and end tags in document order; attribute values are quoted by Chromium's serializer.
        let tags = html.matches(of: /<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>([^<]*)/)
        for tag in tags {
            let closing = !tag.1.isEmpty
            let name = String(tag.2).lowercased()
            let attributes = Self.attributes(String(tag.3))
            let text = Self.unescape(String(tag.4))
            if var field = openDetailField {
                if closing, name == "dd" {
                    detailFields[field.name] = field.text.trimmingCharacters(in: .whitespaces)
                    openDetailField = nil
                } else {
                    field.text += text
                    openDetailField = field
                }
                continue
            }
            if closing {
                if name == "tr" {
                    row = nil
                    workerRow = nil
                }
                continue
            }
            if name == "body", let count = attributes["data-refreshes"].flatMap(Int.init) { refreshes = count }
            if attributes["id"] == "token-panel" { tokenPanelShown = attributes["hidden"] == nil }
            if let total = attributes["data-total"] { totals[total] = attributes["data-value"] ?? "" }
            if name == "tr", let stage = attributes["data-stage"] {
                row = stage
                stageOrder.append(stage)
                stages[stage] = [:]
            }
            if name == "td", let row, let field = attributes["data-field"] {
                stages[row]?[field] = attributes["data-value"] ?? text
            }
            if name == "tr", let id = attributes["data-worker"] {
                workers.append(id)
                workerRow = id
            }
            if name == "td", let workerRow, attributes["data-field"] == "inflight" { workerInflight[workerRow] = text }
            if name == "tr", let id = attributes["data-job-row"] { jobRows.append(id) }
            if name == "tr", let id = attributes["data-dead-letter"] { deadLetterRows.append(id) }
            if name == "tr", let stage = attributes["data-history-stage"] { historyStages.append(stage) }
            if name == "li", let id = attributes["data-document"] { searchHits.append(id) }
            if name == "dd", let field = attributes["data-field"] { openDetailField = (field, text) }
            if name == "div", attributes["data-field"] == "error" { detailError = text }
        }
    }

    private static func attributes(_ text: String) -> [String: String] {
        var found: [String: String] = [:]
        for match in text.matches(of: /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?/) {
            found[String(match.1)] = match.2.map { unescape(String($0)) } ?? ""
        }
        return found
    }

    private static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&nbsp;", with: " ")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
