import Testing
@testable import Scenario

@Suite("Gates")
struct GateTests {
    private func gates(_ body: String) throws -> [Gate] {
        try Fixture.scenario(Fixture.minimal(plus: "gates:\n" + body)).gates
    }

    @Test("each metric reads its kind of threshold")
    func thresholds() throws {
        let list = try gates("""
              p50_latency: "< 5ms"
              p99_latency: "<= 50ms"
              p999_latency: "< 1.5s"
              loss: "< 0.1%"
              duplicates: "== 0"
              evictions: "== 0"
              throughput: ">= 90/s"
              alarm_latency: "< 2s"
            """)
        #expect(list.map(\.description) == [
            "p50_latency < 5ms", "p99_latency <= 50ms", "p999_latency < 1.5s", "loss < 0.1%",
            "duplicates == 0", "evictions == 0", "throughput >= 90/s", "alarm_latency < 2s",
        ])
        #expect(list[0].threshold == .duration(.milliseconds(5)))
        #expect(list[3].threshold == .fraction(0.001))
        #expect(list[6].threshold == .rate(90))
        #expect(list.allSatisfy { $0.stage == nil })
        #expect(list[1].location == SourceLocation(line: 10, column: 16))
    }

    @Test("measurements pass or fail in the threshold's base unit")
    func evaluation() {
        let latency = Gate(metric: .p99Latency, comparison: .lessThan, threshold: .duration(.milliseconds(50)))
        #expect(latency.isSatisfied(by: 0.049))
        #expect(!latency.isSatisfied(by: 0.05))
        let loss = Gate(metric: .loss, comparison: .equal, threshold: .count(0))
        #expect(loss.isSatisfied(by: 0))
        #expect(!loss.isSatisfied(by: 1))
        let share = Gate(metric: .loss, comparison: .lessThan, threshold: .fraction(0.001))
        #expect(share.isSatisfied(by: 0.0005))
        let throughput = Gate(metric: .throughput, comparison: .atLeast, threshold: .rate(9000))
        #expect(throughput.isSatisfied(by: 9000))
        #expect(!throughput.isSatisfied(by: 8999.9))
        #expect(Gate.Comparison.greaterThan.holds(2, 1) && Gate.Comparison.atMost.holds(1, 1))
    }

    @Test("per-stage gates belong to their stage")
    func perStage() throws {
        let scenario = try Fixture.scenario(Fixture.document(load: """

              rate: 100/s
              stages:
                - warm_up: 5s
                - constant: 30s
                  name: steady
                  gates: { p99_latency: "< 20ms" }
                - spike: 30s
                  peak: 500/s
                  gates: { throughput: ">= 400/s" }
            """))
        #expect(scenario.gates(forStage: "steady").map(\.description) == ["p99_latency < 20ms (stage steady)"])
        #expect(scenario.gates(forStage: "spike").count == 1)
        #expect(scenario.runGates.isEmpty)
    }

    @Test("mistakes in gates", arguments: [
        ("  p99_latency: \"50ms\"", "must start with <, <=, ==, >= or >"),
        ("  loss: \"= 0\"", "(write == for equals)"),
        ("  loss: \"< 0\"", "can never pass"),
        ("  loss: \"< 150%\"", "a share from 0% to 100%"),
        ("  evictions: \"< 1%\"", "must compare with a count like \"== 0\""),
        ("  p99_latency: \"< 5 parsecs\"", "not a time unit"),
        ("  p99_latency: \"< 2h\"", "a time from 1ns to 1h"),
        ("  throughput: \">= 5/s per sensor\"", "a total rate above 0"),
        ("  throughput: \">= 5000/s\"", "can never pass: the measured stages plan at most 100/s"),
        ("  thruput: \">= 5/s\"", "unknown key 'thruput' in gates"),
        ("  p99_latency: [1]", "must be a condition like \"< 50ms\"; got a list"),
    ])
    func mistakes(body: String, fragment: String) {
        let messages = Fixture.messages(Fixture.minimal(plus: "gates:\n" + body))
        #expect(messages.anyContains(fragment), "\(messages)")
    }
}
