import Fernet
import Foundation
import Harness
import Logging
import MQTT
import Publisher
import Scenario
import Subscriber

/// One run of the whole pipeline at one rate: hearth's Publisher (generate →
/// encrypt → MQTT) into hearth's Subscriber (decrypt → validate → Redis
/// `SET … EX`), for `seconds` after a one-second warm-up, on servers that are
/// already up and an estate already seeded.
struct PipelineTrial {
    struct Settings: Sendable {
        var mqttURL: String
        var redisURL: String
        var postgresURL: String
        /// Owner key files, shared by publisher and subscriber.
        var keyDirectory: String
        /// The subscriber's alarm spool.
        var stateDirectory: String
        var qos: Int
        var houses = 400
        var owners = 100
        /// The estate's MQTT connections (`mqtt_connections`).
        var connections = 2
        var workers = PublisherOptions.defaultWorkers
        var tick: Duration = .milliseconds(1)
        var seconds = 5
        var keyring: Keyring
        /// The processes whose CPU time a trial reports.
        var cpu = PipelineCPU(processes: [])
        /// Where to write every reading's times as CSV (see ``writeTimes(_:publisher:to:)``), if anywhere.
        var timesFile: String?
    }

    /// What a trial measured. Latencies are in nanoseconds, over the readings
    /// intended after the warm-up.
    struct Result: Sendable {
        var rate: Double
        var sent: Int
        var stored: Int
        var distinct: Int
        /// Readings stored twice (counted here) or refused as duplicates by the subscriber.
        var duplicates: Int
        /// Readings the subscriber refused for any other reason.
        var invalid: Int
        /// From the reading's intended send time to Redis's acknowledgement
        /// (free of coordinated omission), and from `sent_at_ns`.
        var fromIntended: LatencySummary
        var fromSent: LatencySummary
        /// The end-to-end latency split in three (the p99s of the parts do
        /// not add up to the whole's): intended send time → `sent_at_ns`
        /// (the publisher making the reading late), `sent_at_ns` → the
        /// subscriber taking its batch (the publisher's write, the broker,
        /// the subscriber's read and linger), and that → Redis's
        /// acknowledgement (decrypt, validate, store).
        var publisherDelay: LatencySummary
        var transport: LatencySummary
        var processing: LatencySummary
        /// How long after the schedule's end the last reading was stored.
        var drainNanoseconds: Int64
        var publisherMaxLagNanoseconds: Int64
        /// CPU microseconds per message, by process.
        var cpuPerMessage: String

        var lost: Int { max(0, sent - distinct) }

        /// Sustained: nothing lost, the tail bounded (p99 within `p99Limit`)
        /// and the backlog gone soon after the end. Loopback queues never push
        /// back, so zero loss alone proves nothing.
        func isSustained(p99Limit: Int64) -> Bool {
            lost == 0 && invalid == 0 && fromIntended.p99 <= p99Limit && drainNanoseconds <= 500_000_000
        }

        var line: String {
            "\(Int(rate))/s: sent \(sent), stored \(distinct) (lost \(lost), duplicates \(duplicates)), "
                + "latency from intended \(fromIntended.text), from sent_at \(fromSent.text), drain \(millisecondsText(drainNanoseconds)) ms, "
                + "publisher lag max \(millisecondsText(publisherMaxLagNanoseconds)) ms; CPU per message: \(cpuPerMessage)"
        }

        var stages: String {
            "intended → sent_at \(publisherDelay.text); sent_at → taken by the subscriber \(transport.text); "
                + "taken → stored \(processing.text)"
        }
    }

    static let sensorKinds = "{ fire_co: 1, leak: 1, thermostat: 1, motion: 1, garage: 1 }"
    static let warmUpSeconds = 1

