import BlockingIO

/// The ports this process handed to its stacks lately (see `Loopback.freePort`).
final class RecentPorts: @unchecked Sendable {
    private let lock = Mutex()
    private var claimed: [Int: Double] = [:]
    /// Seconds a claimed port stays claimed.
    let memorySeconds: Double

    init(memorySeconds: Double) {
        self.memorySeconds = memorySeconds
    }

    /// Claims `port` at `now` (seconds on the monotonic clock); false when it
    /// was claimed less than `memorySeconds` ago.
    func claim(_ port: Int, now: Double) -> Bool {
        lock.withLock {
            claimed = claimed.filter { now - $0.value < memorySeconds }
            guard claimed[port] == nil else { return false }
            claimed[port] = now
            return true
        }
    }
}
