import Foundation
@testable import Reports
import Testing

@Suite("report.json")
struct ReportJSONTests {
    @Test("a report survives JSON unchanged")
    func roundTrip() throws {
        let report = ReportFixtures.report()
        let decoded = try RunReport.decode(json: report.jsonData())
        #expect(decoded == report)
    }

    @Test("keys are snake_case and carry the schema version")
    func keys() throws {
        let text = String(decoding: try ReportFixtures.report().jsonData(), as: UTF8.self)
        for key in ["\"schema_version\" : 1", "\"latency_timeline\"", "\"to_mqtt\"", "\"p999_ms\"", "\"lost_latest_keys\"",
                    "\"used_memory\"", "\"evicted_per_second\"", "\"dead_lettered\"", "\"redis_run_id\"", "\"verdict\" : \"failed\""] {
            #expect(text.contains(key), "missing \(key)")
        }
        #expect(text.contains("\"started_at\" : \"2025-10-09T08:53:20.250Z\""))
    }

    @Test("the verdict follows the gates")
    func verdict() {
        #expect(ReportFixtures.report().verdict == .failed)
        #expect(ReportFixtures.report(gates: [ReportFixtures.defaultGates[0]]).verdict == .passed)
        #expect(ReportFixtures.report(gates: []).verdict == .ungated)
    }

    @Test("another schema version is refused by name")
    func otherSchema() throws {
        var object = try #require(JSONSerialization.jsonObject(with: ReportFixtures.report().jsonData()) as? [String: Any])
        object["schema_version"] = 99
        let data = try JSONSerialization.data(withJSONObject: object)
        let error = #expect(throws: ReportError.self) { try RunReport.decode(json: data, source: "new.json") }
        #expect(error?.code == .unsupportedSchema)
        #expect(error?.message.contains("new.json has schema_version 99") == true)
    }

    @Test("text that is not a report says which field is wrong", arguments: [
        ("[1, 2]", "no schema_version"),
        (#"{"schema_version": 1, "scenario": {}}"#, "scenario"),
    ])
    func malformed(text: String, hint: String) {
        let error = #expect(throws: ReportError.self) { try RunReport.decode(json: Data(text.utf8)) }
        #expect(error?.code == .malformed)
        #expect(error?.message.contains(hint) == true)
    }

    @Test("throughput over the measured stages is stored readings per measured second")
    func measuredThroughput() {
        let report = ReportFixtures.report(seconds: 20, stored: 600)
        #expect(report.measuredThroughput == 600.0 / 15.0)
    }
}
