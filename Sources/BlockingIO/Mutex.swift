#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pthread mutex with one condition variable.
///
/// The clients share state with C callback threads (libmosquitto's network
/// thread calls back into Swift), where neither an actor nor `await` is
/// available. This is the smallest lock that also lets a thread park until
/// another one signals it.
public final class Mutex: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    public init() {
        pthread_mutex_init(mutex, nil)
        #if os(Linux)
        // Deadlines on the monotonic clock, so a wall-clock step neither
        // stretches nor cuts a wait.
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
        #else
        pthread_cond_init(condition, nil)
        #endif
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    @inline(__always)
    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Runs `body` under the lock if it is free right now; nil if another
    /// thread holds it (for a caller that has something better to do than wait).
    @inline(__always) @discardableResult
    public func withLockIfAvailable<T>(_ body: () throws -> T) rethrows -> T? {
        guard pthread_mutex_trylock(mutex) == 0 else { return nil }
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Waits on the condition; call only inside `withLock`.
    public func wait() { pthread_cond_wait(condition, mutex) }

    /// A moment on the condition's clock, for ``wait(until:)``.
    public struct Deadline: Sendable {
        fileprivate var time: timespec

        /// `nanoseconds` from now.
        public init(afterNanoseconds nanoseconds: UInt64) {
            var now = timespec()
            #if os(Linux)
            clock_gettime(CLOCK_MONOTONIC, &now)
            #else
            clock_gettime(CLOCK_REALTIME, &now)
            #endif
            let total = UInt64(now.tv_nsec) + nanoseconds
            time = timespec(tv_sec: now.tv_sec + Int(total / 1_000_000_000), tv_nsec: Int(total % 1_000_000_000))
        }
    }

    /// Waits until signalled or `deadline`; call only inside `withLock`.
    /// Returns false once the deadline has passed. A caller that waits in a
    /// loop for its own condition keeps one deadline, so wake-ups meant for
    /// other waiters do not extend its wait.
    @discardableResult
    public func wait(until deadline: Deadline) -> Bool {
        var time = deadline.time
        return pthread_cond_timedwait(condition, mutex, &time) == 0
    }

    /// Wakes every waiter; call inside `withLock`.
    public func signal() { pthread_cond_broadcast(condition) }
}
