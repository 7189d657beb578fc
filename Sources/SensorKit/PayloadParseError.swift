/// Why bytes are not a payload: not UTF-8, not JSON, or JSON of the wrong shape.
///
/// The subscriber counts these in its dead-letter tally by `code`, so codes are
/// stable strings; `message` is one line for a person; `offset` is the byte
/// where JSON parsing stopped, when that is where the problem is.
public struct PayloadParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let invalidUTF8 = Code(rawValue: "invalid_utf8")
        public static let malformedJSON = Code(rawValue: "malformed_json")
        public static let nestingTooDeep = Code(rawValue: "nesting_too_deep")
        public static let numberOutOfRange = Code(rawValue: "number_out_of_range")
        public static let duplicateKey = Code(rawValue: "duplicate_key")
        public static let notAnObject = Code(rawValue: "not_an_object")
        public static let missingKey = Code(rawValue: "missing_key")
        public static let wrongType = Code(rawValue: "wrong_type")
        public static let invalidTimestamp = Code(rawValue: "invalid_timestamp")
    }

    public var code: Code
    public var message: String
    public var offset: Int?

    public init(_ code: Code, _ message: String, offset: Int? = nil) {
        self.code = code
        self.message = message
        self.offset = offset
    }

    public var description: String {
        offset.map { "\(message) (at byte \($0))" } ?? message
    }
}
