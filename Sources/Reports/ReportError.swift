/// A report that cannot be read, merged or written: an extensible `Code`
/// and one line that says what is wrong and, where it helps, what to do.
public struct ReportError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The file could not be read or written.
        public static let io = Code("io")
        /// Not JSON, or not a hearth report.
        public static let malformed = Code("malformed")
        /// Written by a hearth whose `schema_version` this one does not know.
        public static let unsupportedSchema = Code("unsupportedSchema")
        /// An encoded histogram is damaged.
        public static let badHistogram = Code("badHistogram")
        /// Reports that cannot be combined (different scenarios).
        public static let incompatible = Code("incompatible")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
