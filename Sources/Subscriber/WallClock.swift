#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock time in nanoseconds since the Unix epoch (`CLOCK_REALTIME`).
///
/// The latency stages the harness measures start at `sent_at_ns`, which the
/// publisher stamps from the same clock, so receive and store times must come
/// from it too (a monotonic clock has no common origin across processes).
enum WallClock {
    @inline(__always)
    static func nanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