    /// The benchmark scenario at `rate`: the same estate at every rate, so it is seeded once.
    static func scenario(rate: Int, _ settings: Settings) throws -> Scenario {
        try Scenario.parse(yaml: """
            version: 1
            name: bench-pipeline
            seed: 1
            estate: { houses: \(settings.houses), owners: \(settings.owners), sensors: \(sensorKinds), mqtt_connections: \(settings.connections) }
            load:
              rate: \(rate)/s
              stages: [ { warm_up: \(warmUpSeconds)s }, { constant: \(settings.seconds)s } ]
              qos: \(settings.qos)
              transport: mqtt
            """, file: "bench-pipeline.yaml")
    }

    /// Runs one trial at `rate` messages per second.
    static func run(rate: Int, _ settings: Settings, logger: Logger) async throws -> Result {
        let scenario = try scenario(rate: rate, settings)
        let expected = scenario.rateSchedule.sendCount
        let recorder = PipelineRecorder(expected: expected)
        let subscriber = try await startSubscriber(settings, recorder: recorder, name: "bench-pipeline-sub-\(getpid())-\(rate)", logger: logger)
        let publisher = try Publisher(
            scenario: scenario, keyring: settings.keyring, mqttURL: settings.mqttURL,
            options: PublisherOptions(workers: settings.workers, tick: settings.tick, clientIDPrefix: "bench-pipeline-pub-\(getpid())-\(rate)"),
            logger: logger
        )
        let cpuBefore = settings.cpu.sample()
        let report = try await publisher.publish()
        let deadline = Date().addingTimeInterval(30)
        while recorder.storedCount < report.stats.sent && Date() < deadline {
            try await Task.sleep(nanoseconds: 5_000_000)
        }
        try await Task.sleep(nanoseconds: 100_000_000)  // duplicates, if any, arrive too
        let cpu = settings.cpu.perMessage(from: cpuBefore, to: settings.cpu.sample(), messages: report.stats.sent)
        try await subscriber.stop()
        let snapshot = recorder.snapshot
        if let timesFile = settings.timesFile { try writeTimes(snapshot.records, publisher: publisher, to: timesFile) }
        return analyse(snapshot, publisher: publisher, report: report, rate: rate, cpu: cpu)
    }

