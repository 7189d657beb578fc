import ArgumentParser
import Foundation
import Harness
import Reports
import Scenario

/// `hearth report compare|merge|render`: work with `report.json` files after
/// a run. `compare` is the CI regression check (exit 3 when a gate-relevant
/// figure got worse beyond the tolerance); `merge` combines the reports of a
/// sharded run and judges the scenario's gates on the combined figures.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Compare, merge and render run reports (report.json).",
        subcommands: [Compare.self, Merge.self, Render.self]
    )

    struct Compare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the change of every figure; exit 3 if a gate-relevant figure regressed beyond the tolerance.",
            discussion: """
            Gate-relevant figures: end-to-end latency p50/p99/p99.9, loss, duplicates, evictions, throughput and alarm \
            latency. Exit codes: 0 no regression, 2 unreadable input, 3 regression.
            """
        )

        @Argument(help: "The baseline report.json.") var base: String
        @Argument(help: "The new report.json.") var new: String
        @Option(help: "How much worse a figure may get before it counts as a regression, e.g. 10%.")
        var tolerance = "10%"

        func run() async throws {
            guard let fraction = Self.parseTolerance(tolerance) else {
                throw ValidationError("--tolerance must be a percentage such as 10% or 2.5%; got '\(tolerance)'")
            }
            let baseline = try readReport(base)
            let candidate = try readReport(new)
            let comparison = ReportComparison(base: baseline, new: candidate, tolerance: fraction)
            print(comparison.rendered())
            if comparison.hasGateRegression { throw ExitCode.gateFailed }
        }

        /// `10%`, `2.5%` or a bare `10` (percent).
        static func parseTolerance(_ text: String) -> Double? {
            let number = text.hasSuffix("%") ? String(text.dropLast()) : text
            guard let value = Double(number.trimmingCharacters(in: .whitespaces)), value >= 0, value.isFinite else { return nil }
            return value / 100
        }
    }

    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Combine shard reports into one; judge the scenario's gates on the result (exit 3 if one fails).",
            discussion: "Counts add up, histograms merge bucket by bucket, series line up by time."
        )

        @Argument(help: "The shard reports (report.json files).") var reports: [String] = []
        @Option(name: .shortAndLong, help: "Where to write the merged report.json.") var output: String
        @Option(help: "Also write the merged report as HTML here.") var html: String?
        @Option(help: "Also write the merged gates as JUnit XML here.") var junit: String?

        func run() async throws {
            guard !reports.isEmpty else { throw ValidationError("give the shard reports to merge, e.g. hearth report merge shard-*.json --output merged.json") }
            let shards = try reports.map(readReport)
            var merged: RunReport
            do {
                merged = try ReportMerger.merge(shards, sources: reports)
            } catch {
                printError(error.message)
                throw ExitCode.badInput
            }
            judgeAgainstEmbeddedScenario(&merged)
            try writeReports(merged, json: output, html: html, junit: junit)
            let counts = merged.counts
            print("merged \(shards.count) reports into \(output): \(Format.count(counts.sent)) sent, \(Format.count(counts.stored)) stored, \(Format.count(counts.lost)) lost")
            for gate in merged.gates { print(gate.line) }
            if merged.verdict == .failed { throw ExitCode.gateFailed }
        }

        /// The report carries its scenario's YAML; its gates judge the merged figures.
        private func judgeAgainstEmbeddedScenario(_ report: inout RunReport) {
            guard !report.scenario.yaml.isEmpty else { return }
            do {
                let scenario = try Scenario.parse(yaml: report.scenario.yaml, file: report.scenario.file ?? "<report scenario>")
                report.judge(GateEvaluator.evaluate(scenario.gates, against: report, scenarioFile: report.scenario.file))
            } catch {
                printError("the reports' embedded scenario no longer parses, so gates were not judged: \(error.diagnostics.first.map { "\($0)" } ?? "")")
            }
        }
    }

    struct Render: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write report.html and/or junit.xml from a report.json.")

        @Argument(help: "The report.json.") var report: String
        @Option(help: "Write the HTML report here.") var html: String?
        @Option(help: "Write the JUnit XML here.") var junit: String?

        func run() async throws {
            guard html != nil || junit != nil else { throw ValidationError("say what to write: --html PATH, --junit PATH or both") }
            try writeReports(try readReport(report), json: nil, html: html, junit: junit)
        }
    }
}

/// Reads a report; an unreadable or foreign file is bad input (exit 2).
private func readReport(_ path: String) throws -> RunReport {
    do {
        return try RunReport.read(contentsOfFile: path)
    } catch {
        printError(error.message)
        throw ExitCode.badInput
    }
}

private func writeReports(_ report: RunReport, json: String?, html: String?, junit: String?) throws {
    do {
        if let json { try report.writeJSON(to: json) }
        if let html { try HTMLReport.write(report, to: html) }
        if let junit { try JUnitReport.write(report, to: junit) }
    } catch {
        printError(error.message)
        throw ExitCode.runtimeError
    }
}
