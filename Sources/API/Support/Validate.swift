/// Field checks shared by the request bodies. Each throws a 422 naming the
/// field and returns the value as it will be stored.
enum Validate {
    /// Longest free text (names, addresses) the API stores: generous for
    /// people, small enough that no field can be used to fill the database.
    static let maxTextLength = 200

    /// An e-mail address: one `@` with text on both sides, no spaces or
    /// control characters, at most 254 characters (RFC 5321). Stored as typed;
    /// uniqueness ignores case (the index is on `lower(email)`).
    static func email(_ value: String, field: String = "email") throws(APIError) -> String {
        let trimmed = value.trimmingWhitespace
        guard !trimmed.isEmpty else { throw .invalid(field, "must not be empty") }
        guard trimmed.count <= 254 else { throw .invalid(field, "must be at most 254 characters") }
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
              !trimmed.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F })
        else { throw .invalid(field, "must be an e-mail address") }
        return trimmed
    }

    /// A password for bcrypt: at least 8 characters, at most 72 bytes (bcrypt
    /// ignores everything after the 72nd byte, so a longer one would be
    /// silently weaker than it looks), and no NUL (bcrypt stops at it).
    static func password(_ value: String, field: String = "password") throws(APIError) -> String {
        guard value.count >= 8 else { throw .invalid(field, "must be at least 8 characters") }
        guard value.utf8.count <= 72 else { throw .invalid(field, "must be at most 72 bytes") }
        guard !value.utf8.contains(0) else { throw .invalid(field, "must not contain NUL") }
        return value
    }

    /// Free text: trimmed, at most ``maxTextLength`` characters, no control
    /// characters (NUL cannot be stored in PostgreSQL text at all).
    static func text(_ value: String, field: String, allowEmpty: Bool = false) throws(APIError) -> String {
        let trimmed = value.trimmingWhitespace
        if !allowEmpty && trimmed.isEmpty { throw .invalid(field, "must not be empty") }
        guard trimmed.count <= maxTextLength else { throw .invalid(field, "must be at most \(maxTextLength) characters") }
        guard !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .invalid(field, "must not contain control characters")
        }
        return trimmed
    }

    /// An id in a body: positive and within PostgreSQL's bigint.
    static func id(_ value: Int, field: String) throws(APIError) -> Int {
        guard value > 0 else { throw .invalid(field, "must be a positive id") }
        return value
    }

    /// A calendar date written `YYYY-MM-DD`, checked for real months and days
    /// (so `2024-02-30` is refused here, not by the database).
    static func date(_ value: String, field: String) throws(APIError) -> String {
        let bytes = Array(value.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = Int(String(decoding: bytes[0 ..< 4], as: UTF8.self)),
              let month = Int(String(decoding: bytes[5 ..< 7], as: UTF8.self)),
              let day = Int(String(decoding: bytes[8 ..< 10], as: UTF8.self)),
              bytes.enumerated().allSatisfy({ $0.offset == 4 || $0.offset == 7 || (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains($0.element) }),
              year >= 1, (1 ... 12).contains(month), (1 ... daysIn(month: month, year: year)).contains(day)
        else { throw .invalid(field, "must be a date written YYYY-MM-DD") }
        return value
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension String {
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first ... last])
    }
}
