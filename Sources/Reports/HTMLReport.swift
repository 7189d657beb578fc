import Foundation

/// `report.html`: one self-contained page a person opens from disk, with no
/// network: the verdict and the gate table first, then charts drawn on
/// `<canvas>` by a small inline script from JSON embedded in the page, then
/// the details (counts, latency tables, alarms, lost keys, Fernet, processes,
/// the scenario itself).
///
/// Pass and fail are always written as words as well as shown in colour, and
/// every chart has a text label, so the page works for colour-blind readers
/// and screen readers. When the script has drawn the charts it sets
/// `data-charts-ready` on `<body>` to how many it drew; tests read that from
/// headless Chromium to prove the page runs without errors.
public enum HTMLReport {
    public static func html(for report: RunReport) -> String {
        let charts = ChartSpec.charts(for: report)
        var page = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>hearth \(escape(report.scenario.name)): \(report.verdict.rawValue.uppercased())</title>
        <style>\(stylesheet)</style>
        </head>
        <body data-charts-ready="0" data-chart-count="\(charts.count)">
        <header>
        <h1>hearth run: \(escape(report.scenario.name))</h1>
        <p class="verdict \(report.verdict.rawValue)" role="status">\(verdictSymbol(report.verdict)) \(escape(report.verdict.headline))</p>
        <p class="meta">\(escape(runLine(report)))</p>
        \(notesList(report))</header>
        <main>

        """
        page += gateSection(report)
        page += chartSection(charts)
        page += countsSection(report)
        page += latencySection(report)
        page += alarmSection(report)
        page += lostKeysSection(report)
        page += fernetSection(report)
        page += processSection(report)
        page += scenarioSection(report)
        page += "</main>\n"
        page += #"<script type="application/json" id="hearth-data">"# + scriptSafeJSON(ChartSpec.json(charts)) + "</script>\n"
        page += "<script>\(chartScript)</script>\n</body>\n</html>\n"
        return page
    }

    /// What a reader must know before trusting the figures (an interrupted
    /// run, a publisher that fell behind, injected faults), under the verdict.
    static func notesList(_ report: RunReport) -> String {
        guard let notes = report.run.notes, !notes.isEmpty else { return "" }
        return #"<ul class="notes">"# + notes.map { "<li>\(escape($0))</li>" }.joined() + "</ul>\n"
    }

    public static func write(_ report: RunReport, to path: String) throws(ReportError) {
        try ReportFiles.write(html(for: report), to: path)
    }

    static func verdictSymbol(_ verdict: Verdict) -> String {
        switch verdict {
        case .passed: "✔"
        case .failed: "✘"
        case .ungated: "•"
        }
    }

    private static func runLine(_ report: RunReport) -> String {
        var parts = [
            "\(RunReport.timestampFormatter().string(from: report.run.startedAt)) to \(RunReport.timestampFormatter().string(from: report.run.endedAt))",
            "\(Format.seconds(report.run.durationSeconds))",
        ]
        if let shard = report.run.shard { parts.append("shard \(shard)") }
        if let merged = report.run.mergedFrom { parts.append("merged from \(merged.count) reports") }
        parts += report.versions.listed.map { "\($0.name) \($0.version)" }
        return parts.joined(separator: " · ")
    }

    /// HTML text and attribute escaping.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// JSON inside `<script>` must not contain `</` (it would close the
    /// element) nor `<!--`; `\/` and `\u003c` mean the same in JSON.
    static func scriptSafeJSON(_ json: String) -> String {
        json.replacingOccurrences(of: "</", with: "<\\/").replacingOccurrences(of: "<!--", with: "\\u003c!--")
    }
}
