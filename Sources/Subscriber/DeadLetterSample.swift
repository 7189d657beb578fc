/// One refused message, as much as may be shown: where it came from, why it
/// was refused, how big it was and when. Never the plaintext (there may be
/// none, or it may be someone's home data), never a key, and of the token
/// only its first characters, which encode the Fernet version and timestamp.
public struct DeadLetterSample: Sendable, Equatable, CustomStringConvertible {
    /// The topic (or the stream entry's topic), cut to 128 bytes with control characters replaced.
    public var topic: String
    public var reason: DeadLetterReason
    /// The payload's size in bytes, as received.
    public var size: Int
    /// When it was refused, nanoseconds since the epoch.
    public var timeNanoseconds: Int64
    /// The first 12 characters when the payload looks like a Fernet token
    /// (`gAAAAA…`); nil otherwise, because a payload that is not a token
    /// might be plaintext.
    public var tokenPrefix: String?

    public init(topic: String, reason: DeadLetterReason, size: Int, timeNanoseconds: Int64, tokenPrefix: String?) {
        self.topic = topic
        self.reason = reason
        self.size = size
        self.timeNanoseconds = timeNanoseconds
        self.tokenPrefix = tokenPrefix
    }

    init(topic: ArraySlice<UInt8>, payload: ArraySlice<UInt8>, reason: DeadLetterReason, at time: Int64) {
        self.init(
            topic: Self.printable(topic.prefix(128)), reason: reason, size: payload.count,
            timeNanoseconds: time, tokenPrefix: Self.tokenPrefix(payload)
        )
    }

    public var description: String {
        "\(reason) topic=\(topic) size=\(size)" + (tokenPrefix.map { " token=\($0)…" } ?? "")
    }

    private static let fernetStart = Array("gAAAAA".utf8)

    private static func tokenPrefix(_ payload: ArraySlice<UInt8>) -> String? {
        guard payload.starts(with: fernetStart) else { return nil }
        let prefix = payload.prefix(12)
        guard prefix.allSatisfy(isBase64URL) else { return nil }
        return String(decoding: prefix, as: UTF8.self)
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"): true
        default: false
        }
    }

    /// Printable ASCII as is, anything else as `?`, so a hostile topic cannot
    /// forge log lines or terminal escapes.
    private static func printable(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.map { (0x20..<0x7f).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }
}
