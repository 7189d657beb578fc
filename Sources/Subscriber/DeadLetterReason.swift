import Fernet
import SensorCatalog
import SensorKit

/// Why a message was not stored: a short stable string that labels a counter.
///
/// An open set (a struct, not an enum) because payload rejections carry the
/// catalogue's own codes (`invalid.out_of_range`, `parse.missing_key`, …),
/// which plugins can extend.
public struct DeadLetterReason: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Larger than the payload cap; refused before any decryption work.
    public static let tooLarge = Self(rawValue: "too_large")
    /// Not `houses/{h}/sensors/{s}` (or a stream entry without house/sensor).
    public static let badTopic = Self(rawValue: "bad_topic")
    /// The topic's house is not in PostgreSQL.
    public static let unknownHouse = Self(rawValue: "unknown_house")
    /// The house has no owner, or the keyring has no key file for the owner.
    public static let noKey = Self(rawValue: "no_key")
    /// Not base64url at all.
    public static let badBase64 = Self(rawValue: "bad_base64")
    /// base64url, but not a Fernet token (version, length, block size).
    public static let badToken = Self(rawValue: "bad_token")
    /// The HMAC fails under every key of the owner: another owner's key, or tampering.
    public static let badHMAC = Self(rawValue: "bad_hmac")
    /// Older than the replay window.
    public static let expired = Self(rawValue: "expired")
    /// Stamped further ahead than the allowed clock skew.
    public static let fromFuture = Self(rawValue: "from_future")
    /// The decrypted bytes are not UTF-8.
    public static let invalidUTF8 = Self(rawValue: "invalid_utf8")
    /// The decrypted bytes are not JSON (or JSON nested too deep, repeated keys, huge numbers).
    public static let invalidJSON = Self(rawValue: "invalid_json")
    /// The payload's house or sensor differs from the topic's.
    public static let topicMismatch = Self(rawValue: "topic_mismatch")
    /// The sensor is not in PostgreSQL, or belongs to another house.
    public static let unknownSensor = Self(rawValue: "unknown_sensor")
    /// The payload's kind differs from the sensor's kind in PostgreSQL.
    public static let kindMismatch = Self(rawValue: "kind_mismatch")
    /// `seq` already seen for this sensor.
    public static let duplicate = Self(rawValue: "duplicate")
    /// `seq` too far behind the sensor's highest to judge, in an older token.
    public static let replay = Self(rawValue: "replay")
    /// `seq` does not fit PostgreSQL's bigint.
    public static let seqOutOfRange = Self(rawValue: "seq_out_of_range")
    /// Redis refused the write with a permanent error (e.g. WRONGTYPE).
    public static let storeRefused = Self(rawValue: "store_refused")

    /// The reason for a token that did not open.
    static func from(_ error: FernetError) -> Self {
        switch error.code {
        case .badBase64: .badBase64
        case .badHMAC: .badHMAC
        case .expired: .expired
        case .fromTheFuture: .fromFuture
        default: .badToken
        }
    }

    /// The reason for a decrypted payload the catalogue refused: UTF-8 and
    /// JSON syntax get the short names; the rest keep the catalogue's code.
    static func from(_ rejection: PayloadRejection) -> Self {
        if case .unparsable(let error) = rejection {
            switch error.code {
            case .invalidUTF8: return .invalidUTF8
            case .malformedJSON, .nestingTooDeep, .numberOutOfRange, .duplicateKey, .notAnObject: return .invalidJSON
            default: break
            }
        }
        return Self(rawValue: rejection.code)
    }
}
