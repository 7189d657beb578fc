import NIOConcurrencyHelpers

/// Runs `body` but stops waiting for it after `timeout`.
///
/// A structured task group would still wait for a child stuck in a blocking
/// client call (a PostgreSQL backend that stopped answering) before
/// returning, which is exactly when a health check must answer anyway. So
/// the work runs in its own task, and whichever finishes first, the work or
/// the timer, resumes the caller; the loser is cancelled and ignored.
func withDeadline<T: Sendable>(
    _ timeout: Duration,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let gate = ResumeOnce<T>()
    return try await withCheckedThrowingContinuation { continuation in
        gate.arm(continuation)
        let work = Task {
            do { gate.resume(with: .success(try await body())) } catch { gate.resume(with: .failure(error)) }
        }
        Task {
            try? await Task.sleep(for: timeout)
            if gate.resume(with: .failure(DeadlineExceeded(timeout: timeout))) { work.cancel() }
        }
    }
}

/// The work behind ``withDeadline(_:_:)`` did not finish in time.
struct DeadlineExceeded: Error, CustomStringConvertible {
    var timeout: Duration
    var description: String { "no answer within \(timeout)" }
}

/// A continuation that the first of several racers resumes.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let state = NIOLockedValueBox<(continuation: CheckedContinuation<T, any Error>?, pending: Result<T, any Error>?)>((nil, nil))

    func arm(_ continuation: CheckedContinuation<T, any Error>) {
        let early: Result<T, any Error>? = state.withLockedValue { state in
            if let pending = state.pending { return pending }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    /// True if this call was the one that resumed (or will resume) the caller.
    @discardableResult
    func resume(with result: Result<T, any Error>) -> Bool {
        let (continuation, won): (CheckedContinuation<T, any Error>?, Bool) = state.withLockedValue { state in
            if let continuation = state.continuation {
                state.continuation = nil
                state.pending = result
                return (continuation, true)
            }
            if state.pending == nil {
                state.pending = result
                return (nil, true)
            }
            return (nil, false)
        }
        continuation?.resume(with: result)
        return won
    }
}
