#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Nanoseconds on a clock that never jumps (`CLOCK_MONOTONIC`): for
/// intervals and time-outs, which a wall-clock step must neither stretch
/// nor cut.
public func monotonicNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// The same clock in seconds.
public func monotonicSeconds() -> Double {
    Double(monotonicNanoseconds()) / 1e9
}

/// Blocks the calling thread until `deadline` on the same clock, through
/// signals. For code on a thread of its own: it wakes that thread alone,
/// where a `Task.sleep` wakes Dispatch's timer thread and a worker first.
public func sleepThread(untilMonotonic deadline: UInt64) {
    var target = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
    #if canImport(Glibc)
    while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, nil) == EINTR {}
    #else
    let now = monotonicNanoseconds()
    guard deadline > now else { return }
    let remaining = deadline - now
    target = timespec(tv_sec: Int(remaining / 1_000_000_000), tv_nsec: Int(remaining % 1_000_000_000))
    while nanosleep(&target, &target) == -1 && errno == EINTR {}
    #endif
}

/// Blocks the calling thread for `nanoseconds` (see ``sleepThread(untilMonotonic:)``).
public func sleepThread(nanoseconds: UInt64) {
    sleepThread(untilMonotonic: monotonicNanoseconds() + nanoseconds)
}
