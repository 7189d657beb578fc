import BlockingIO

/// The subscriber's counters and its most recent dead-letter samples,
/// readable from any task or thread while it runs.
///
/// Writers update once per batch under one lock, not once per message, so
/// the lock costs nothing measurable on the hot path.
public final class SubscriberStatistics: @unchecked Sendable {
    private let lock = Mutex()
    private var current = SubscriberCounters()
    /// A ring of the last `sampleCapacity` samples; `nextSample` is where the next one goes.
    private var ring: [DeadLetterSample] = []
    private var nextSample = 0
    /// How many dead-letter samples are kept (0 keeps none).
    public let sampleCapacity: Int

    public init(sampleCapacity: Int = 20) {
        self.sampleCapacity = max(0, sampleCapacity)
        ring.reserveCapacity(self.sampleCapacity)
    }

    /// A snapshot of the counters.
    public var counters: SubscriberCounters { lock.withLock { current } }

    /// The kept samples, oldest first.
    public var deadLetterSamples: [DeadLetterSample] {
        lock.withLock { Array(ring[nextSample...] + ring[..<nextSample]) }
    }

    func update(_ body: (inout SubscriberCounters) -> Void) {
        lock.withLock { body(&current) }
    }

    /// Counts a batch's dead letters and keeps the newest samples.
    func recordDeadLetters(_ samples: [DeadLetterSample]) {
        guard !samples.isEmpty else { return }
        lock.withLock {
            for sample in samples {
                current.deadLetters[sample.reason, default: 0] += 1
                if sample.reason == .duplicate { current.duplicates += 1 }
                keep(sample)
            }
        }
    }

    private func keep(_ sample: DeadLetterSample) {
        guard sampleCapacity > 0 else { return }
        if ring.count < sampleCapacity {
            ring.append(sample)
        } else {
            ring[nextSample] = sample
            nextSample = (nextSample + 1) % sampleCapacity
        }
    }
}
