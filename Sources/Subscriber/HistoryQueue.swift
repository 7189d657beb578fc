import BlockingIO

/// The history rows waiting for COPY, and the writer's wake-up, behind a lock.
///
/// The consumer appends to it directly: a call into ``HistoryWriter`` (an
/// actor on its own thread) was a round trip between threads for every
/// batch. The writer takes rows from the front, and removes them only once
/// COPY succeeded.
final class HistoryQueue: @unchecked Sendable {
    private let lock = Mutex()
    private var rows: [[String?]] = []
    private var wake: CheckedContinuation<Void, Never>?
    /// A ``wakeUp()`` that came while nobody waited (the interval's timer can
    /// fire before the writer parks): the next wait returns at once.
    private var wakePending = false
    /// Rows that wake the writer before its interval is up.
    let flushRows: Int
    /// Most rows held; beyond it the oldest are dropped.
    let limit: Int

    init(flushRows: Int, limit: Int) {
        self.flushRows = max(1, flushRows)
        self.limit = max(self.flushRows, limit)
    }

    var count: Int { lock.withLock { rows.count } }

    /// Queues `newRows`, dropping the oldest beyond the limit, and wakes the
    /// writer once a full batch waits. Returns how many rows were dropped.
    func append(_ newRows: [[String?]]) -> Int {
        let (dropped, waiter): (Int, CheckedContinuation<Void, Never>?) = lock.withLock {
            rows += newRows
            let excess = max(0, rows.count - limit)
            if excess > 0 { rows.removeFirst(excess) }
            guard rows.count >= flushRows else { return (excess, nil) }
            defer { wake = nil }
            return (excess, wake)
        }
        waiter?.resume()
        return dropped
    }

    /// The first `count` rows, left in the queue.
    func front(_ count: Int) -> [[String?]] {
        lock.withLock { Array(rows.prefix(count)) }
    }

    /// Removes the first `count` rows (fewer if the limit dropped some meanwhile).
    func removeFront(_ count: Int) {
        lock.withLock { rows.removeFirst(min(count, rows.count)) }
    }

    /// Suspends until a full batch waits or ``wakeUp()``; at once if a batch
    /// already waits or `cancelled()` says so.
    func waitForBatch(cancelled: () -> Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = lock.withLock {
                if cancelled() || rows.count >= flushRows || wakePending {
                    wakePending = false
                    return true
                }
                wake = continuation
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Ends a ``waitForBatch(cancelled:)`` early: the interval is up, or the task was cancelled.
    func wakeUp() {
        let waiter: CheckedContinuation<Void, Never>? = lock.withLock {
            defer { wake = nil }
            if wake == nil { wakePending = true }
            return wake
        }
        waiter?.resume()
    }
}
