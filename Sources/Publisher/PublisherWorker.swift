import BlockingIO
import SensorKit

/// Runs one engine against the clock on a thread of its own.
///
/// The loop is wrk2's: look at the clock, send everything whose intended
/// time has passed (in batches of at most `batchLimit`, never a task per
/// message), complete the batch (stream pipeline, QoS 1 window), report it,
/// then sleep until the next thing is due, but at least `tick` after the
/// last wake so that high rates are sent in batches. When it is behind it
/// does not sleep and does not skip: it keeps sending until caught up, and
/// the lag and backlog say how far behind it was.
///
/// The actor's executor is a dedicated thread (`ThreadExecutor`), so the
/// CPU-heavy batches and the blocking `clock_nanosleep` never occupy Swift's
/// cooperative pool, which the subscriber and the observer share on a
/// 2-core machine.
actor PublisherWorker<Sink: ReadingSink> {
    private nonisolated let executor = ThreadExecutor(name: "publisher")
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    struct Pacing: Sendable {
        /// Shortest time between two wakes while there is work.
        var tick: Int64
        /// Most steps made before the batch is completed and reported.
        var batchLimit: Int
        /// Longest single sleep, so that a stop is noticed promptly.
        var longestSleep: Int64 = 50_000_000
    }

    let index: Int
    private let blueprint: SendEngineBlueprint
    private let makeSink: @Sendable () -> Sink
    private let clock: any PublisherClock
    private let pacing: Pacing
    private let stopFlag: StopFlag
    private let statsBox: StatsBox
    private let observer: (any PublisherObserver)?
    private var engine: SendEngine?
    private var sink: Sink?

    init(
        index: Int, blueprint: SendEngineBlueprint, makeSink: @escaping @Sendable () -> Sink, pacing: Pacing,
        stopFlag: StopFlag, statsBox: StatsBox, observer: (any PublisherObserver)?
    ) {
        self.index = index
        self.blueprint = blueprint
        self.makeSink = makeSink
        self.clock = blueprint.clock
        self.pacing = pacing
        self.stopFlag = stopFlag
        self.statsBox = statsBox
        self.observer = observer
    }

    isolated deinit {
        executor.shutdown()
    }

    /// Builds the engine and the sink on the worker's own thread: creating a
    /// million sensors takes a while and must not hold up the cooperative pool.
    func prepare(start: Timestamp) {
        engine = SendEngine.build(worker: index, from: blueprint, start: start)
        sink = makeSink()
    }

    /// Sends the engine's share of the run: from `startMonotonic` (the
    /// monotonic clock reading at offset 0) until every step due before
    /// `endOffset` is made, or until stopped.
    func run(startMonotonic: Int64, wallStart: Int64, endOffset: Int64) async {
        guard let engine, let sink else { preconditionFailure("prepare(start:) before run") }
        engine.begin(wallStart: wallStart)
        var lastWake = Int64.min
        while !stopFlag.isSet {
            let elapsed = clock.monotonicNanoseconds() - startMonotonic
            lastWake = elapsed
            let outcome = engine.process(upTo: min(elapsed, endOffset - 1), limit: pacing.batchLimit, sink: sink)
            engine.record(await sink.flush())
            engine.recordMQTTFailures(sink.mqttRefused)
            statsBox.store(engine.stats, worker: index)
            report(outcome, of: engine)
            if outcome.moreDue { continue }
            guard let next = outcome.nextDue, next < endOffset else {
                if elapsed >= endOffset - 1 { break }
                sleep(until: startMonotonic + endOffset - 1)
                continue
            }
            sleep(until: startMonotonic + max(next, lastWake + pacing.tick))
        }
    }

    private func report(_ outcome: SendEngine.Outcome, of engine: SendEngine) {
        guard let observer else { return }
        if !engine.batch.isEmpty || outcome.moreDue {
            observer.publisher(didSend: SentBatch(worker: index, readings: engine.batch, backlog: outcome.backlog, lagNanoseconds: outcome.lag))
        }
        for applied in engine.appliedEvents {
            observer.publisher(didApply: applied.event, sensorCount: applied.sensorCount, worker: index)
        }
    }

    /// Blocks this worker's own thread until `deadline`, in slices so that a stop is seen.
    private func sleep(until deadline: Int64) {
        while !stopFlag.isSet {
            let now = clock.monotonicNanoseconds()
            guard now < deadline else { return }
            clock.sleep(untilMonotonic: min(deadline, now + pacing.longestSleep))
        }
    }
}

/// A flag the publisher raises to stop its workers between batches.
final class StopFlag: Sendable {
    private let lock = Mutex()
    private nonisolated(unsafe) var raised = false

    var isSet: Bool { lock.withLock { raised } }

    func raise() { lock.withLock { raised = true } }
}

/// Each worker's latest counters, readable from any thread.
final class StatsBox: Sendable {
    private let lock = Mutex()
    private nonisolated(unsafe) var byWorker: [PublisherStats]

    init(workers: Int) {
        byWorker = Array(repeating: PublisherStats(), count: workers)
    }

    func store(_ stats: PublisherStats, worker: Int) {
        lock.withLock { byWorker[worker] = stats }
    }

    var total: PublisherStats {
        lock.withLock {
            byWorker.reduce(into: PublisherStats()) { $0.add($1) }
        }
    }
}
