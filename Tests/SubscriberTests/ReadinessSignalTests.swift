import Testing
@testable import Subscriber

/// The subscriber's readiness: fired once, failed once, and a cancelled
/// waiter stops waiting without settling it for anyone else.
@Suite("Readiness signal", .timeLimit(.minutes(1)))
struct ReadinessSignalTests {
    private struct RunFailed: Error {}

    @Test("fire releases every waiter, and later waiters return at once")
    func fireReleasesWaiters() async throws {
        let signal = ReadinessSignal()
        async let first: Void = signal.wait()
        async let second: Void = signal.wait()
        signal.fire()
        try await first
        try await second
        try await signal.wait()
        #expect(signal.isFired)
    }

    @Test("fail throws its error to waiters, now and later; a fire after it changes nothing")
    func failThrows() async {
        let signal = ReadinessSignal()
        signal.fail(RunFailed())
        signal.fire()
        await #expect(throws: RunFailed.self) { try await signal.wait() }
        #expect(!signal.isFired)
    }

    @Test("a cancelled waiter gets CancellationError; the others still wait for the fire")
    func cancelledWaiter() async throws {
        let signal = ReadinessSignal()
        let cancelled = Task { try await signal.wait() }
        let patient = Task { try await signal.wait() }
        try await Task.sleep(for: .milliseconds(50))
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        #expect(!signal.isFired)
        signal.fire()
        try await patient.value
    }

    @Test("a task cancelled before it waits does not wait")
    func cancelledBeforeWaiting() async {
        let signal = ReadinessSignal()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await signal.wait()
        }
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}
