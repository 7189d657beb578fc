/// The subscriber's fast path from payload bytes to a `Reading`: one pass over
/// the bytes, no `JSONValue` tree, no String made for a key.
///
/// `Reading(payload:)` parses any JSON into a tree and then picks the reading
/// out of it; at 40,000 readings a second that was a tenth of the process's
/// CPU. This scanner reads only the shape payloads have in practice (ASCII
/// strings without escapes, plain integers and decimals, JSON whitespace) and
/// returns nil at the first byte outside it. It never judges: for nil the
/// caller runs `Reading(payload:)`, which accepts or refuses with the precise
/// error. So a reading it returns must be exactly the one `Reading(payload:)`
/// returns for the same bytes, and it must return nil for every payload that
/// `Reading(payload:)` refuses; `ReadingScannerTests` checks both over a table
/// of malformed inputs and over random mutations of real payloads.
public struct ReadingScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    /// The reading in `bytes`, or nil if they are not in the common shape.
    public static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Reading? {
        var scanner = ReadingScanner(bytes: bytes)
        return scanner.document()
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The fixed keys, each a bit in `seen` (value fields are checked apart).
    private enum FixedKey: Int, CaseIterable {
        /// `allCases` builds a new array at every use; this one is built once.
        static let all = allCases

        case sensorID, sensorName, houseID, kind, seq, timestamp, sentAt, units, alarms

        var name: StaticString {
            switch self {
            case .sensorID: return "sensor_id"
            case .sensorName: return "sensor_name"
            case .houseID: return "house_id"
            case .kind: return "kind"
            case .seq: return "seq"
            case .timestamp: return "timestamp"
            case .sentAt: return "sent_at_ns"
            case .units: return "units"
            case .alarms: return "alarms"
            }
        }
    }

    private mutating func document() -> Reading? {
        skipWhitespace()
        guard take(UInt8(ascii: "{")) else { return nil }
        var seen = 0
        var sensorID = 0, houseID = 0
        var seq: UInt64 = 0
        var sentAt: Int64 = 0
        var sensorName = "", kind = ""
        var timestamp: Timestamp?
        var fields: [ReadingField] = []
        var units: [(name: Range<Int>, unit: String)] = []
        var alarms: [String] = []
        skipWhitespace()
        if take(UInt8(ascii: "}")) { return nil }  // lacks every required key
        repeat {
            skipWhitespace()
            guard let key = stringRange() else { return nil }
            skipWhitespace()
            guard take(UInt8(ascii: ":")) else { return nil }
            skipWhitespace()
            if let fixed = FixedKey.all.first(where: { equals(key, $0.name) }) {
                let bit = 1 << fixed.rawValue
                guard seen & bit == 0 else { return nil }
                seen |= bit
                switch fixed {
                case .sensorID: guard let value = integer() else { return nil }; sensorID = Int(value)
                case .houseID: guard let value = integer() else { return nil }; houseID = Int(value)
                case .seq: guard let value = integer(), value >= 0 else { return nil }; seq = UInt64(value)
                case .sentAt: guard let value = integer() else { return nil }; sentAt = value
                case .sensorName: guard let value = string() else { return nil }; sensorName = value
                case .kind: guard let value = string() else { return nil }; kind = value
                case .timestamp:
                    guard let range = stringRange(),
                          let value = Timestamp(rfc3339UTF8: UnsafeBufferPointer(rebasing: bytes[range]))
                    else { return nil }
                    timestamp = value
                case .units: guard unitsObject(into: &units) else { return nil }
                case .alarms: guard stringArray(into: &alarms) else { return nil }
                }
            } else {
                guard !fields.contains(where: { equals(key, $0.name) }) else { return nil }
                let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[key]), as: UTF8.self)
                if bytes.indices.contains(index), bytes[index] == UInt8(ascii: "\"") {
                    guard let text = string() else { return nil }
                    fields.append(ReadingField(name: name, value: .text(text)))
                } else {
                    guard let number = number() else { return nil }
                    fields.append(ReadingField(name: name, value: .number(number)))
                }
            }
            skipWhitespace()
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "}")) else { return nil }
        skipWhitespace()
        guard index == bytes.count, seen == (1 << FixedKey.all.count) - 1, let timestamp else { return nil }
        for (name, unit) in units {
            guard let position = fields.firstIndex(where: { equals(name, $0.name) }) else { return nil }
            fields[position].unit = unit
        }
        return Reading(
            sensorID: sensorID, sensorName: sensorName, houseID: houseID, kind: SensorKind(kind), seq: seq,
            timestamp: timestamp, sentAt: Timestamp(nanosecondsSinceEpoch: sentAt), fields: fields, alarms: alarms
        )
    }

    /// `{"name":"unit",...}`, keys unique.
    private mutating func unitsObject(into units: inout [(name: Range<Int>, unit: String)]) -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        skipWhitespace()
        if take(UInt8(ascii: "}")) { return true }
        repeat {
            skipWhitespace()
            guard let name = stringRange() else { return false }
            guard !units.contains(where: { bytes[$0.name].elementsEqual(bytes[name]) }) else { return false }
            skipWhitespace()
            guard take(UInt8(ascii: ":")) else { return false }
            skipWhitespace()
            guard let unit = string() else { return false }
            units.append((name, unit))
            skipWhitespace()
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    /// `["name",...]`.
    private mutating func stringArray(into strings: inout [String]) -> Bool {
        guard take(UInt8(ascii: "[")) else { return false }
        skipWhitespace()
        if take(UInt8(ascii: "]")) { return true }
        repeat {
            skipWhitespace()
            guard let text = string() else { return false }
            strings.append(text)
            skipWhitespace()
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]"))
    }

    /// A string value: printable ASCII or well-formed UTF-8, no escapes.
    private mutating func string() -> String? {
        stringRange(allowingNonASCII: true).map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
    }

    /// The bytes between the quotes of a string without escapes or control
    /// characters; nil for anything else (the strict parser decides those).
    /// Keys must be ASCII: the strict parser compares keys as Strings, by
    /// canonical equivalence, and for ASCII that is byte equality.
    private mutating func stringRange(allowingNonASCII: Bool = false) -> Range<Int>? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return start ..< index - 1
            }
            if byte >= 0x80 {
                guard allowingNonASCII, case .success(let length) = UTF8Scalar.multiByteLength(at: index, in: bytes) else { return nil }
                index += length
                continue
            }
            guard byte >= 0x20, byte != UInt8(ascii: "\\") else { return nil }
            index += 1
        }
        return nil
    }

    /// A JSON integer that fits `Int64` (`sent_at_ns` has 19 digits); the
    /// one negative value past `-Int64.max` is left to the strict parser.
    private mutating func integer() -> Int64? {
        let negative = take(UInt8(ascii: "-"))
        guard let (magnitude, _) = digitRun(), magnitude <= UInt64(Int64.max), !isNumberContinuation else { return nil }
        return negative ? -Int64(magnitude) : Int64(magnitude)
    }

    /// A JSON integer or decimal (no exponent) of at most 15 significant
    /// digits, as the `Double` that `Double(String)` makes of its text: an
    /// integer of fewer than 2^53 divided by an exact power of ten is
    /// correctly rounded by IEEE division.
    private mutating func number() -> Double? {
        let negative = take(UInt8(ascii: "-"))
        guard let (whole, wholeDigits) = digitRun() else { return nil }
        guard take(UInt8(ascii: ".")) else {
            guard wholeDigits <= 15, !isNumberContinuation else { return nil }
            // As the strict path: an integer becomes Double(Int64), so -0 is +0.
            return Double(negative ? -Int64(whole) : Int64(whole))
        }
        let fractionStart = index
        var mantissa = whole
        while index < bytes.count, bytes[index] &- 48 < 10 {
            mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- 48)
            index += 1
        }
        let fractionDigits = index - fractionStart
        guard fractionDigits > 0, wholeDigits + fractionDigits <= 15, !isNumberContinuation else { return nil }
        let magnitude = Double(mantissa) / Self.powersOfTen[fractionDigits]
        return negative ? -magnitude : magnitude
    }

    private static let powersOfTen: [Double] = (0 ... 15).map { power in (0 ..< power).reduce(1.0) { value, _ in value * 10 } }

    /// Decimal digits without a leading zero (a lone `0` is fine): value and count.
    private mutating func digitRun() -> (UInt64, Int)? {
        let start = index
        var value: UInt64 = 0
        while index < bytes.count, bytes[index] &- 48 < 10, index - start < 19 {
            value = value * 10 + UInt64(bytes[index] &- 48)
            index += 1
        }
        let count = index - start
        guard count > 0, !(count > 1 && bytes[start] == 48) else { return nil }
        return (value, count)
    }

    /// Whether the number goes on in a form this scanner leaves to the strict
    /// parser (more digits, a fraction or an exponent).
    private var isNumberContinuation: Bool {
        guard index < bytes.count else { return false }
        let byte = bytes[index]
        return byte &- 48 < 10 || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }

    private func equals(_ range: Range<Int>, _ name: StaticString) -> Bool {
        guard range.count == name.utf8CodeUnitCount else { return false }
        return name.withUTF8Buffer { bytes[range].elementsEqual($0) }
    }

    private func equals(_ range: Range<Int>, _ name: String) -> Bool {
        var name = name
        return name.withUTF8 { bytes[range].elementsEqual($0) }
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            index += 1
        }
    }
}
