import Foundation
import Histogram
@testable import Reports
import Testing

@Suite("HRH1 histogram encoding")
struct HistogramEncodingTests {
    @Test("a histogram survives encoding: same buckets, same percentiles, same total")
    func roundTrip() throws {
        var histogram = LatencyHistogram.latency()
        for microseconds: UInt64 in [0, 1, 2, 999, 1000, 1001, 2047, 2048, 65_535, 1_234_567, 3_600_000_000] {
            histogram.record(microseconds, count: microseconds % 7 + 1)
        }
        let decoded = try EncodedHistogram(histogram).decoded()
        #expect(decoded == histogram)
        #expect(decoded.totalCount == histogram.totalCount)
        for percentile in [0.0, 50, 90, 99, 99.9, 100] {
            #expect(decoded.valueAtPercentile(percentile) == histogram.valueAtPercentile(percentile))
        }
        #expect(decoded.latencySummary == histogram.latencySummary)
    }

    @Test("an empty histogram encodes to a short string and decodes empty")
    func empty() throws {
        let encoded = EncodedHistogram(LatencyHistogram.latency())
        #expect(encoded.base64.count < 32)
        let decoded = try encoded.decoded()
        #expect(decoded.totalCount == 0)
        #expect(LatencySummary(histogram: decoded).count == 0)
    }

    @Test("the encoding keeps only non-empty buckets: a latency distribution with a long tail stays small")
    func compact() throws {
        var histogram = ReportFixtures.histogram(count: 9_900, fromMs: 1, toMs: 3)
        histogram.add(ReportFixtures.histogram(count: 100, fromMs: 3, toMs: 2_000))
        let encoded = EncodedHistogram(histogram)
        let codable = try JSONEncoder().encode(histogram)
        #expect(encoded.base64.count < 6_000)
        #expect(encoded.base64.count * 3 < codable.count)
    }

    @Test("merging encoded shards equals recording every value in one histogram")
    func mergeEqualsUnion() throws {
        let a = ReportFixtures.histogram(count: 3_000, fromMs: 0.5, toMs: 20)
        let b = ReportFixtures.histogram(count: 1_000, fromMs: 10, toMs: 400)
        var union = ReportFixtures.histogram(count: 3_000, fromMs: 0.5, toMs: 20)
        union.add(ReportFixtures.histogram(count: 1_000, fromMs: 10, toMs: 400))
        let merged = try ReportMerger.mergeLatency([
            [LatencyRecord(span: .endToEnd, histogram: a)],
            [LatencyRecord(span: .endToEnd, histogram: b)],
        ])
        #expect(merged.count == 1)
        #expect(try merged[0].histogram.decoded() == union)
        #expect(merged[0].summary == union.latencySummary)
        #expect(merged[0].summary.count == 4_000)
    }

    @Test("damaged encodings throw instead of trapping", arguments: [
        "not base64!",
        Data("XXXX".utf8).base64EncodedString(),
        Data([0x48, 0x52, 0x48, 0x31, 3]).base64EncodedString(),
    ])
    func damaged(text: String) {
        #expect(throws: ReportError.self) { try EncodedHistogram(base64: text).decoded() }
    }

    @Test("a truncated body or a wrong total is refused")
    func truncated() throws {
        let good = try #require(Data(base64Encoded: EncodedHistogram(ReportFixtures.histogram(count: 50, fromMs: 1, toMs: 5)).base64))
        let cut = EncodedHistogram(base64: good.dropLast(2).base64EncodedString())
        #expect(throws: ReportError.self) { try cut.decoded() }
        var bytes = EncodedHistogram.magic + [3]
        for field: UInt64 in [1, 2048, 5, 10, 1, 10, 4] { Varint.append(field, to: &bytes) } // total 5, but one bucket of 4
        let error = #expect(throws: ReportError.self) { try EncodedHistogram(base64: Data(bytes).base64EncodedString()).decoded() }
        #expect(error?.message.contains("4 of 5") == true)
    }

    @Test("varints round-trip at their edges")
    func varints() {
        let values: [UInt64] = [0, 1, 127, 128, 16_383, 16_384, UInt64(UInt32.max), UInt64.max]
        var bytes: [UInt8] = []
        for value in values { Varint.append(value, to: &bytes) }
        var reader = Varint.Reader(bytes: bytes)
        #expect(values.map { _ in reader.varint() } == values.map { Optional($0) })
        #expect(reader.isAtEnd)
        var overlong = Varint.Reader(bytes: Array(repeating: 0xFF, count: 11))
        #expect(overlong.varint() == nil)
    }
}