    /// Every stored reading's four times, in nanoseconds from the run's start
    /// (warm-up included, in the order stored): intended send, `sent_at`,
    /// taken by the subscriber, stored. A p99 says how bad the tail is; this
    /// says when it happened, e.g. whether it comes in bursts.
    static func writeTimes(_ records: [PipelineRecorder.Record], publisher: Publisher, to path: String) throws {
        let start = publisher.runStartWallNanoseconds ?? 0
        var text = "intended_ns,sent_ns,taken_ns,stored_ns,sensor,seq\n"
        text.reserveCapacity(records.count * 48)
        for record in records {
            guard let offset = publisher.plan.intendedOffset(sensorID: Int(record.sensor), seq: UInt64(record.seq)) else { continue }
            text += "\(offset),\(record.sentAt - start),\(record.receivedAt - start),\(record.storedAt - start),\(record.sensor),\(record.seq)\n"
        }
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw BenchmarkError("could not write the latency run's times to \(path): \(error.localizedDescription); pass a writable path to --latency-times")
        }
    }

    /// hearth's Subscriber with a clean MQTT session of its own, hosted the
    /// way `hearth run` hosts it; ``SubscriberHost/start(timeout:)`` waits
    /// until it has subscribed.
    private static func startSubscriber(
        _ settings: Settings, recorder: PipelineRecorder, name: String, logger: Logger
    ) async throws -> SubscriberHost {
        var configuration = SubscriberConfiguration(
            mqttURL: settings.mqttURL, redisURL: settings.redisURL, postgresURL: settings.postgresURL, keyDirectory: settings.keyDirectory
        )
        configuration.qos = settings.qos
        configuration.persistentSession = false
        configuration.mqttClientID = name
        configuration.stateDirectory = settings.stateDirectory
        let host = SubscriberHost(configuration: configuration, observer: recorder, logger: logger)
        try await host.start(timeout: .seconds(120))
        return host
    }

    private static func analyse(
        _ snapshot: (records: [PipelineRecorder.Record], refused: Int, duplicates: Int, outOfOrder: Int),
        publisher: Publisher, report: PublisherReport, rate: Int, cpu: String
    ) -> Result {
        let wallStart = publisher.runStartWallNanoseconds ?? 0
        let measuredFrom = wallStart + Int64(warmUpSeconds) * 1_000_000_000
        var seen: [[UInt8]] = Array(repeating: [], count: publisher.layout.sensorCount + 1)
        var distinct = 0
        var duplicates = snapshot.duplicates
        var fromIntended: [Int64] = []
        var fromSent: [Int64] = []
        var publisherDelay: [Int64] = []
        var transport: [Int64] = []
        var processing: [Int64] = []
        fromIntended.reserveCapacity(snapshot.records.count)
        fromSent.reserveCapacity(snapshot.records.count)
        var lastStored: Int64 = 0
        for record in snapshot.records {
            let sensor = Int(record.sensor)
            let seq = Int(record.seq)
            guard sensor < seen.count else { continue }
            if seen[sensor].count <= seq { seen[sensor].append(contentsOf: repeatElement(0, count: seq + 1 - seen[sensor].count)) }
            seen[sensor][seq] &+= 1
            if seen[sensor][seq] == 1 { distinct += 1 } else { duplicates += 1; continue }
            lastStored = max(lastStored, record.storedAt)
            guard let offset = publisher.plan.intendedOffset(sensorID: sensor, seq: UInt64(seq)) else { continue }
            let intended = wallStart + offset
            guard intended >= measuredFrom else { continue }
            fromIntended.append(record.storedAt - intended)
            fromSent.append(record.storedAt - record.sentAt)
            publisherDelay.append(record.sentAt - intended)
            transport.append(record.receivedAt - record.sentAt)
            processing.append(record.storedAt - record.receivedAt)
        }
        let end = wallStart + Int64(publisher.plan.runDuration * 1e9)
        return Result(
            rate: Double(rate), sent: report.stats.sent, stored: snapshot.records.count, distinct: distinct + snapshot.outOfOrder,
            duplicates: duplicates, invalid: snapshot.refused, fromIntended: LatencySummary(fromIntended), fromSent: LatencySummary(fromSent),
            publisherDelay: LatencySummary(publisherDelay), transport: LatencySummary(transport), processing: LatencySummary(processing),
            drainNanoseconds: max(0, lastStored - end), publisherMaxLagNanoseconds: report.stats.maxLatenessNanoseconds,
            cpuPerMessage: cpu
        )
    }
}

/// Percentiles of a set of latencies (nanoseconds), by sorting: exact, and
/// cheap enough for the million samples of a trial.
struct LatencySummary: Sendable {
    var count: Int
    var p50: Int64
    var p99: Int64
    var p999: Int64
    var max: Int64

    var text: String {
        "p50 \(millisecondsText(p50)) / p99 \(millisecondsText(p99)) / p99.9 \(millisecondsText(p999)) / max \(millisecondsText(max)) ms"
    }
}

extension LatencySummary {
    /// Defined here, not in the type, so that the memberwise initializer
    /// stays (the C reference's figures arrive already summarised).
    init(_ samples: [Int64]) {
        let sorted = samples.sorted()
        count = sorted.count
        func at(_ quantile: Double) -> Int64 {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count) * quantile).rounded(.up)) - 1)]
        }
        p50 = at(0.5)
        p99 = at(0.99)
        p999 = at(0.999)
        max = sorted.last ?? 0
    }
}

/// Nanoseconds as milliseconds with two decimals.
func millisecondsText(_ nanoseconds: Int64) -> String {
    String(format: "%.2f", Double(nanoseconds) / 1e6)
}

/// The middle value (the lower of the two middle ones for an even count);
/// `values` must not be empty.
func median<Value: Comparable>(_ values: [Value]) -> Value {
    values.sorted()[(values.count - 1) / 2]
}
