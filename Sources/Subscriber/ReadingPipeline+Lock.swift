import BlockingIO

/// The one ``ReadingPipeline`` of a subscriber behind a lock, so the MQTT and
/// the Redis Streams consumers can share its per-sensor state (a reading that
/// arrives over both is then a duplicate, as it should be). The lock is held
/// for the CPU work of one batch and never across a suspension.
final class LockedReadingPipeline: @unchecked Sendable {
    private let lock = Mutex()
    private let pipeline: ReadingPipeline

    init(_ pipeline: ReadingPipeline) {
        self.pipeline = pipeline
    }

    func withLock<T>(_ body: (ReadingPipeline) throws -> T) rethrows -> T {
        try lock.withLock { try body(pipeline) }
    }
}
