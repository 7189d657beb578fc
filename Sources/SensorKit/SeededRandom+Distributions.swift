#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few distributions sensor physics needs, drawn without allocation.
///
/// They are written out here (rather than `Double.random(in:using:)`) so that
/// the sequence of draws is fixed by this file alone and does not change if the
/// standard library changes how it maps bits to doubles.
extension SeededRandom {
    /// Uniform in [0, 1), with 53 random bits.
    @inlinable
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in `range`.
    @inlinable
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + unit() * (range.upperBound - range.lowerBound)
    }

    /// True with probability `probability`.
    @inlinable
    public mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// Standard normal (mean 0, deviation 1), by Box–Muller. One of the pair is
    /// discarded so that no hidden state has to be kept between calls.
    public mutating func normal() -> Double {
        let u1 = max(unit(), 0x1.0p-60)
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Exponential with the given mean: the waiting time of a Poisson process.
    public mutating func exponential(mean: Double) -> Double {
        -mean * log(max(1 - unit(), 0x1.0p-60))
    }
}
