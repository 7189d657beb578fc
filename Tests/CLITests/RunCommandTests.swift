import Foundation
import Testing

/// `hearth run` as a user and a CI job run it: a real run of smoke.yaml on
/// the embedded stack, a gate that cannot hold, and a broken scenario.
@Suite("hearth run", .serialized)
struct RunCommandTests {
    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scenarios")

    /// The one report folder a run wrote under `output`.
    static func reportFolder(in output: URL) throws -> URL {
        let folders = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { !$0.hasPrefix(".") }
        try #require(folders.count == 1, "expected one report folder, found \(folders)")
        return output.appendingPathComponent(folders[0])
    }

    static func json(_ url: URL) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    @Test("smoke.yaml runs on the embedded stack: exit 0, a report that parses, counts that add up, gates that pass")
    func smokeRun() async throws {
        let output = try ReportCommandTests.folder()
        let result = try await HearthProcess.run(
            ["run", Self.scenarios.appendingPathComponent("smoke.yaml").path, "--output", output.path, "--progress", "plain"],
            timeout: 180
        )
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(result.stdout.contains("PASSED"))
        let folder = try Self.reportFolder(in: output)
        let report = try Self.json(folder.appendingPathComponent("report.json"))
        #expect(report["schema_version"] as? Int == 1)
        #expect(report["verdict"] as? String == "passed")
        let counts = try #require(report["counts"] as? [String: Any])
        let sent = try #require(counts["sent"] as? Int)
        let received = try #require(counts["received"] as? Int)
        let lost = try #require(counts["lost"] as? Int)
        let duplicates = try #require(counts["duplicates"] as? Int)
        #expect(sent > 400)
        // Every reading sent was either received once or lost.
        #expect(sent == received - duplicates + lost)
        #expect(lost == 0)
        let gates = try #require(report["gates"] as? [[String: Any]])
        #expect(gates.count == 5)
        #expect(gates.allSatisfy { $0["passed"] as? Bool == true })
        // Latency from the intended time and from the actual send, per stage and kind.
        let latency = try #require(report["latency"] as? [[String: Any]])
        let spans = Set(latency.compactMap { $0["span"] as? String })
        #expect(spans.isSuperset(of: ["intended_to_sent", "sent_to_received", "received_to_stored", "end_to_end", "end_to_end_uncorrected"]))
        #expect(latency.contains { $0["kind"] as? String == "leak" && $0["stage"] as? String == "constant" })
        // The leak alarm reached PostgreSQL and MQTT, and was timed.
        let alarms = try #require(report["alarms"] as? [String: Any])
        let timeline = try #require(alarms["timeline"] as? [[String: Any]])
        #expect(timeline.contains { $0["alarm"] as? String == "leak" && $0["mqtt_ms"] is Double && $0["postgres_ms"] is Double })
        // …and is traced to the scenario event that set it off.
        #expect(timeline.contains { $0["cause"] as? String == "leak_start at 1s" && ($0["since_cause_seconds"] as? Double ?? 0) > 0 })
        // Redis was sampled, Fernet measured, the processes watched.
        #expect((report["redis"] as? [Any])?.isEmpty == false)
        #expect((report["fernet"] as? [[String: Any]])?.count == 6)
        let processes = try #require(report["processes"] as? [[String: Any]])
        #expect(Set(processes.compactMap { $0["name"] as? String }).isSuperset(of: ["harness", "redis", "mqtt", "postgres"]))
        let junit = try String(contentsOf: folder.appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(junit.contains("<testcase") && !junit.contains("<failure"))
        try? FileManager.default.removeItem(at: output)
    }

    @Test("a gate that cannot hold makes the run exit 3, and junit.xml shows the failure")
    func impossibleGate() async throws {
        let output = try ReportCommandTests.folder()
        let scenario = try ReportCommandTests.write("""
            version: 1
            name: impossible
            estate: { houses: 2, owners: 1, sensors: { thermostat: 1, motion: 1 } }
            load:
              rate: 50/s
              duration: 3s
            gates:
              loss: "== 0"
              p50_latency: "< 0.001ms"
            outputs:
              formats: [json, junit]
            """, "impossible.yaml", in: FileManager.default.temporaryDirectory)
        let result = try await HearthProcess.run(["run", scenario, "--output", output.path, "--progress", "none"], timeout: 180)
        #expect(result.status == 3, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(result.stdout.contains("FAIL  p50_latency"))
        let folder = try Self.reportFolder(in: output)
        let junit = try String(contentsOf: folder.appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(junit.contains("<failure"))
        #expect(junit.contains("p50_latency"))
        let report = try Self.json(folder.appendingPathComponent("report.json"))
        #expect(report["verdict"] as? String == "failed")
        try? FileManager.default.removeItem(at: output)
    }

    @Test("a broken scenario exits 2 with its file, line and column, before any server starts")
    func brokenScenario() async throws {
        let folder = try ReportCommandTests.folder()
        let scenario = try ReportCommandTests.write("""
            version: 1
            name: broken
            estate: { houses: 2, sensors: { thermostat: 1 } }
            load:
              rate: fast
              duration: 3s
            """, "broken.yaml", in: folder)
        let result = try await HearthProcess.run(["run", scenario, "--progress", "none"], timeout: 60)
        #expect(result.status == 2)
        #expect(result.stderr.contains("broken.yaml:5:"))
        try? FileManager.default.removeItem(at: folder)
    }

    @Test("a fault on a server the run does not own is refused with exit 2")
    func faultOnExternalServer() async throws {
        let folder = try ReportCommandTests.folder()
        let scenario = try ReportCommandTests.write("""
            version: 1
            name: fault-outside
            stack: { redis: { url: "redis://127.0.0.1:1" } }
            estate: { houses: 2, sensors: { thermostat: 1 } }
            load: { rate: 10/s, duration: 3s }
            events:
              - { at: 1s, event: redis_restart }
            """, "fault.yaml", in: folder)
        let result = try await HearthProcess.run(["run", scenario, "--progress", "none"], timeout: 60)
        #expect(result.status == 2, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("redis_restart"))
        try? FileManager.default.removeItem(at: folder)
    }

    @Test("a broker restart, a Redis restart and a subscriber restart during a QoS 1 run lose nothing")
    func faultsLoseNothing() async throws {
        let output = try ReportCommandTests.folder()
        let scenario = try ReportCommandTests.write("""
            version: 1
            name: faults
            estate: { houses: 10, owners: 2, sensors: { thermostat: 1, fire_co: 1, leak: 1 } }
            load: { rate: 200/s, duration: 8s, qos: 1 }
            events:
              - { at: 2s, event: broker_restart }
              - { at: 4s, event: redis_restart }
              - { at: 5s, event: subscriber_restart }
            gates:
              loss: "== 0"
            outputs:
              formats: [json, html]
            """, "faults-\(UUID().uuidString).yaml", in: FileManager.default.temporaryDirectory)
        let result = try await HearthProcess.run(["run", scenario, "--output", output.path, "--progress", "none"], timeout: 180)
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        let folder = try Self.reportFolder(in: output)
        let report = try Self.json(folder.appendingPathComponent("report.json"))
        let counts = try #require(report["counts"] as? [String: Any])
        #expect(counts["lost"] as? Int == 0)
        #expect((counts["sent"] as? Int ?? 0) >= 1500)
        // The HTML report of this run loads in a real browser without a
        // console message, and draws its charts (throughput, latency, Redis
        // memory, churn, TTL, CPU, memory) from the run's data.
        let page = try HeadlessChromium.load(folder.appendingPathComponent("report.html"))
        #expect(page.console.isEmpty, "console: \(page.console)")
        let ready = page.dom.firstMatch(of: #/data-charts-ready="(\d+)"/#).flatMap { Int($0.1) }
        #expect((ready ?? 0) >= 6, "charts drawn: \(String(describing: ready))")
        #expect(page.dom.contains("PASSED"))
        #expect(page.dom.contains("fault broker_restart at 2s: done"), "the report's notes say which faults were injected")
        let notes = try #require((report["run"] as? [String: Any])?["notes"] as? [String])
        for fault in ["broker_restart", "redis_restart", "subscriber_restart"] {
            #expect(notes.contains("fault \(fault) at \(fault == "broker_restart" ? 2 : fault == "redis_restart" ? 4 : 5)s: done"), "notes: \(notes)")
        }
        try? FileManager.default.removeItem(at: output)
    }

    @Test("Ctrl-C stops the load, writes a partial report marked interrupted, and leaves no server behind")
    func interrupt() async throws {
        let output = try ReportCommandTests.folder()
        let scenario = try ReportCommandTests.write("""
            version: 1
            name: interrupted
            estate: { houses: 4, sensors: { thermostat: 1, motion: 1 } }
            load: { rate: 50/s, duration: 10m }
            outputs:
              formats: [json, junit]
            """, "interrupted-\(UUID().uuidString).yaml", in: FileManager.default.temporaryDirectory)
        let hearth = try HearthProcess(["run", scenario, "--output", output.path, "--progress", "plain"])
        #expect(await hearth.waitForOutput("[constant]", timeout: 120))
        let pid = hearth.process.processIdentifier
        let children = Self.descendants(of: pid)
        #expect(!children.isEmpty, "the embedded servers run as children of hearth")
        kill(pid, SIGINT)
        let status = await hearth.exitStatus(timeout: 90)
        #expect(status == 0, "stdout: \(hearth.stdout)\nstderr: \(hearth.stderr)")
        #expect(hearth.stdout.contains("interrupted"))
        let report = try Self.json(Self.reportFolder(in: output).appendingPathComponent("report.json"))
        let run = try #require(report["run"] as? [String: Any])
        #expect(run["interrupted"] as? Bool == true)
        let counts = try #require(report["counts"] as? [String: Any])
        #expect((counts["sent"] as? Int ?? 0) > 0)
        #expect(counts["lost"] as? Int == 0)
        for child in children { #expect(kill(child, 0) != 0, "process \(child) outlived the run") }
        try? FileManager.default.removeItem(at: output)
    }

    /// Every process below `pid`, from /proc.
    static func descendants(of pid: Int32) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var parents: [Int32: Int32] = [:]
        for entry in entries {
            guard let child = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = Int32(fields[1]) { parents[child] = parent }
        }
        var found: [Int32] = []
        var frontier = [pid]
        while let next = frontier.popLast() {
            let children = parents.filter { $0.value == next }.map(\.key)
            found += children
            frontier += children
        }
        return found
    }

    @Test("a scenario with tls: true runs over MQTT with TLS, every client verifying the embedded broker's CA")
    func tlsRun() async throws {
        let output = try ReportCommandTests.folder()
        let scenario = try ReportCommandTests.write("""
            version: 1
            name: tls
            stack: { tls: true }
            estate: { houses: 2, sensors: { thermostat: 1, leak: 1 } }
            load: { rate: 40/s, duration: 3s, qos: 1 }
            events:
              - { at: 0.5s, event: leak_start, houses: all }
            gates:
              loss: "== 0"
            outputs:
              formats: [json]
            """, "tls-\(UUID().uuidString).yaml", in: FileManager.default.temporaryDirectory)
        let result = try await HearthProcess.run(["run", scenario, "--output", output.path, "--progress", "none"], timeout: 180)
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        let report = try Self.json(Self.reportFolder(in: output).appendingPathComponent("report.json"))
        let counts = try #require(report["counts"] as? [String: Any])
        #expect((counts["sent"] as? Int ?? 0) >= 100)
        #expect(counts["lost"] as? Int == 0)
        #expect((report["versions"] as? [String: Any])?["mosquitto"] is String, "the version probe reached the broker over TLS")
        try? FileManager.default.removeItem(at: output)
    }

    @Test("a scenario with the dashboard on serves the API beside the run, and GET /run shows the run in progress")
    func dashboardBesideTheRun() async throws {
        let output = try ReportCommandTests.folder()
        defer { try? FileManager.default.removeItem(at: output) }
        let scenario = try ReportCommandTests.write("""
            version: 1
            name: dash-run
            estate: { houses: 3, sensors: { thermostat: 1, fire_co: 1 } }
            load: { rate: 20/s, duration: 8s }
            api: { port: 0 }
            dashboard: true
            outputs: { formats: [json] }
            """, "dash-\(UUID().uuidString).yaml", in: FileManager.default.temporaryDirectory)
        var environment = ProcessInfo.processInfo.environment
        environment["HEARTH_ADMIN_EMAIL"] = "admin@hearth.test"
        environment["HEARTH_ADMIN_PASSWORD"] = "correct horse battery staple"
        let run = try HearthProcess(["run", scenario, "--output", output.path, "--progress", "plain"], environment: environment)
        try #require(await run.waitForOutput("live dashboard: http://", timeout: 120), "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        let address = try #require(run.stdout.firstMatch(of: #/live dashboard: (http://[0-9.]+:[0-9]+)/#).map { String($0.1) })
        try #require(await run.waitForOutput("[constant]", timeout: 30))
        let body = try await ProcessOutput.run("/usr/bin/python3", [
            "-c", """
            import json, sys, urllib.request
            base = sys.argv[1]
            request = urllib.request.Request(base + "/auth/token", method="POST", headers={"content-type": "application/json"},
                data=json.dumps({"email": "admin@hearth.test", "password": "correct horse battery staple"}).encode())
            token = json.load(urllib.request.urlopen(request, timeout=10))["access_token"]
            run = urllib.request.Request(base + "/run", headers={"authorization": "Bearer " + token})
            page = urllib.request.urlopen(base + "/dashboard/run.html", timeout=10).read().decode()
            print(json.dumps({"run": json.load(urllib.request.urlopen(run, timeout=10)), "page": "<html" in page.lower()}))
            """, address,
        ])
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], "python said: \(body)")
        let progress = try #require(answer["run"] as? [String: Any])
        #expect(progress["in_progress"] as? Bool == true)
        #expect((progress["snapshot"] as? [String: Any])?["scenario"] as? String == "dash-run")
        #expect(answer["page"] as? Bool == true)
        #expect(await run.exitStatus(timeout: 120) == 0, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
    }
}
