/// RFC 3339 text for `timestamp` in payloads: always UTC with a `Z` and
/// milliseconds when writing (`2025-03-01T07:05:09.250Z`); any offset and up to
/// nanoseconds when reading, because other tools send such stamps too.
///
/// Written by hand over bytes (civil-from-days, after Howard Hinnant) because
/// it runs once per reading on the hot path and must not pull in Foundation.
extension Timestamp {
    /// The RFC 3339 form, UTC, millisecond precision.
    public var rfc3339: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        appendRFC3339(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the RFC 3339 form (UTC, milliseconds, 24 bytes) to `bytes`.
    public func appendRFC3339(to bytes: inout [UInt8]) {
        let nsPerDay: Int64 = 86_400_000_000_000
        var days = nanosecondsSinceEpoch / nsPerDay
        var rest = nanosecondsSinceEpoch % nsPerDay
        if rest < 0 { rest += nsPerDay; days -= 1 }
        let (year, month, day) = Self.civil(fromDays: days)
        let millis = rest / 1_000_000
        let second = millis / 1000
        func digits(_ value: Int64, _ count: Int) {
            var divisor: Int64 = 1
            for _ in 1..<count { divisor *= 10 }
            var v = value
            while divisor > 0 {
                bytes.append(UInt8(truncatingIfNeeded: 48 + (v / divisor) % 10))
                v %= divisor
                divisor /= 10
            }
        }
        if year < 0 { bytes.append(UInt8(ascii: "-")) }
        digits(abs(year), 4)
        bytes.append(UInt8(ascii: "-")); digits(month, 2)
        bytes.append(UInt8(ascii: "-")); digits(day, 2)
        bytes.append(UInt8(ascii: "T")); digits(second / 3600, 2)
        bytes.append(UInt8(ascii: ":")); digits(second / 60 % 60, 2)
        bytes.append(UInt8(ascii: ":")); digits(second % 60, 2)
        bytes.append(UInt8(ascii: ".")); digits(millis % 1000, 3)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// Parses an RFC 3339 `date-time` (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`);
    /// nil if the text is not one or names an impossible date or time.
    public init?(rfc3339 text: some StringProtocol) {
        guard let parsed = Array(text.utf8).withUnsafeBufferPointer({ Timestamp(rfc3339UTF8: $0) }) else { return nil }
        self = parsed
    }

    /// The same over UTF-8 bytes, for a parser that has them already (the
    /// subscriber's `ReadingScanner`) and should not make a String first.
    public init?(rfc3339UTF8 utf8: UnsafeBufferPointer<UInt8>) {
        guard utf8.count >= 20 else { return nil }
        func number(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= utf8.count else { return nil }
            var value: Int64 = 0
            for byte in utf8[from..<(from + count)] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        func expect(_ index: Int, _ characters: String) -> Bool {
            index < utf8.count && characters.utf8.contains(utf8[index])
        }
        guard let year = number(0, 4), expect(4, "-"), let month = number(5, 2), expect(7, "-"),
              let day = number(8, 2), expect(10, "Tt "), let hour = number(11, 2), expect(13, ":"),
              let minute = number(14, 2), expect(16, ":"), let second = number(17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var nanos: Int64 = 0
        if expect(index, ".") {
            index += 1
            var scale: Int64 = 100_000_000
            let start = index
            while index < utf8.count, utf8[index] >= 48, utf8[index] <= 57 {
                nanos += Int64(utf8[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offsetSeconds: Int64 = 0
        if expect(index, "Zz"), index + 1 == utf8.count {
            offsetSeconds = 0
        } else if expect(index, "+-"), index + 6 == utf8.count, expect(index + 3, ":"),
                  let offsetHours = number(index + 1, 2), let offsetMinutes = number(index + 4, 2),
                  offsetHours < 24, offsetMinutes < 60 {
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (utf8[index] == UInt8(ascii: "-") ? -1 : 1)
        } else {
            return nil
        }
        let days = Self.days(fromCivil: year, month, day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offsetSeconds
        let (total, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return nil }
        self.init(nanosecondsSinceEpoch: total + nanos)
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01.
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
