import Testing
import SensorKit

@Suite("Seeded randomness")
struct SeededRandomTests {
    @Test func splitMix64MatchesTheReference() {
        var generator = SplitMix64(state: 0)
        #expect([generator.next(), generator.next(), generator.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
    }

    @Test func xoshiro256StarStarMatchesTheReference() {
        // Outputs of the reference C implementation from state {1, 2, 3, 4}.
        var generator = SeededRandom(state: (1, 2, 3, 4))
        #expect((0..<4).map { _ in generator.next() } == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
    }

    @Test func sameSeedAndStreamGiveTheSameSequence() {
        var a = SeededRandom(seed: 42, stream: 9)
        var b = SeededRandom(seed: 42, stream: 9)
        #expect((0..<100).map { _ in a.next() } == (0..<100).map { _ in b.next() })
    }

    @Test func neighbouringSeedsAndStreamsDiverge() {
        func first(_ seed: UInt64, _ stream: UInt64) -> [UInt64] {
            var generator = SeededRandom(seed: seed, stream: stream)
            return (0..<4).map { _ in generator.next() }
        }
        let samples = [first(0, 0), first(1, 0), first(0, 1), first(1, 1), first(0, 2)]
        #expect(Set(samples).count == samples.count)
        // Each bit of the first output flips for about half of a run of streams.
        let ones = (0..<256).map { first(5, UInt64($0))[0].nonzeroBitCount }.reduce(0, +)
        #expect(abs(Double(ones) / (256 * 64) - 0.5) < 0.02)
    }

    @Test func distributionsHaveTheirShape() {
        var random = SeededRandom(seed: 1)
        let count = 20_000
        let units = (0..<count).map { _ in random.unit() }
        #expect(units.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(units.reduce(0, +) / Double(count) - 0.5) < 0.01)
        let normals = (0..<count).map { _ in random.normal() }
        let mean = normals.reduce(0, +) / Double(count)
        let variance = normals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(count)
        #expect(abs(mean) < 0.03)
        #expect(abs(variance - 1) < 0.05)
        let waits = (0..<count).map { _ in random.exponential(mean: 30) }
        #expect(waits.allSatisfy { $0 >= 0 })
        #expect(abs(waits.reduce(0, +) / Double(count) - 30) < 1)
        let hits = (0..<count).filter { _ in random.chance(0.2) }.count
        #expect(abs(Double(hits) / Double(count) - 0.2) < 0.015)
    }

    @Test func stateIsSmallAndPlain() {
        #expect(MemoryLayout<SeededRandom>.size == 32)
        #expect(_isPOD(SeededRandom.self))
    }
}
