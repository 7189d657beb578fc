/// A fast, seeded pseudo-random generator: xoshiro256** (Blackman and Vigna),
/// seeded through SplitMix64 as its authors recommend.
///
/// Why not `SystemRandomNumberGenerator`: a load test must be repeatable, so the
/// same scenario seed has to give the same readings on every run and machine.
/// Why xoshiro256**: it passes BigCrush, needs four words of state (so a million
/// sensors can each own one) and costs a handful of instructions per number.
///
/// Each sensor gets its own stream, `SeededRandom(seed:stream:)`, so adding a
/// sensor to a scenario does not change the readings of the others.
@frozen
public struct SeededRandom: RandomNumberGenerator, Sendable, Hashable, BitwiseCopyable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// A generator for `stream` (for example a sensor's index) under `seed`.
    /// Different streams of one seed are independent for simulation purposes.
    public init(seed: UInt64, stream: UInt64 = 0) {
        var mixer = SplitMix64(state: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        // Fold the stream in twice so that nearby (seed, stream) pairs diverge at once.
        _ = mixer.next()
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }  // the all-zero state is a fixed point
    }

    /// A generator with exactly this internal state (not all zero), for
    /// checking against the reference implementation.
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(state.0 | state.1 | state.2 | state.3 != 0, "xoshiro's state must not be all zero")
        (s0, s1, s2, s3) = state
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    @inlinable
    func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

/// SplitMix64 (Steele, Lea and Flood): one word of state; used to expand a seed
/// into xoshiro's four words, and useful on its own where eight bytes matter.
@frozen
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable, BitwiseCopyable {
    public var state: UInt64

    public init(state: UInt64) { self.state = state }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
