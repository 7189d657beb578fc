import Testing
@testable import Scenario

@Suite("Durations as people write them")
struct DurationParsingTests {
    @Test("reads the common forms", arguments: [
        ("90s", Duration.seconds(90)),
        ("5m", .seconds(300)),
        ("1.5h", .seconds(5400)),
        ("250ms", .milliseconds(250)),
        ("2d", .seconds(172_800)),
        ("1h30m", .seconds(5400)),
        ("1m 30s", .seconds(90)),
        ("  45 s ", .seconds(45)),
        ("10min", .seconds(600)),
        ("0.5s", .milliseconds(500)),
        ("1_000ms", .seconds(1)),
        ("0s", .zero),
    ])
    func reads(text: String, expected: Duration) throws {
        #expect(try Duration(scenarioText: text) == expected)
    }

    @Test("refuses what it cannot read, saying what would work", arguments: [
        ("", "empty"),
        ("30", "needs a unit"),
        ("-5s", "negative"),
        ("5x", "'x' in '5x' is not a time unit"),
        ("abc", "is not a duration"),
        ("1e3s", "is not a time unit"),
        ("99999999d", "at most 3650d"),
        ("5s garbage", "is not a duration"),
    ])
    func refuses(text: String, fragment: String) {
        #expect(throws: UnitSyntaxError.self) { try Duration(scenarioText: text) }
        do {
            _ = try Duration(scenarioText: text)
        } catch {
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test("writes durations back in a form that reads as the same value", arguments: [
        Duration.milliseconds(250), .seconds(90), .seconds(3600), .seconds(5400), .milliseconds(1500),
        .seconds(86_400 + 61), .nanoseconds(1_000_000_001), .zero, .milliseconds(7 * 86_400_000),
    ])
    func roundTrips(duration: Duration) throws {
        #expect(try Duration(scenarioText: duration.scenarioText) == duration)
    }

    @Test func formatsReadably() {
        #expect(Duration.seconds(90).scenarioText == "1m30s")
        #expect(Duration.milliseconds(250).scenarioText == "250ms")
        #expect(Duration.seconds(3600).scenarioText == "1h")
        #expect(Duration.milliseconds(2500).scenarioText == "2.5s")
    }
}

@Suite("Rates as people write them")
struct RateParsingTests {
    @Test("reads totals, per-sensor rates and intervals", arguments: [
        ("200/s", Rate.total(200)),
        ("12000/min", .total(200)),
        ("20k/s", .total(20_000)),
        ("3600/h", .total(1)),
        ("0.2/s per sensor", .perSensor(0.2)),
        ("every 5s", .perSensor(0.2)),
        ("every 250ms", .perSensor(4)),
        ("every 5s per sensor", .perSensor(0.2)),
        ("500 / s total", .total(500)),
        ("0/s", .total(0)),
        ("20_000/s", .total(20_000)),
    ])
    func reads(text: String, expected: Rate) throws {
        let rate = try Rate(scenarioText: text)
        #expect(rate.basis == expected.basis)
        #expect(abs(rate.perSecond - expected.perSecond) < 1e-12)
    }

    @Test("refuses what it cannot read", arguments: [
        ("-5/s", "negative"),
        ("200", "needs a time unit"),
        ("200/fortnight", "is not a time unit"),
        ("every 0s", "infinitely fast"),
        ("every 5", "needs a unit"),
        ("every 5s total", "mixes 'every'"),
        ("fast", "is not a rate"),
        ("1e99/s", "needs a time unit"),
    ])
    func refuses(text: String, fragment: String) {
        do {
            _ = try Rate(scenarioText: text)
            Issue.record("'\(text)' should be refused")
        } catch {
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test("per-sensor rates multiply out over the estate")
    func totals() {
        #expect(abs(Rate.perSensor(0.2).totalPerSecond(sensorCount: 6) - 1.2) < 1e-12)
        #expect(Rate.total(500).totalPerSecond(sensorCount: 6) == 500)
    }

    @Test("writes rates back so they read as the same value", arguments: [
        Rate.total(200), .total(0.5), .perSensor(0.2), .perSensor(1.0 / 3), .total(1e-7), .total(4_999_999.5), .perSensor(1000),
    ])
    func roundTrips(rate: Rate) throws {
        let back = try Rate(scenarioText: rate.scenarioText)
        #expect(back.basis == rate.basis)
        #expect(abs(back.perSecond - rate.perSecond) <= 1e-12 * max(1, rate.perSecond))
    }

    @Test func formatsIntervalsAsEvery() {
        #expect(Rate.perSensor(0.2).scenarioText == "every 5s")
        #expect(Rate.total(20_000).scenarioText == "20000/s")
        #expect(Rate.format(1e-7) == "0.0000001")
        #expect(Rate.format(1e16) == "10000000000000000")
    }
}

@Suite("Sizes as redis.conf writes them")
struct ByteSizeParsingTests {
    @Test("reads sizes with Redis's units", arguments: [
        ("256mb", Int64(256) << 20),
        ("8MB", Int64(8) << 20),
        ("1gb", Int64(1) << 30),
        ("512kb", Int64(512) << 10),
        ("1k", Int64(1000)),
        ("1m", Int64(1_000_000)),
        ("1.5gb", Int64(3) << 29),
        ("100b", Int64(100)),
        ("2 gib", Int64(2) << 30),
    ])
    func reads(text: String, bytes: Int64) throws {
        #expect(try ByteSize(scenarioText: text).bytes == bytes)
    }

    @Test("refuses bare numbers, negatives and unknown units", arguments: [
        ("256", "needs a unit"),
        ("-1mb", "negative"),
        ("5 parsecs", "not a size unit"),
        ("lots", "not a size"),
        ("99999999tb", "at most 4pb"),
    ])
    func refuses(text: String, fragment: String) {
        do {
            _ = try ByteSize(scenarioText: text)
            Issue.record("'\(text)' should be refused")
        } catch {
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test func formatsWithTheLargestExactUnit() throws {
        #expect(ByteSize.megabytes(256).scenarioText == "256mb")
        #expect(ByteSize(bytes: 1536 << 10).scenarioText == "1536kb")
        #expect(ByteSize(bytes: 1000).scenarioText == "1000b")
        #expect(try ByteSize(scenarioText: ByteSize.gigabytes(3).scenarioText) == .gigabytes(3))
    }
}
