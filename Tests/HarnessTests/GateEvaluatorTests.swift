import Foundation
@testable import Harness
import Reports
import Scenario
import Testing

@Suite("Gate evaluation")
struct GateEvaluatorTests {
    /// 15 measured seconds, 750 sent, 3 lost, 40 evictions, p99 about 21 ms.
    static func report(alarms: Bool = false) -> RunReport {
        var latency = LatencyHistogram.latency()
        for index in 0 ..< 1000 { latency.recordLatency(nanoseconds: Int64(index < 985 ? 2_000_000 : 21_000_000)) }
        let start = Date(timeIntervalSince1970: 1_760_000_000)
        var alarmReport = AlarmReport()
        if alarms {
            var toMQTT = LatencyHistogram.latency()
            toMQTT.recordLatency(nanoseconds: 120_000_000)
            alarmReport.toMQTT = LatencyRecord(span: .endToEnd, histogram: toMQTT)
        }
        let counts = MessageCounts(sent: 750, received: 747, stored: 747, lost: 3, duplicates: 0, evictions: 40)
        return RunReport(
            scenario: ScenarioInfo(name: "gates"),
            run: RunInfo(startedAt: start, endedAt: start.addingTimeInterval(20)),
            stages: [
                StageSummary(name: "warm_up", startSeconds: 0, endSeconds: 5, measured: false),
                StageSummary(name: "peak", startSeconds: 5, endSeconds: 20, measured: true, counts: counts),
            ],
            counts: counts,
            latency: [LatencyRecord(span: .endToEnd, histogram: latency), LatencyRecord(span: .endToEnd, stage: "peak", histogram: latency)],
            alarms: alarmReport
        )
    }

    static let yaml = """
    name: gates
    estate: { houses: 10, sensors: { fire_co: 1 } }
    load:
      rate: 50/s
      stages:
        - warm_up: 5s
        - constant: 15s
          name: peak
          gates: { p99_latency: "< 10ms" }
    gates:
      p99_latency: "< 50ms"
      p50_latency: "< 1ms"
      loss: "< 0.1%"
      duplicates: "== 0"
      evictions: "== 0"
      throughput: ">= 45/s"
      alarm_latency: "< 1s"
    """

    @Test("each gate reports observed against threshold, and passes or fails on the figure")
    func judged() throws {
        let scenario = try Scenario.parse(yaml: Self.yaml, file: "gates.yaml")
        let results = GateEvaluator.evaluate(scenario.gates, against: Self.report(), scenarioFile: "gates.yaml")
        let byName = Dictionary(results.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(results.count == 8)

        let p99 = try #require(byName["p99_latency < 50ms"])
        #expect(p99.passed)
        #expect(p99.observedText == "21ms")
        #expect(abs((p99.observed ?? 0) - 0.021) < 0.0001)
        #expect(p99.location?.hasPrefix("gates.yaml:") == true)

        let p50 = try #require(byName["p50_latency < 1ms"])
        #expect(!p50.passed)
        #expect(p50.observedText == "2ms")

        let loss = try #require(byName["loss < 0.1%"])
        #expect(!loss.passed)
        #expect(abs((loss.observed ?? 0) - 0.004) < 1e-9)
        #expect(loss.observedText == "3 (0.4% of 750 sent)")

        #expect(byName["duplicates == 0"]?.passed == true)
        #expect(byName["evictions == 0"]?.passed == false)
        #expect(byName["throughput >= 45/s"]?.passed == true)
        #expect(byName["throughput >= 45/s"]?.observedText == "49.8/s")
        #expect(byName["p99_latency < 10ms (stage peak)"]?.passed == false)
        #expect(byName["p99_latency < 10ms (stage peak)"]?.observedText == "21ms")
    }

    @Test("a gate with nothing to judge fails with a note instead of passing silently")
    func unmeasured() throws {
        let scenario = try Scenario.parse(yaml: Self.yaml, file: "gates.yaml")
        let alarm = try #require(GateEvaluator.evaluate(scenario.gates, against: Self.report()).first { $0.metric == "alarm_latency" })
        #expect(!alarm.passed)
        #expect(alarm.observed == nil)
        #expect(alarm.note?.contains("no alarm reached MQTT") == true)

        let withAlarms = try #require(GateEvaluator.evaluate(scenario.gates, against: Self.report(alarms: true)).first { $0.metric == "alarm_latency" })
        #expect(withAlarms.passed)
        #expect(withAlarms.observedText == "120ms (p99)")

        let missingStage = Gate(metric: .p99Latency, comparison: .lessThan, threshold: .duration(.milliseconds(50)), stage: "nowhere")
        let result = GateEvaluator.evaluate(missingStage, against: Self.report())
        #expect(!result.passed)
        #expect(result.note?.contains("stage nowhere") == true)
    }

    @Test("the verdict a report gets from the results drives exit code 3")
    func verdict() throws {
        let scenario = try Scenario.parse(yaml: Self.yaml)
        var report = Self.report()
        report.judge(GateEvaluator.evaluate(scenario.gates, against: report))
        #expect(report.verdict == .failed)
        report.judge(GateEvaluator.evaluate(scenario.gates.filter { $0.metric == .p99Latency && $0.stage == nil }, against: report))
        #expect(report.verdict == .passed)
    }
}
