import Foundation
import Testing

/// A sharded run as docker/kubernetes/load runs it: one stack, one external
/// subscriber (`hearth subscribe`), two `hearth run --shard i/2 --subscriber
/// external` processes at once, then `hearth report merge`.
@Suite("hearth run --shard", .serialized)
struct ShardedRunTests {
    @Test("two shards against one stack and one subscriber: each sends its houses, the merge adds up to the whole scenario with nothing lost")
    func twoShards() async throws {
        let folder = try ReportCommandTests.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let up = try HearthProcess(["stack", "up"])
        defer { up.process.interrupt() }
        try #require(await up.waitForOutput("Press Ctrl-C"), "stdout: \(up.stdout) stderr: \(up.stderr)")
        var urls: [String: String] = [:]
        for line in up.stdout.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count == 2, ["mqtt", "redis", "postgres"].contains(String(fields[0])) { urls[String(fields[0])] = String(fields[1]) }
        }
        try #require(urls.count == 3, "stack up printed: \(up.stdout)")
        let servers = ["--mqtt", urls["mqtt"]!, "--redis", urls["redis"]!, "--postgres", urls["postgres"]!]
        let keys = folder.appendingPathComponent("keys").path
        for owner in 1 ... 2 {
            let generated = try await HearthProcess.run(["keys", "generate", "--owner", "\(owner)", "--dir", keys])
            try #require(generated.status == 0, "keys: \(generated.stderr)")
        }
        let subscriber = try HearthProcess(["subscribe"] + servers + ["--keys", keys, "--state-dir", folder.appendingPathComponent("state").path])
        defer { subscriber.process.interrupt() }
        let deadline = Date().addingTimeInterval(60)
        while !subscriber.stderr.contains("subscriber ready") && subscriber.process.isRunning && Date() < deadline {
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        try #require(subscriber.stderr.contains("subscriber ready"), "subscribe: \(subscriber.stderr)")

        let scenario = try ReportCommandTests.write("""
            version: 1
            name: sharded
            estate: { houses: 10, owners: 2, sensors: { thermostat: 1, fire_co: 1, leak: 1 } }
            load: { rate: 150/s, duration: 4s, qos: 1 }
            gates:
              loss: "== 0"
            outputs:
              formats: [json]
            """, "sharded.yaml", in: folder)
        let shards = try (0 ..< 2).map { index in
            try HearthProcess(["run", scenario, "--shard", "\(index)/2", "--subscriber", "external", "--keys", keys,
                               "--output", folder.appendingPathComponent("shard-\(index)").path, "--progress", "none"] + servers)
        }
        var reports: [String] = []
        for (index, shard) in shards.enumerated() {
            let status = await shard.exitStatus(timeout: 120)
            #expect(status == 0, "shard \(index): \(shard.stdout)\n\(shard.stderr)")
            let report = try RunCommandTests.reportFolder(in: folder.appendingPathComponent("shard-\(index)")).appendingPathComponent("report.json")
            let json = try RunCommandTests.json(report)
            #expect((json["run"] as? [String: Any])?["shard"] as? String == "\(index)/2")
            let counts = try #require(json["counts"] as? [String: Any])
            #expect(counts["lost"] as? Int == 0)
            // Shard 0 has houses 1, 3, 5, 7, 9: half of the 600 readings.
            #expect((counts["sent"] as? Int).map { (250 ... 350).contains($0) } == true, "shard \(index) sent \(String(describing: counts["sent"]))")
            reports.append(report.path)
        }
        let merged = folder.appendingPathComponent("merged.json").path
        let merge = try await HearthProcess.run(["report", "merge"] + reports + ["--output", merged])
        #expect(merge.status == 0, "merge: \(merge.stdout) \(merge.stderr)")
        let counts = try #require(try RunCommandTests.json(URL(fileURLWithPath: merged))["counts"] as? [String: Any])
        #expect(counts["sent"] as? Int == 600)
        #expect(counts["lost"] as? Int == 0)
    }
}
