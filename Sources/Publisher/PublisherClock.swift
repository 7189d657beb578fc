#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlockingIO

/// The publisher's sense of time, injectable so that the open-loop schedule
/// can be tested without waiting.
///
/// Two clocks, because they answer different questions: the monotonic clock
/// paces the schedule and cannot jump; the wall clock stamps `sent_at_ns` and
/// reading timestamps, which another process (the subscriber) compares with
/// its own wall clock.
public protocol PublisherClock: Sendable {
    /// Nanoseconds on a clock that never jumps (any origin).
    func monotonicNanoseconds() -> Int64
    /// Nanoseconds since the Unix epoch.
    func wallNanoseconds() -> Int64
    /// Blocks the calling thread until the monotonic clock reads `deadline`.
    /// Workers call it on their own thread, never on the cooperative pool.
    func sleep(untilMonotonic deadline: Int64)
}

/// The operating system's clocks: `CLOCK_MONOTONIC`, `CLOCK_REALTIME` and an
/// absolute `clock_nanosleep`, which wakes within tens of microseconds where
/// a timer-based `Task.sleep` may coalesce by a millisecond or more.
public struct SystemPublisherClock: PublisherClock {
    public init() {}

    public func monotonicNanoseconds() -> Int64 { Self.read(CLOCK_MONOTONIC) }

    public func wallNanoseconds() -> Int64 { Self.read(CLOCK_REALTIME) }

    public func sleep(untilMonotonic deadline: Int64) {
        guard deadline > 0 else { return }
        sleepThread(untilMonotonic: UInt64(deadline))
    }

    private static func read(_ id: clockid_t) -> Int64 {
        var now = timespec()
        clock_gettime(id, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
