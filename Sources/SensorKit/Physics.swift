#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The small set of exact-in-time building blocks the plugins share. Each is
/// exact for any time step (closed-form, not Euler), so a sensor polled once a
/// minute and one polled every 10 ms follow the same physics.
public enum Physics {
    /// Moves `value` towards `target` as a first-order lag with time constant
    /// `tau` seconds: after `tau` seconds 63% of the gap is closed.
    @inlinable
    public static func approach(_ value: Double, _ target: Double, tau: Double, dt: Double) -> Double {
        guard dt > 0 else { return value }
        return target + (value - target) * exp(-dt / tau)
    }

    /// One step of an Ornstein–Uhlenbeck process: a value that wanders around
    /// `mean` with long-run standard deviation `deviation`, forgetting its past
    /// over `tau` seconds. This is how real ambient readings drift.
    public static func drift(
        _ value: Double, mean: Double, deviation: Double, tau: Double, dt: Double, random: inout SeededRandom
    ) -> Double {
        guard dt > 0 else { return value }
        let decay = exp(-dt / tau)
        return mean + (value - mean) * decay + deviation * (1 - decay * decay).squareRoot() * random.normal()
    }

    /// A daily cycle in [-1, 1] that peaks at `peakHour` (UTC) and bottoms out
    /// twelve hours later.
    public static func dailyCycle(_ time: Timestamp, peakHour: Double) -> Double {
        cos(2 * Double.pi * (time.secondsOfDay / 86_400 - peakHour / 24))
    }

    /// Daylight in [0, 1]: zero at night, a sine arch from 06:00 to 18:00 UTC.
    public static func daylight(_ time: Timestamp) -> Double {
        let hour = time.secondsOfDay / 3600
        guard hour > 6, hour < 18 else { return 0 }
        return sin(Double.pi * (hour - 6) / 12)
    }

    /// The hour of day (UTC) in [0, 24).
    public static func hour(_ time: Timestamp) -> Double { time.secondsOfDay / 3600 }

    /// `value` limited to `range`.
    @inlinable
    public static func clamp(_ value: Double, _ range: ClosedRange<Double>) -> Double {
        min(max(value, range.lowerBound), range.upperBound)
    }
}
