#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A serial executor that owns one operating-system thread.
///
/// The C libraries behind hearth's clients (hiredis, libpq) block in `read(2)`.
/// A blocking call must never run on Swift's cooperative pool: with two cores
/// that pool has two threads, and one stuck `PQgetResult` would stall every
/// task in the process. An actor whose `unownedExecutor` is a `ThreadExecutor`
/// runs all of its methods on this dedicated thread instead, so its code can
/// call the C library directly and callers simply `await` it.
///
/// It is also a `TaskExecutor`: a task that prefers it (`addTask(executorPreference:)`)
/// runs its nonisolated code on the same thread, and every job runs
/// isolated to both (the thread is the only one that ever runs them). So
/// such a task calls the actor without a hop: no wake-up of this thread on
/// the way in, none of a pool thread on the way back. The subscriber's
/// consumer uses this with its Redis connection, which took two thread
/// switches off every batch's store.
public final class ThreadExecutor: SerialExecutor, TaskExecutor, @unchecked Sendable {
    private let lock = Mutex()
    private var jobs: [UnownedJob] = []
    /// Set by `shutdown`: the thread exits once the queue is empty.
    private var stopping = false
    /// Whether a thread is serving the queue. A job enqueued after shutdown
    /// (an actor method called once more, say `stop()` twice) starts a
    /// thread again, which runs it and exits, so such a call never hangs.
    private var running = false
    /// The thread's name, as `top -H` and `perf` show it.
    private let name: String
    /// Whether tasks are meant to prefer this executor (see the type's note).
    /// Only then do its jobs claim it as their task executor too: for a task
    /// without that preference the claim would be a mismatch the runtime
    /// settles by enqueueing again on every hop within the actor.
    private let servesTasks: Bool

    /// Starts the thread, named `name` (at most 15 bytes are kept).
    /// `servesTasks`: tasks will run on it by preference, not only an actor.
    public init(name: String, servesTasks: Bool = false) {
        self.name = name
        self.servesTasks = servesTasks
        lock.withLock { startThread() }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        lock.withLock {
            jobs.append(unowned)
            if running {
                lock.signal()
            } else {
                startThread()
            }
        }
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    public func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }

    /// Lets the thread finish the jobs already queued and exit. Call it once
    /// the owning actor is done; it does not wait.
    public func shutdown() {
        lock.withLock {
            stopping = true
            lock.signal()
        }
    }

    /// Call with the lock held.
    private func startThread() {
        running = true
        let rc = startDetachedThread(name: name) { self.runLoop() }
        precondition(rc == 0, "pthread_create failed: \(rc)")
    }

    private func runLoop() {
        while true {
            let batch: [UnownedJob] = lock.withLock {
                while jobs.isEmpty && !stopping { lock.wait() }
                if jobs.isEmpty { running = false }
                defer { jobs.removeAll(keepingCapacity: true) }
                return jobs
            }
            if batch.isEmpty { return }
            if servesTasks {
                // Both isolations at once, as an executor that is serial and a task
                // executor should: an actor's job and a preferring task's job
                // both really are on this one thread.
                for job in batch { job.runSynchronously(isolatedTo: asUnownedSerialExecutor(), taskExecutor: asUnownedTaskExecutor()) }
            } else {
                for job in batch { job.runSynchronously(on: asUnownedSerialExecutor()) }
            }
        }
    }
}

/// Runs one blocking call on a fresh thread and awaits its result: for rare,
/// slow calls (a TCP connect) in code that has no dedicated thread of its own.
public func onDedicatedThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let work = { continuation.resume(returning: body()) }
        if startDetachedThread(name: "hearth-once", work) != 0 { work() }
    }
}
