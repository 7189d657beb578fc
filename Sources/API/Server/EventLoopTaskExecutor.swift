import NIOCore

/// A Swift concurrency `TaskExecutor` that runs jobs on one NIO event loop.
///
/// A task that prefers it (`withTaskExecutorPreference`) runs its
/// nonisolated code on that loop's thread: resumed by I/O that completes
/// on the loop, it continues there at once instead of being handed to
/// Swift's cooperative pool and back (two thread switches each time).
/// Work that runs this way must not block: a blocked loop stalls every
/// connection on it. hearth's blocking clients (hiredis, libpq, bcrypt)
/// already run on threads of their own.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
