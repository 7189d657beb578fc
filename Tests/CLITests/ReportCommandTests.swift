import Foundation
import Testing

/// `hearth report` and `hearth capacity` as CI runs them: exit codes and output.
@Suite("hearth report and hearth capacity")
struct ReportCommandTests {
    /// A report.json as hearth writes it (schema_version 1), with `stored`
    /// readings in a 10-second measured stage and `lost` of 1,000 lost.
    static func reportJSON(stored: Int, lost: Int = 0) -> String {
        let counts = #"{"sent": 1000, "received": \#(1000 - lost), "stored": \#(stored), "lost": \#(lost), "duplicates": 0, "out_of_order": 0, "evictions": 0, "dead_lettered": []}"#
        return #"""
        {
          "schema_version": 1,
          "scenario": {"name": "ci-gate", "description": "", "summary": "", "seed": 1, "yaml": ""},
          "versions": {"hearth": "0.1.0", "redis": "7.0.15"},
          "run": {"started_at": "2026-01-01T00:00:00.000Z", "ended_at": "2026-01-01T00:00:10.000Z"},
          "stages": [{"name": "constant", "start_seconds": 0, "end_seconds": 10, "measured": true, "planned_rate_per_second": 100, "counts": \#(counts)}],
          "counts": \#(counts),
          "latency": [], "latency_timeline": [],
          "throughput": [{"t": 0, "sent": 100, "received": 100, "stored": 100}],
          "alarms": {"timeline": []},
          "redis": [], "ttl": {"ttl_seconds": 3600, "bucket_upper_bounds": [], "samples": []},
          "lost_latest_keys": {"total": 0, "sensors": []},
          "fernet": [], "processes": [], "gates": [], "verdict": "ungated"
        }
        """#
    }

    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("compare exits 3 on a throughput or loss regression beyond the tolerance, 0 otherwise, 2 for a file that is no report")
    func compareExitCodes() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = try Self.write(Self.reportJSON(stored: 1000), "base.json", in: folder)
        let slower = try Self.write(Self.reportJSON(stored: 800), "slower.json", in: folder)
        let lossy = try Self.write(Self.reportJSON(stored: 1000, lost: 1), "lossy.json", in: folder)
        let garbage = try Self.write("{ not json", "garbage.json", in: folder)

        let regressed = try await HearthProcess.run(["report", "compare", base, slower, "--tolerance", "10%"])
        #expect(regressed.status == 3)
        #expect(regressed.stdout.contains("throughput"))
        #expect(regressed.stdout.contains("REGRESSED"))
        #expect(try await HearthProcess.run(["report", "compare", base, slower, "--tolerance", "25%"]).status == 0)
        #expect(try await HearthProcess.run(["report", "compare", base, lossy, "--tolerance", "50%"]).status == 3)
        #expect(try await HearthProcess.run(["report", "compare", base, base]).status == 0)
        let unreadable = try await HearthProcess.run(["report", "compare", base, garbage])
        #expect(unreadable.status == 2)
        #expect(unreadable.stderr.contains("garbage.json is not a hearth report"))
        #expect(try await HearthProcess.run(["report", "compare", base, folder.appendingPathComponent("missing.json").path]).status == 2)
    }

    @Test("merge adds shard counts and writes JSON, HTML and JUnit")
    func merge() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = try Self.write(Self.reportJSON(stored: 1000), "a.json", in: folder)
        let b = try Self.write(Self.reportJSON(stored: 990, lost: 10), "b.json", in: folder)
        let output = folder.appendingPathComponent("merged.json").path
        let html = folder.appendingPathComponent("merged.html").path
        let junit = folder.appendingPathComponent("merged.xml").path
        let result = try await HearthProcess.run(["report", "merge", a, b, "--output", output, "--html", html, "--junit", junit])
        #expect(result.status == 0)
        #expect(result.stdout.contains("2,000 sent, 1,990 stored, 10 lost"))
        let merged = try String(contentsOfFile: output, encoding: .utf8)
        #expect(merged.contains(#""sent" : 2000"#))
        #expect(FileManager.default.fileExists(atPath: html) && FileManager.default.fileExists(atPath: junit))
    }

    @Test("capacity --verify on an 8 MB Redis: predicted and observed onset of eviction within 5%")
    func capacityVerify() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenario = try Self.write("""
        name: capacity-8mb
        stack:
          redis: { maxmemory: 8mb, maxmemory_policy: allkeys-lru, latest_ttl: 1h }
        estate:
          houses: 3000
          sensors: { fire_co: 1, leak: 1, door_window: 1, motion: 1 }
        load: { rate: 2000/s, duration: 1m }
        """, "capacity.yaml", in: folder)
        let result = try await HearthProcess.run(["capacity", "--scenario", scenario, "--verify"], timeout: 300)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("eviction onset predicted"))
        #expect(result.stdout.contains("within 5%"))
        #expect(result.stdout.contains("does NOT fit"))
        let invalid = try Self.write("name: broken\n", "broken.yaml", in: folder)
        #expect(try await HearthProcess.run(["capacity", "--scenario", invalid]).status == 2)
    }
}
