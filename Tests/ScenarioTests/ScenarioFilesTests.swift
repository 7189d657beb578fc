import Foundation
import Testing
@testable import Scenario
import SensorKit

/// The ready-made scenarios are documentation that runs: each must load,
/// say what it shows, and keep the promises its name makes.
@Suite("Ready-made scenarios")
struct ScenarioFilesTests {
    static let expectedFiles = [
        "smoke.yaml", "fire-alarm-demo.yaml", "capacity-256mb.yaml", "ramp-to-saturation.yaml",
        "soak-1h.yaml", "ci-gate.yaml", "seed-replica.yaml",
    ]

    static var allFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Fixture.scenariosFolder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    private func load(_ name: String) throws -> Scenario {
        try Scenario.load(contentsOfFile: Fixture.scenariosFolder.appendingPathComponent(name).path)
    }

    @Test func everyExpectedFileIsThere() {
        #expect(Set(Self.expectedFiles).isSubset(of: Set(Self.allFiles)), "\(Self.allFiles)")
    }

    @Test("validates, and opens with a comment saying what it shows", arguments: ScenarioFilesTests.allFiles)
    func validates(name: String) throws {
        let scenario = try load(name)
        #expect(scenario.name + ".yaml" == name)
        let text = try String(contentsOf: Fixture.scenariosFolder.appendingPathComponent(name), encoding: .utf8)
        let comment = text.split(separator: "\n").prefix { $0.hasPrefix("#") }
        #expect(comment.count >= 4, "the file should open with a comment block")
        #expect(comment.contains { $0.contains("What it shows") })
    }

    @Test("shows back as YAML that loads to the same scenario", arguments: ScenarioFilesTests.allFiles)
    func roundTrips(name: String) throws {
        let scenario = try load(name)
        let rendered = scenario.resolvedYAML
        let again = try Scenario.parse(yaml: rendered, file: "rendered-\(name)")
        #expect(again.resolvedYAML == rendered)
        #expect(again.estate == scenario.estate)
        #expect(again.load == scenario.load)
        #expect(again.stack == scenario.stack)
        #expect(again.events.map(\.action) == scenario.events.map(\.action))
        #expect(again.gates.map(\.description) == scenario.gates.map(\.description))
    }

    @Test func smokeIsShortAndSmall() throws {
        let smoke = try load("smoke.yaml")
        #expect(smoke.duration <= .seconds(10))
        #expect(smoke.estate.houseCount <= 10)
        #expect(!smoke.runGates.isEmpty)
        #expect(smoke.stack.isFullyEmbedded)
    }

    @Test func fireAlarmDemoHasAFireALeakAndTheDashboard() throws {
        let demo = try load("fire-alarm-demo.yaml")
        #expect(demo.events.contains { $0.name == "fire_start" })
        #expect(demo.events.contains { $0.name == "leak_start" })
        #expect(demo.api.enabled && demo.api.dashboard)
        #expect((.seconds(60)...Duration.seconds(180)).contains(demo.duration))
    }

    @Test func capacityRunOverfillsTheDefaultRedis() throws {
        let capacity = try load("capacity-256mb.yaml")
        #expect(capacity.stack.redis.maxMemory == .megabytes(256))
        #expect(capacity.stack.redis.evictionPolicy == .allKeysLRU)
        #expect(capacity.stack.redis.latestTTL == .seconds(3600))
        // Each latest key costs well over 400 bytes: a Fernet token of a
        // ~200-byte payload is ~360 base64 characters, plus the key name and
        // Redis's per-key and expiry overhead. So the sensors cannot all fit.
        #expect(capacity.estate.sensorCount * 400 > Int(capacity.stack.redis.maxMemory.bytes))
        // Every sensor reports at least once before the run ends.
        #expect(capacity.rateSchedule.totalCount > Double(capacity.estate.sensorCount))
    }

    @Test func rampToSaturationClimbs() throws {
        let ramp = try load("ramp-to-saturation.yaml")
        #expect(ramp.load.stages.contains { if case .ramp = $0.shape { true } else { false } })
        #expect(ramp.rateSchedule.peakRate() >= 10 * ramp.rateSchedule.rate(at: 60))
    }

    @Test func soakLastsAnHour() throws {
        let soak = try load("soak-1h.yaml")
        #expect(soak.load.stages.contains { $0.shape.kind == .soak && $0.duration == .seconds(3600) })
    }

    @Test func ciGateIsShortWithStrictGates() throws {
        let gate = try load("ci-gate.yaml")
        #expect(gate.duration <= .seconds(120))
        let metrics = Set(gate.runGates.map(\.metric))
        #expect(metrics.isSuperset(of: [.p99Latency, .loss, .throughput]))
        #expect(gate.outputs.formats.contains(.junit))
    }

    @Test func seedReplicaIsSixSensorsOfEveryKindEveryFiveSeconds() throws {
        let seed = try load("seed-replica.yaml")
        #expect(seed.estate.houseCount == 1)
        #expect(seed.estate.sensorCount == 6)
        #expect(Set(seed.estate.houseGroups[0].sensors.map(\.kind)) == Set(SensorKind.builtIn))
        #expect(abs(seed.rateSchedule.rate(at: 1) - 6.0 / 5) < 1e-9)
    }
}
