import BlockingIO

/// Fires once, when the subscriber has subscribed to its inputs, so a test
/// or a harness knows when publishing will be heard; or fails once, when the
/// run ends before that (a server it cannot reach, say), so that nobody
/// waits for a readiness that cannot come. A waiting task that is
/// cancelled stops waiting (`CancellationError`), so a caller can race the
/// wait against a deadline.
final class ReadinessSignal: @unchecked Sendable {
    private enum State {
        case waiting
        case ready
        case ended(any Error)
    }

    private let lock = Mutex()
    private var state = State.waiting
    private var waiters: [UInt64: CheckedContinuation<Void, any Error>] = [:]
    private var nextWaiter: UInt64 = 0

    var isFired: Bool {
        lock.withLock {
            if case .ready = state { return true }
            return false
        }
    }

    func fire() { settle(.ready) }

    /// Ends the wait with `error`, unless the signal has already fired.
    func fail(_ error: any Error) { settle(.ended(error)) }

    private func settle(_ outcome: State) {
        let toResume: [CheckedContinuation<Void, any Error>] = lock.withLock {
            guard case .waiting = state else { return [] }
            state = outcome
            defer { waiters.removeAll() }
            return Array(waiters.values)
        }
        for waiter in toResume { Self.resume(waiter, with: outcome) }
    }

    func wait() async throws {
        let id = lock.withLock {
            nextWaiter += 1
            return nextWaiter
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let settled: State? = lock.withLock {
                    guard case .waiting = state else { return state }
                    // Cancelled before this point: the handler found no waiter to resume.
                    if Task.isCancelled { return .ended(CancellationError()) }
                    waiters[id] = continuation
                    return nil
                }
                if let settled { Self.resume(continuation, with: settled) }
            }
        } onCancel: {
            let waiter = lock.withLock { waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }

    private static func resume(_ waiter: CheckedContinuation<Void, any Error>, with outcome: State) {
        switch outcome {
        case .ended(let error): waiter.resume(throwing: error)
        case .ready, .waiting: waiter.resume()
        }
    }
}
