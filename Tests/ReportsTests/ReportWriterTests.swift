import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Reports
import Testing

@Suite("report.html and junit.xml")
struct ReportWriterTests {
    @Test("the page opens with the verdict and a gate table that says PASSED and FAILED in words")
    func gateTable() {
        let html = HTMLReport.html(for: ReportFixtures.report())
        let gates = html.range(of: #"<section id="gates">"#)
        let charts = html.range(of: #"<section id="charts">"#)
        #expect(gates != nil && charts != nil && gates!.lowerBound < charts!.lowerBound)
        #expect(html.contains("✘ FAILED: at least one gate did not hold"))
        #expect(html.contains("<td>loss</td><td>== 0</td><td>3 (0.4%)</td>"))
        #expect(html.contains("✔ PASSED"))
        #expect(html.contains("<title>hearth ci-gate: FAILED</title>"))
    }

    @Test("the page is balanced, self-contained, and embeds chart data for every series")
    func structure() throws {
        let html = HTMLReport.html(for: ReportFixtures.report())
        for tag in ["section", "table", "figure", "script", "details", "main", "header"] {
            #expect(html.components(separatedBy: "<\(tag)").count == html.components(separatedBy: "</\(tag)>").count, "unbalanced <\(tag)>")
        }
        #expect(!html.contains("http://") && !html.contains("https://"))
        let json = try #require(Self.embeddedJSON(html))
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let charts = try #require(object["charts"] as? [[String: Any]])
        #expect(charts.map { $0["id"] as? String } == ["throughput", "latency", "memory", "churn", "ttl", "cpu", "rss"])
        for chart in charts {
            let x = try #require(chart["x"] as? [Double])
            #expect(x.count == 20)
            #expect(html.contains(#"<canvas id="chart-\#(chart["id"] as! String)""#))
        }
        #expect(html.contains(#"data-chart-count="7""#))
    }

    @Test("scenario text cannot break out of the page")
    func escaping() throws {
        let html = HTMLReport.html(for: ReportFixtures.report())
        #expect(!html.contains("<script>alert(1)"))
        #expect(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)"))
        #expect(HTMLReport.scriptSafeJSON(#"{"a":"</script>"}"#) == #"{"a":"<\/script>"}"#)
    }

    @Test("a run without series still renders, and says so")
    func empty() {
        let report = RunReport(scenario: ScenarioInfo(name: "idle"), run: RunInfo(startedAt: ReportFixtures.start, endedAt: ReportFixtures.start))
        let html = HTMLReport.html(for: report)
        #expect(html.contains("No time series were recorded."))
        #expect(html.contains("NO GATES"))
        #expect(html.contains(#"data-chart-count="0""#))
    }

    @Test("JUnit: one test case per gate, failures carry observed against threshold")
    func junit() throws {
        let xml = JUnitReport.xml(for: ReportFixtures.report())
        let parsed = try JUnitShape(xml)
        #expect(parsed.testcases == ["p99_latency < 50ms", "loss == 0"])
        #expect(parsed.failures == ["observed 3 (0.4%), required == 0"])
        #expect(parsed.suiteAttributes["tests"] == "2")
        #expect(parsed.suiteAttributes["failures"] == "1")
        #expect(xml.contains("written at: Scenarios/ci-gate.yaml:30:9"))
    }

    @Test("JUnit: no gates is one skipped case, and text is escaped")
    func junitEdges() throws {
        let gate = GateResult(name: "p99_latency < 5ms & \"more\"", metric: "p99_latency", threshold: "< 5ms", observed: nil,
                              observedText: "nothing measured", passed: false, note: "no reading was stored \u{1}")
        let xml = JUnitReport.xml(for: ReportFixtures.report(gates: [gate]))
        #expect(try JUnitShape(xml).testcases == ["p99_latency < 5ms & \"more\""])
        let ungated = try JUnitShape(JUnitReport.xml(for: ReportFixtures.report(gates: [])))
        #expect(ungated.testcases == ["no gates"])
        #expect(ungated.skipped == 1)
    }

    static func embeddedJSON(_ html: String) -> String? {
        guard let open = html.range(of: #"<script type="application/json" id="hearth-data">"#),
              let close = html.range(of: "</script>", range: open.upperBound ..< html.endIndex) else { return nil }
        return String(html[open.upperBound ..< close.lowerBound])
    }
}

/// The parts of a JUnit file the tests look at, read with a real XML parser
/// (which also proves the file is well-formed).
final class JUnitShape: NSObject, XMLParserDelegate {
    var testcases: [String] = []
    var failures: [String] = []
    var skipped = 0
    var suiteAttributes: [String: String] = [:]

    init(_ xml: String) throws {
        super.init()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = self
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.coderReadCorrupt) }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "testsuite": suiteAttributes = attributes
        case "testcase": testcases.append(attributes["name"] ?? "")
        case "failure": failures.append(attributes["message"] ?? "")
        case "skipped": skipped += 1
        default: break
        }
    }
}
