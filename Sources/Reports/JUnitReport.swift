import Foundation

/// `junit.xml`: one test case per gate, so Jenkins, GitLab and GitHub show
/// gates as tests. A failed gate is a `<failure>` whose message says what was
/// observed against what was demanded; a run without gates is one skipped
/// case, so a CI view never shows an empty, "green" suite.
public enum JUnitReport {
    public static func xml(for report: RunReport) -> String {
        let suiteName = "hearth.\(report.scenario.name)"
        let failures = report.gates.filter { !$0.passed }.count
        let cases = report.gates.isEmpty ? 1 : report.gates.count
        let skipped = report.gates.isEmpty ? 1 : 0
        let seconds = String(format: "%.3f", max(0, report.run.durationSeconds))
        let timestamp = RunReport.timestampFormatter().string(from: report.run.startedAt)

        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += #"<testsuites name="hearth" tests="\#(cases)" failures="\#(failures)" errors="0" skipped="\#(skipped)" time="\#(seconds)">"# + "\n"
        xml += #"  <testsuite name="\#(escape(suiteName))" tests="\#(cases)" failures="\#(failures)" errors="0" skipped="\#(skipped)" time="\#(seconds)" timestamp="\#(timestamp)">"# + "\n"
        xml += "    <properties>\n"
        xml += property("scenario", report.scenario.name)
        xml += property("verdict", report.verdict.rawValue)
        for (name, version) in report.versions.listed { xml += property("\(name).version", version) }
        if let shard = report.run.shard { xml += property("shard", shard) }
        xml += "    </properties>\n"
        if report.gates.isEmpty {
            xml += #"    <testcase classname="\#(escape(suiteName)).gates" name="no gates" time="0">"# + "\n"
            xml += #"      <skipped message="the scenario sets no gates"/>"# + "\n"
            xml += "    </testcase>\n"
        }
        for gate in report.gates {
            xml += #"    <testcase classname="\#(escape(suiteName)).gates" name="\#(escape(gate.name))" time="0">"# + "\n"
            if !gate.passed {
                let message = "observed \(gate.observedText), required \(gate.threshold)"
                xml += #"      <failure type="GateFailed" message="\#(escape(message))">\#(escape(failureBody(gate)))</failure>"# + "\n"
            }
            xml += #"      <system-out>\#(escape(gate.line))</system-out>"# + "\n"
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    public static func write(_ report: RunReport, to path: String) throws(ReportError) {
        try ReportFiles.write(xml(for: report), to: path)
    }

    private static func failureBody(_ gate: GateResult) -> String {
        var lines = [
            "gate:      \(gate.name)",
            "threshold: \(gate.metric) \(gate.threshold)",
            "observed:  \(gate.observedText)",
        ]
        if let location = gate.location { lines.append("written at: \(location)") }
        if let note = gate.note { lines.append("note: \(note)") }
        return lines.joined(separator: "\n")
    }

    private static func property(_ name: String, _ value: String) -> String {
        #"      <property name="\#(escape(name))" value="\#(escape(value))"/>"# + "\n"
    }

    /// XML 1.0 text and attribute escaping; control characters XML cannot
    /// carry at all are dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            case "\r": out += "&#13;"
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
