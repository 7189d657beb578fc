import Foundation

/// Converts `Date` to and from PostgreSQL's ISO text form of `timestamptz`
/// (`2024-05-01 12:34:56.789012+00`).
///
/// Written by hand rather than with `DateFormatter` or `ISO8601DateFormatter`:
/// those are slow, allocate, and do not know PostgreSQL's variants (optional
/// fraction, `+05:30` and `+05:30:15` offsets, ` BC` suffix, years past 9999).
/// The connection keeps `DateStyle` at ISO, so this is the only form to read.
enum PostgresTimestamp {
    private static let microsPerDay: Int64 = 86_400_000_000

    /// `date` as `YYYY-MM-DD HH:MM:SS.ffffff+00`, rounded to PostgreSQL's microsecond precision.
    static func format(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let days = floorDivide(micros, microsPerDay)
        var rest = micros - days * microsPerDay
        let (year, month, day) = civil(fromDays: days)
        let hour = rest / 3_600_000_000; rest %= 3_600_000_000
        let minute = rest / 60_000_000; rest %= 60_000_000
        let second = rest / 1_000_000
        let fraction = rest % 1_000_000
        var text = ""
        text.reserveCapacity(32)
        text += pad(year > 0 ? year : 1 - year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        text += " " + pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
        if fraction != 0 { text += "." + pad(fraction, 6) }
        text += "+00"
        if year <= 0 { text += " BC" }
        return text
    }

    /// Parses `timestamptz`, `timestamp` (read as UTC) and `date` (midnight UTC) text.
    /// Returns nil for anything else, including `infinity`, which no `Date` can hold.
    static func parse(_ text: String) -> Date? {
        var bytes = Array(text.utf8)
        var bc = false
        if bytes.count > 3, bytes.suffix(3) == Array(" BC".utf8) { bc = true; bytes.removeLast(3) }
        var cursor = Cursor(bytes: bytes)
        guard var year = cursor.number(minDigits: 4, maxDigits: 9), cursor.skip("-"),
              let month = cursor.number(minDigits: 2, maxDigits: 2), cursor.skip("-"),
              let day = cursor.number(minDigits: 2, maxDigits: 2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        if bc { year = 1 - year }
        var micros = days(fromYear: year, month: month, day: day) * microsPerDay
        if cursor.atEnd { return Date(timeIntervalSince1970: Double(micros) / 1_000_000) }
        guard cursor.skip(" ") || cursor.skip("T"),
              let hour = cursor.number(minDigits: 2, maxDigits: 2), cursor.skip(":"),
              let minute = cursor.number(minDigits: 2, maxDigits: 2), cursor.skip(":"),
              let second = cursor.number(minDigits: 2, maxDigits: 2),
              hour <= 24, minute < 60, second <= 60 else { return nil }
        micros += ((hour * 60 + minute) * 60 + second) * 1_000_000
        if cursor.skip(".") {
            guard let (fraction, digits) = cursor.digits(maxDigits: 9) else { return nil }
            var scaled = fraction
            var scale = digits
            while scale < 6 { scaled *= 10; scale += 1 }
            while scale > 6 { scaled /= 10; scale -= 1 }
            micros += scaled
        }
        if let sign = cursor.sign() {
            guard let offsetHours = cursor.number(minDigits: 2, maxDigits: 2) else { return nil }
            var offset = offsetHours * 3600
            if cursor.skip(":") {
                guard let offsetMinutes = cursor.number(minDigits: 2, maxDigits: 2) else { return nil }
                offset += offsetMinutes * 60
                if cursor.skip(":") {
                    guard let offsetSeconds = cursor.number(minDigits: 2, maxDigits: 2) else { return nil }
                    offset += offsetSeconds
                }
            }
            micros -= sign * offset * 1_000_000
        }
        guard cursor.atEnd else { return nil }
        return Date(timeIntervalSince1970: Double(micros) / 1_000_000)
    }

    // MARK: Calendar arithmetic (proleptic Gregorian, Howard Hinnant's algorithms)

    static func days(fromYear year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// A read position in ASCII bytes.
    private struct Cursor {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        /// `+1` or `-1` after consuming a sign, nil when there is none.
        mutating func sign() -> Int64? {
            if skip("+") { return 1 }
            if skip("-") { return -1 }
            return nil
        }

        mutating func digits(maxDigits: Int) -> (value: Int64, count: Int)? {
            var value: Int64 = 0
            var count = 0
            while index < bytes.count, count < maxDigits, (48...57).contains(bytes[index]) {
                value = value * 10 + Int64(bytes[index] - 48)
                index += 1
                count += 1
            }
            return count == 0 ? nil : (value, count)
        }

        mutating func number(minDigits: Int, maxDigits: Int) -> Int64? {
            guard let (value, count) = digits(maxDigits: maxDigits), count >= minDigits else { return nil }
            return value
        }
    }
}
