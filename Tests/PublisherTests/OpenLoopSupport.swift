import BlockingIO
import Fernet
import Foundation
import Logging
import Scenario
import SensorCatalog
import SensorKit
@testable import Publisher

/// A clock that moves only when a worker sleeps: the worker's sleep jumps time
/// to its deadline, so a two-minute schedule runs in milliseconds and every
/// timing is exact. A stall makes time leap forward the first time it passes
/// a point, as if the machine had frozen there.
final class ManualClock: PublisherClock, @unchecked Sendable {
    static let wallOrigin: Int64 = 1_700_000_000_000_000_000
    private let lock = NSLock()
    private var now: Int64 = 0
    private var stalls: [(at: Int64, by: Int64)]

    init(stalls: [(at: Duration, by: Duration)] = []) {
        self.stalls = stalls.map { ($0.at.totalNanoseconds, $0.by.totalNanoseconds) }
    }

    func monotonicNanoseconds() -> Int64 { lock.withLock { now } }

    func wallNanoseconds() -> Int64 { lock.withLock { Self.wallOrigin + now } }

    func sleep(untilMonotonic deadline: Int64) {
        lock.withLock {
            guard deadline > now else { return }
            now = deadline
            while let stall = stalls.first, stall.at <= now {
                now += stall.by
                stalls.removeFirst()
            }
        }
    }
}

/// One message a recording sink received.
struct RecordedMessage: Sendable {
    var token: [UInt8]
    var house: Int
    var sensor: Int
    var connection: Int
    var worker: Int
}

/// Everything the sinks of a test run received, and every batch and event
/// an observer saw.
final class Recording: PublisherObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var storedMessages: [RecordedMessage] = []
    private var storedBatches: [SentBatch] = []
    private var storedEvents: [(name: String, sensors: Int, worker: Int)] = []

    var messages: [RecordedMessage] { lock.withLock { storedMessages } }
    var batches: [SentBatch] { lock.withLock { storedBatches } }
    var events: [(name: String, sensors: Int, worker: Int)] { lock.withLock { storedEvents } }

    func append(_ message: RecordedMessage) { lock.withLock { storedMessages.append(message) } }

    func publisher(didSend batch: SentBatch) { lock.withLock { storedBatches.append(batch) } }

    func publisher(didApply event: ScenarioEvent, sensorCount: Int, worker: Int) {
        lock.withLock { storedEvents.append((event.name, sensorCount, worker)) }
    }

    var sentReadings: [SentReading] { batches.flatMap(\.readings) }
}

/// A sink that keeps what it is given; it may refuse some messages.
final class RecordingSink: ReadingSink {
    let recording: Recording
    let worker: Int
    let refuse: @Sendable (Int) -> Bool
    private var offered = 0
    private(set) var mqttRefused = 0

    init(recording: Recording, worker: Int, refuse: @escaping @Sendable (Int) -> Bool) {
        self.recording = recording
        self.worker = worker
        self.refuse = refuse
    }

    func send(_ token: [UInt8], house: Int, sensor: Int, connection: Int) -> Bool {
        offered += 1
        if refuse(offered) {
            mqttRefused += 1
            return false
        }
        recording.append(RecordedMessage(token: token, house: house, sensor: sensor, connection: connection, worker: worker))
        return true
    }

    nonisolated(nonsending) func flush() async -> SinkFlushResult { SinkFlushResult() }
}

/// Runs a scenario's workers against a manual clock and recording sinks.
struct OpenLoopRun {
    var scenario: Scenario
    var keyring: Keyring
    var plan: SendPlan
    var layout: EstateLayout
    var recording = Recording()
    var stats = PublisherStats()

    init(_ scenario: Scenario, workers: Int = 1) throws {
        self.scenario = scenario
        layout = EstateLayout(estate: scenario.estate)
        keyring = try PublisherFixtures.keyring(owners: layout.ownerCount)
        plan = try SendPlan(layout: layout, stages: scenario.load.stages, catalog: .builtIn, workers: workers)
    }

    mutating func run(
        clock: ManualClock = ManualClock(), tick: Duration = .milliseconds(1), batchLimit: Int = 1024,
        shard: LoadShard? = nil, refuse: @escaping @Sendable (Int) -> Bool = { _ in false }
    ) async {
        let blueprint = SendEngineBlueprint(
            layout: layout, plan: plan, catalog: .builtIn, seed: scenario.seed, events: scenario.events,
            keyring: keyring, clock: clock, keepsReadings: true, shard: shard, logger: Logger(label: "test")
        )
        let pacing = PublisherWorker<RecordingSink>.Pacing(tick: tick.totalNanoseconds, batchLimit: batchLimit)
        let statsBox = StatsBox(workers: plan.workerCount)
        let recording = recording
        let workers = (0 ..< plan.workerCount).map { index in
            PublisherWorker(
                index: index, blueprint: blueprint,
                makeSink: { RecordingSink(recording: recording, worker: index, refuse: refuse) },
                pacing: pacing, stopFlag: StopFlag(), statsBox: statsBox, observer: recording
            )
        }
        let start = Timestamp(nanosecondsSinceEpoch: clock.wallNanoseconds())
        for worker in workers { await worker.prepare(start: start) }
        let startMonotonic = clock.monotonicNanoseconds()
        let wallStart = clock.wallNanoseconds()
        let endOffset = plan.endOffset
        await withTaskGroup(of: Void.self) { group in
            for worker in workers {
                group.addTask { await worker.run(startMonotonic: startMonotonic, wallStart: wallStart, endOffset: endOffset) }
            }
        }
        stats = statsBox.total
    }

    /// Every recorded message decrypted with its house owner's key and parsed.
    func readings() throws -> [(message: RecordedMessage, reading: Reading)] {
        try recording.messages.map { message in
            let cipher = try keyring.multiFernet(forOwner: layout.owner(ofHouse: message.house))
            let plaintext = try cipher.decrypt(message.token)
            return (message, try SensorCatalog.builtIn.decode(payload: plaintext))
        }
    }
}
