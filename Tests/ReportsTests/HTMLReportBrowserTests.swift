import Foundation
@testable import Reports
import Testing

/// The Debian package's browser, if installed.
let chromiumPath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// Opens report.html in headless Chromium (the Debian `chromium` package,
/// which scripts/install-deps.sh installs) and reads back the DOM: the page's
/// script sets `data-charts-ready` only after drawing every chart, so a
/// script error or a chart without data shows up as a smaller number.
@Suite("report.html in headless Chromium", .serialized, .enabled(if: chromiumPath != nil, "chromium is not installed (scripts/install-deps.sh installs it)"))
struct HTMLReportBrowserTests {
    @Test("the page runs its script without errors and draws every chart")
    func chartsDrawn() async throws {
        let report = ReportFixtures.report()
        let expected = ChartSpec.charts(for: report).count
        let dom = try await Self.renderedDOM(HTMLReport.html(for: report))
        #expect(dom.contains(#"data-charts-ready="\#(expected)""#), "the script did not draw all \(expected) charts")
        #expect(dom.contains("✘ FAILED: at least one gate did not hold"))
    }

    @Test("a report without series loads too, with zero charts")
    func emptyReport() async throws {
        let report = RunReport(scenario: ScenarioInfo(name: "idle"), run: RunInfo(startedAt: ReportFixtures.start, endedAt: ReportFixtures.start))
        let dom = try await Self.renderedDOM(HTMLReport.html(for: report))
        #expect(dom.contains(#"data-charts-ready="0""#))
        #expect(dom.contains("NO GATES"))
    }

    /// Writes the page to a temporary file and returns Chromium's DOM after
    /// load. Waits by polling, so no cooperative thread blocks on the browser.
    static func renderedDOM(_ html: String, timeout: Duration = .seconds(60)) async throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("report.html")
        let dump = directory.appendingPathComponent("dom.html")
        try html.write(to: page, atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: dump.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromiumPath!)
        process.arguments = ["--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-dev-shm-usage",
                             "--user-data-dir=\(directory.path)/profile", "--dump-dom", page.absoluteString]
        process.standardOutput = try FileHandle(forWritingTo: dump)
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            // SIGTERM at the deadline, SIGKILL ten seconds on: a hung browser fails the test, not the run.
            if ContinuousClock.now > deadline + .seconds(10) {
                kill(process.processIdentifier, SIGKILL)
            } else if ContinuousClock.now > deadline {
                process.terminate()
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try String(contentsOf: dump, encoding: .utf8)
    }
}
