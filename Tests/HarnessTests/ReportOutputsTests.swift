import Foundation
@testable import Harness
import Reports
import Scenario
import Testing

@Suite("Report outputs")
struct ReportOutputsTests {
    @Test("only the listed formats are written, into one folder per run named after the scenario and its start")
    func writesListedFormats() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-outputs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let start = Date(timeIntervalSince1970: 1_767_268_800) // 2026-01-01T12:00:00Z
        var report = RunReport(scenario: ScenarioInfo(name: "ci-gate"), run: RunInfo(startedAt: start, endedAt: start.addingTimeInterval(5), shard: "2/4"))
        report.judge([GateResult(name: "loss == 0", metric: "loss", threshold: "== 0", observed: 0, observedText: "0", passed: true)])
        let paths = try ReportOutputs.write(report, outputs: OutputSettings(formats: [.json, .junit], directory: directory))
        let folder = directory + "/ci-gate-20260101T120000Z-shard-2-of-4"
        #expect(paths == [folder + "/report.json", folder + "/junit.xml"])
        #expect(try RunReport.read(contentsOfFile: paths[0]).verdict == .passed)
        #expect(!FileManager.default.fileExists(atPath: folder + "/report.html"))
    }
}
