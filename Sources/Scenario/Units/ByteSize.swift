/// An amount of memory, written the way Redis's own configuration writes it.
///
/// The suffixes follow redis.conf exactly (`1k` is 1000 bytes, `1kb` is
/// 1024), so a value copied between a scenario and redis.conf means the same
/// in both places. A bare number is refused: `maxmemory: 256` is almost
/// always a forgotten `mb`, not 256 bytes.
public struct ByteSize: Equatable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var bytes: Int64

    public init(bytes: Int64) { self.bytes = bytes }

    public static func megabytes(_ count: Int64) -> ByteSize { ByteSize(bytes: count << 20) }
    public static func gigabytes(_ count: Int64) -> ByteSize { ByteSize(bytes: count << 30) }

    public static func < (lhs: ByteSize, rhs: ByteSize) -> Bool { lhs.bytes < rhs.bytes }

    public var description: String { scenarioText }
}

extension ByteSize {
    /// Reads `256mb`, `8mb`, `1gb`, `512kb`, `1.5gb`, `100b`.
    public init(scenarioText text: String) throws(UnitSyntaxError) {
        let trimmed = String(text.trimmingBlanks)
        let shown = trimmed.shown
        let body = trimmed.lowercased()[...]
        if body.hasPrefix("-") {
            throw UnitSyntaxError("'\(shown)' is negative; a size is 0 or more bytes")
        }
        guard let number = DecimalPrefix.read(body) else {
            throw UnitSyntaxError("'\(shown)' is not a size; write one like 256mb, 8mb or 1gb")
        }
        let unitText = String(number.rest.trimmingBlanks)
        guard !unitText.isEmpty else {
            throw UnitSyntaxError("'\(shown)' needs a unit: b, kb, mb, gb or tb (for example \(shown)mb)")
        }
        guard let unit = Self.bytesPerUnit[unitText] else {
            throw UnitSyntaxError("'\(String(unitText).shown)' in '\(shown)' is not a size unit; use b, kb, mb, gb or tb")
        }
        let bytes = (number.value * unit).rounded()
        guard bytes <= Double(1 << 52) else {
            throw UnitSyntaxError("'\(shown)' is larger than any memory hearth can use (at most 4pb)")
        }
        self.init(bytes: Int64(bytes))
    }

    /// The size with the largest 1024-based unit that divides it exactly:
    /// `256mb`, `1gb`, `1536kb`, `100b`.
    public var scenarioText: String {
        for (suffix, shift) in [("tb", 40), ("gb", 30), ("mb", 20), ("kb", 10)] {
            let unit = Int64(1) << shift
            if bytes >= unit, bytes % unit == 0 { return "\(bytes / unit)\(suffix)" }
        }
        return "\(bytes)b"
    }

    private static let bytesPerUnit: [String: Double] = [
        "b": 1,
        "k": 1e3, "kb": 1024, "kib": 1024,
        "m": 1e6, "mb": 1_048_576, "mib": 1_048_576,
        "g": 1e9, "gb": 1_073_741_824, "gib": 1_073_741_824,
        "t": 1e12, "tb": 1_099_511_627_776, "tib": 1_099_511_627_776,
    ]
}
