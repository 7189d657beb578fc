import BlockingIO

/// Fires once, when the subscriber has subscribed to its inputs, so a test
/// or a harness knows when publishing will be heard.
final class ReadinessSignal: @unchecked Sendable {
    private let lock = Mutex()
    private var fired = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    var isFired: Bool { lock.withLock { fired } }

    func fire() {
        let toResume: [CheckedContinuation<Void, Never>] = lock.withLock {
            fired = true
            defer { waiters.removeAll() }
            return waiters
        }
        for waiter in toResume { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let now = lock.withLock {
                if fired { return true }
                waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }
}
