@testable import MQTT
import Testing

@Suite("BatchLingerPolicy")
struct BatchLingerPolicyTests {
    /// `takes` takes of `count` messages, `interval` nanoseconds apart.
    private func policy(linger: UInt64 = 500_000, takes: Int, of count: Int, every interval: UInt64) -> BatchLingerPolicy {
        var policy = BatchLingerPolicy(lingerNanoseconds: linger)
        var now: UInt64 = 1_000_000_000
        for _ in 0..<takes {
            policy.recordTake(count: count, at: now)
            now += interval
        }
        return policy
    }

    @Test("no linger before anything was taken")
    func fresh() {
        #expect(!BatchLingerPolicy(lingerNanoseconds: 500_000).shouldLinger)
    }

    @Test("at 40,000 msg/s a 500 µs linger gathers 20 messages: linger")
    func highRate() {
        let busy = policy(takes: 50, of: 20, every: 500_000)
        #expect(busy.shouldLinger)
        #expect(abs(busy.messagesPerSecond - 40_000) < 100)
    }

    @Test("at 5,000 msg/s it would gather 2.5: take at once")
    func lowRate() {
        let quiet = policy(takes: 50, of: 1, every: 200_000)
        #expect(!quiet.shouldLinger)
        #expect(abs(quiet.messagesPerSecond - 5_000) < 100)
    }

    @Test("bursty arrivals at 8,000 msg/s (a take 40 µs after the last, then 210 µs) read as 8,000, not 15,000: no linger")
    func bursty() {
        var policy = BatchLingerPolicy(lingerNanoseconds: 500_000)
        var now: UInt64 = 1_000_000_000
        for take in 0..<100 {
            policy.recordTake(count: 1, at: now)
            now += take % 2 == 0 ? 40_000 : 210_000
        }
        #expect(abs(policy.messagesPerSecond - 8_000) < 1_200, "an average of per-take rates would say about 15,000")
        #expect(!policy.shouldLinger)
    }

    @Test("the estimate follows the rate down after a burst")
    func decays() {
        var burst = policy(takes: 50, of: 20, every: 500_000)
        var now: UInt64 = 10_000_000_000
        for _ in 0..<20 {
            burst.recordTake(count: 1, at: now)
            now += 1_000_000
        }
        #expect(!burst.shouldLinger)
    }

    @Test("a linger of 0 never lingers, and takes at the same instant are not a rate")
    func disabled() {
        #expect(!policy(linger: 0, takes: 50, of: 20, every: 500_000).shouldLinger)
        var same = BatchLingerPolicy(lingerNanoseconds: 500_000)
        same.recordTake(count: 100, at: 5)
        same.recordTake(count: 100, at: 5)
        #expect(same.messagesPerSecond == 0)
    }
}
