import BlockingIO
import Logging
import Redis
import Reports
import ServiceLifecycle

/// Watches Redis and the processes once per interval while a run goes:
/// INFO (memory against maxmemory, evictions, expiries, keys), the
/// remaining TTL of a sample of latest keys, latest keys that vanished
/// before their TTL (evictions the subscriber's bookkeeping proves), and CPU
/// and RSS from /proc.
///
/// It is a `Service`: put it in the run's ServiceGroup and it samples until
/// graceful shutdown or cancellation, then takes one last sample. Or call
/// ``sampleOnce()`` yourself. ``recording`` is what it saw so far, in the
/// report's types; ``sweepAll()`` checks every stored sensor once, for the
/// end of a run.
///
/// The actor runs on its own thread because reading /proc is a blocking
/// system call; Redis calls hop to the connection's own thread.
public actor RunObserver: Service {
    public nonisolated let configuration: ObserverConfiguration
    private nonisolated let executor = ThreadExecutor(name: "run-observer")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private let logger: Logger
    private var connection: RedisConnection?
    var state: ObserverRecording
    private var processSampler: ProcessSampler
    private var processIndex: [Int32: Int] = [:]
    private var previousInfo: (sample: RedisSample, at: ContinuousClock.Instant)?
    var lostSensors: Set<Int> = []
    var sweepCursor = 0
    var random = SystemRandomNumberGenerator()

    public init(_ configuration: ObserverConfiguration, logger: Logger = Logger(label: "hearth.observer")) {
        self.configuration = configuration
        self.logger = logger
        let ttlSeconds = Double(configuration.latestTTL.totalNanoseconds) / 1e9
        state = ObserverRecording(ttl: TTLReport(
            ttlSeconds: ttlSeconds,
            bucketUpperBounds: TTLReport.evenBuckets(ttlSeconds: ttlSeconds, buckets: configuration.ttlBuckets)
        ))
        processSampler = ProcessSampler(processes: configuration.processes)
    }

    isolated deinit {
        executor.shutdown()
    }

    /// Everything observed so far.
    public var recording: ObserverRecording { state }

    /// The last INFO sample, for a progress line.
    public var latestRedisSample: RedisSample? { state.redis.last }

    /// Keys evicted since the first sample.
    public var evictionsSoFar: Int { state.evictions }

    /// Samples every interval, on a fixed grid (a slow sample does not push
    /// the later ones back), until graceful shutdown or cancellation.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            let clock = ContinuousClock()
            var next = clock.now
            while !Task.isCancelled {
                await self.sampleOnce()
                next = next.advanced(by: self.configuration.interval)
                if next < clock.now { next = clock.now.advanced(by: self.configuration.interval) }
                try? await Task.sleep(until: next, clock: clock)
            }
        }
        await sampleOnce()
        await connection?.close()
    }

    /// One round: INFO, TTL sample and sweep (with a ledger), processes.
    /// Failures are counted and logged, never thrown: an observer that stops
    /// a run because Redis hiccupped would hide what the run was about.
    public func sampleOnce() async {
        let now = ContinuousClock.now
        let t = seconds(now - configuration.runStart)
        do {
            let redis = try await liveConnection()
            try await sampleInfo(redis, t: t, at: now)
            if let ledger = configuration.ledger {
                try await sampleTTL(redis, ledger: ledger, t: t)
                try await sweep(redis, ledger: ledger, count: configuration.sweepPerInterval, t: t)
            }
        } catch {
            state.failedSamples += 1
            state.lastError = "\(error)"
            logger.warning("observer sample failed", metadata: ["error": "\(error)"])
        }
        for (process, sample) in processSampler.sample(t: t, at: now) {
            if let index = processIndex[process.pid] {
                state.processes[index].samples.append(sample)
            } else {
                processIndex[process.pid] = state.processes.count
                state.processes.append(ProcessSeries(name: process.name, pid: process.pid, samples: [sample]))
            }
        }
    }

    /// Checks every stored sensor's latest key once, in pipelined chunks.
    public func sweepAll() async throws {
        guard let ledger = configuration.ledger else { return }
        let redis = try await liveConnection()
        let t = seconds(ContinuousClock.now - configuration.runStart)
        sweepCursor = 0
        var checked = 0
        let limit = ledger.idLimit
        while checked < limit {
            try await sweep(redis, ledger: ledger, count: 10_000, t: t)
            checked += 10_000
        }
    }

    private func liveConnection() async throws -> RedisConnection {
        if let connection { return connection }
        let opened = try await RedisConnection.connect(configuration.redis)
        connection = opened
        return opened
    }

    private func sampleInfo(_ redis: RedisConnection, t: Double, at now: ContinuousClock.Instant) async throws {
        let info = try await redis.info()
        var sample = RedisInfoFields.sample(info, t: t, database: configuration.redis.database)
        if let previous = previousInfo {
            let elapsed = seconds(now - previous.at)
            if elapsed > 0 {
                sample.evictedPerSecond = Double(max(0, sample.evictedKeys - previous.sample.evictedKeys)) / elapsed
                sample.expiredPerSecond = Double(max(0, sample.expiredKeys - previous.sample.expiredKeys)) / elapsed
            }
        }
        previousInfo = (sample, now)
        state.redis.append(sample)
        state.redisVersion = info["redis_version"]
        state.redisRunId = info["run_id"]
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.totalNanoseconds) / 1e9
    }
}
