import Foundation
import Histogram

/// A latency histogram as it travels inside `report.json`: one base64 string,
/// so that shard reports (and reports of separate runs) can be merged bucket
/// by bucket instead of averaging percentiles, which is meaningless.
///
/// hdrhistogram-swift has no V2 (compressed) encoder, and its `Codable` form
/// writes every counter including the zeros (tens of thousands per
/// histogram), so hearth uses this small format, "HRH1". All integers are
/// unsigned LEB128 varints (7 bits a byte, low bits first, high bit set on
/// every byte but the last):
///
/// ```
/// "HRH1"                      4 bytes, ASCII magic and format version
/// significant digits          1 byte, 0...5
/// lowest discernible value    varint
/// highest trackable value     varint
/// total count                 varint, a check on what follows
/// maximum value               varint, the largest value recorded, exactly
/// bucket count B              varint, number of non-empty buckets
/// B times:
///   value delta               varint, the bucket's highest equivalent value
///                             minus the previous bucket's (0 before the first)
///   count                     varint, > 0
/// ```
///
/// Values are the histogram's own units (microseconds for
/// ``LatencyHistogram``). Recording `count` at each bucket's highest
/// equivalent value rebuilds an equal histogram, because that value falls in
/// the same bucket; one count of the last bucket is recorded at the exact
/// maximum instead, because percentiles are capped at the largest value
/// recorded.
public struct EncodedHistogram: Codable, Sendable, Equatable, CustomStringConvertible {
    public static let magic: [UInt8] = Array("HRH1".utf8)

    /// The base64 (standard alphabet, padded) text of the bytes above.
    public var base64: String

    public init(base64: String) {
        self.base64 = base64
    }

    public init(_ histogram: LatencyHistogram) {
        var bytes = Self.magic
        bytes.append(UInt8(histogram.numberOfSignificantValueDigits.rawValue))
        Varint.append(histogram.lowestDiscernibleValue, to: &bytes)
        Varint.append(histogram.highestTrackableValue, to: &bytes)
        Varint.append(histogram.totalCount, to: &bytes)
        Varint.append(histogram.totalCount > 0 ? histogram.maxRecorded : 0, to: &bytes)
        var buckets: [(value: UInt64, count: UInt64)] = []
        for bucket in histogram.recordedValues() {
            buckets.append((bucket.value, bucket.count))
        }
        Varint.append(UInt64(buckets.count), to: &bytes)
        var previous: UInt64 = 0
        for bucket in buckets {
            Varint.append(bucket.value - previous, to: &bytes)
            Varint.append(bucket.count, to: &bytes)
            previous = bucket.value
        }
        base64 = Data(bytes).base64EncodedString()
    }

    /// The histogram again; throws if the text is not an HRH1 encoding.
    public func decoded() throws(ReportError) -> LatencyHistogram {
        guard let data = Data(base64Encoded: base64) else {
            throw ReportError(.badHistogram, "a histogram is not valid base64")
        }
        var reader = Varint.Reader(bytes: Array(data))
        guard reader.take(4) == Self.magic else {
            throw ReportError(.badHistogram, "a histogram does not start with HRH1 (written by another tool or a newer hearth?)")
        }
        guard let digitsByte = reader.take(1)?.first,
              let digits = SignificantDigits(rawValue: Int8(clamping: digitsByte)),
              let lowest = reader.varint(), let highest = reader.varint(),
              let total = reader.varint(), let maximum = reader.varint(), let bucketCount = reader.varint(),
              lowest >= 1, highest >= 2 * lowest else {
            throw ReportError(.badHistogram, "a histogram's header is damaged")
        }
        var histogram = LatencyHistogram(lowestDiscernibleValue: lowest, highestTrackableValue: highest, numberOfSignificantValueDigits: digits)
        histogram.autoResize = true
        var value: UInt64 = 0
        var counted: UInt64 = 0
        for _ in 0 ..< bucketCount {
            guard let delta = reader.varint(), let count = reader.varint(), count > 0 else {
                throw ReportError(.badHistogram, "a histogram's buckets are cut short or damaged")
            }
            let (sum, overflow) = value.addingReportingOverflow(delta)
            guard !overflow, sum <= UInt64.max / 2 else {
                throw ReportError(.badHistogram, "a histogram holds a value beyond its range")
            }
            value = sum
            counted &+= count
            let isLast = counted == total
            if isLast, histogram.valuesAreEquivalent(value, maximum) {
                histogram.record(maximum, count: count)
            } else {
                histogram.record(value, count: count)
            }
        }
        guard counted == total, reader.isAtEnd else {
            throw ReportError(.badHistogram, "a histogram's counts do not add up to its total (\(counted) of \(total))")
        }
        return histogram
    }

    /// Encodes as a bare JSON string, to keep report.json compact.
    public init(from decoder: any Decoder) throws {
        base64 = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(base64)
    }

    public var description: String { "HRH1(\(base64.count) base64 characters)" }
}
