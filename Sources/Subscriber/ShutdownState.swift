import BlockingIO

/// Whether a graceful shutdown has begun, and until when the subscriber may
/// keep retrying Redis and PostgreSQL to flush what it holds.
///
/// Without the deadline a subscriber asked to stop while Redis is down would
/// retry forever; with it, it gives up after `timeout`, says how many
/// readings it could not store, and exits.
final class ShutdownState: @unchecked Sendable {
    private let lock = Mutex()
    private var deadline: ContinuousClock.Instant?
    private var actions: [@Sendable () -> Void] = []

    var isStopping: Bool { lock.withLock { deadline != nil } }

    /// True once the flush deadline has passed.
    var hasExpired: Bool { lock.withLock { deadline.map { ContinuousClock.now >= $0 } ?? false } }

    /// Time left to flush (zero when not stopping is never asked).
    var remaining: Duration { lock.withLock { deadline.map { max(.zero, $0 - ContinuousClock.now) } ?? .zero } }

    /// Runs `action` when stopping begins (at once if it already has): how
    /// each input is told to stop taking messages.
    func onStop(_ action: @escaping @Sendable () -> Void) {
        let runNow = lock.withLock {
            if deadline != nil { return true }
            actions.append(action)
            return false
        }
        if runNow { action() }
    }

    func beginStopping(timeout: Duration) {
        let toRun: [@Sendable () -> Void] = lock.withLock {
            guard deadline == nil else { return [] }
            deadline = ContinuousClock.now + timeout
            defer { actions.removeAll() }
            return actions
        }
        for action in toRun { action() }
    }
}
