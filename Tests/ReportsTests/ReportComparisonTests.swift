@testable import Reports
import Testing

@Suite("hearth report compare")
struct ReportComparisonTests {
    @Test("a latency rise beyond the tolerance is a gate regression")
    func latencyRegression() throws {
        let comparison = ReportComparison(base: ReportFixtures.report(), new: ReportFixtures.report(scale: 1.5), tolerance: 0.10)
        #expect(comparison.hasGateRegression)
        let p99 = try #require(comparison.rows.first { $0.name == "latency end_to_end p99 (measured, all kinds)" })
        #expect(p99.verdict == .regressed)
        #expect(p99.gateRelevant)
        #expect(abs((p99.change ?? 0) - 0.5) < 0.01)
        #expect(comparison.rendered().contains("REGRESSED"))
        let warmUp = try #require(comparison.rows.first { $0.name == "latency end_to_end p99 (stage warm_up, all kinds)" })
        #expect(warmUp.verdict == .regressed)
        #expect(!warmUp.gateRelevant)
    }

    @Test("changes within the tolerance pass, and so do improvements")
    func withinTolerance() {
        #expect(!ReportComparison(base: ReportFixtures.report(), new: ReportFixtures.report(scale: 1.05), tolerance: 0.10).hasGateRegression)
        let faster = ReportComparison(base: ReportFixtures.report(), new: ReportFixtures.report(scale: 0.5), tolerance: 0.10)
        #expect(!faster.hasGateRegression)
        #expect(faster.rows.contains { $0.verdict == .improved })
        #expect(faster.rendered().contains("no gate-relevant figure regressed beyond 10%"))
    }

    @Test("the first lost message is a regression from a baseline of zero, whatever the tolerance")
    func lossFromZero() throws {
        let comparison = ReportComparison(base: ReportFixtures.report(lost: 0), new: ReportFixtures.report(lost: 1), tolerance: 5)
        let lost = try #require(comparison.rows.first { $0.name == "lost" })
        #expect(lost.verdict == .regressed)
        #expect(comparison.hasGateRegression)
    }

    @Test("a throughput fall is a regression; a rise is not")
    func throughput() throws {
        let slower = ReportComparison(base: ReportFixtures.report(stored: 750), new: ReportFixtures.report(stored: 600), tolerance: 0.10)
        #expect(try #require(slower.rows.first { $0.name == "throughput" }).verdict == .regressed)
        let faster = ReportComparison(base: ReportFixtures.report(stored: 600), new: ReportFixtures.report(stored: 750), tolerance: 0.10)
        #expect(try #require(faster.rows.first { $0.name == "throughput" }).verdict == .improved)
        #expect(!faster.hasGateRegression)
    }

    @Test("neutral figures never regress; non-gate figures do not decide the exit code")
    func neutral() {
        let comparison = ReportComparison(base: ReportFixtures.report(), new: ReportFixtures.report(), tolerance: 0)
        #expect(comparison.rows.allSatisfy { $0.verdict == .unchanged })
        #expect(!comparison.hasGateRegression)
        #expect(comparison.rows.contains { !$0.gateRelevant })
    }

    @Test("different scenarios and server versions are called out")
    func warnings() {
        var new = ReportFixtures.report(name: "smoke")
        new.versions.redis = "7.2.4"
        let comparison = ReportComparison(base: ReportFixtures.report(), new: new, tolerance: 0.1)
        #expect(comparison.warnings.contains { $0.contains("different scenarios") })
        #expect(comparison.warnings.contains { $0.contains("redis changed from 7.0.15 to 7.2.4") })
    }
}
