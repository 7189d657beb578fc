@testable import Harness
import Redis
import Scenario
import Testing

@Suite("hearth capacity against redis-server", .serialized)
struct CapacityIntegrationTests {
    /// 4,000 houses of three sensors: about 12,000 keys, more than 8 MB holds.
    static let yaml = """
    name: capacity-8mb
    seed: 8
    stack:
      redis: { maxmemory: 8mb, maxmemory_policy: allkeys-lru, latest_ttl: 1h }
    estate:
      houses: 4000
      sensors: { fire_co: 1, leak: 1, thermostat: 1 }
    load: { rate: 2000/s, duration: 1m }
    """

    @Test("8 MB: the predicted onset of eviction is within 5% of the observed one")
    func eightMegabytes() async throws {
        let scenario = try Scenario.parse(yaml: Self.yaml)
        let plan = try await withRedis(maxMemory: "8mb") { _, redis in
            let plan = try await CapacityPlanner(scenario: scenario).plan(on: redis, verify: true)
            #expect(try await redis.dbsize() == 0)
            return plan
        }
        let verification = try #require(plan.verification)
        let predicted = try #require(verification.predictedOnset)
        let observed = try #require(verification.observedOnset)
        let error = try #require(verification.relativeError)
        print("capacity 8mb: predicted \(predicted), observed \(observed), error \(error)")
        #expect(abs(error) <= 0.05)
        #expect(verification.isWithinTolerance)
        #expect(plan.maxMemory == 8 * 1024 * 1024)
        #expect(plan.kinds.map(\.kind) == ["fire_co", "leak", "thermostat"])
        #expect(plan.kinds.allSatisfy { $0.tokenBytes > $0.plaintextBytes })
        let fit = try #require(plan.sensorsThatFit)
        #expect(fit < 12_000 && abs(fit - predicted) <= 1)
        #expect(plan.perKeyOverheadBytes > 0 && plan.perKeyOverheadBytes < 200)
        #expect(plan.timeline.secondsToLimit != nil)
        #expect(!plan.steadyState.fits)
        #expect(plan.rendered.contains("verification"))
    }

    @Test("a Redis that already holds keys is refused, not flushed")
    func refusesNonEmpty() async throws {
        let scenario = try Scenario.parse(yaml: Self.yaml)
        try await withRedis(maxMemory: "8mb") { _, redis in
            try await redis.set("someone-else", Array("data".utf8))
            await #expect(throws: CapacityError.self) { try await CapacityPlanner(scenario: scenario).plan(on: redis, verify: false) }
            #expect(try await redis.get("someone-else") == Array("data".utf8))
        }
    }
}
