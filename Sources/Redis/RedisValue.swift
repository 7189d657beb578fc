internal import CHiredis

/// One RESP2 reply. Bulk strings stay bytes: hearth stores Fernet tokens,
/// and converting them to `String` on the hot path would cost a validation pass.
public enum RedisValue: Sendable, Equatable {
    case status(String)
    case error(String)
    case integer(Int)
    case bulk([UInt8])
    case null
    case array([RedisValue])

    /// The value as text, for bulk strings and status replies.
    public var string: String? {
        switch self {
        case .bulk(let bytes): String(decoding: bytes, as: UTF8.self)
        case .status(let text): text
        default: nil
        }
    }

    public var bytes: [UInt8]? {
        if case .bulk(let bytes) = self { return bytes }
        return nil
    }

    public var integer: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    public var array: [RedisValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// The reply to `arguments`, or a thrown `.serverError` if Redis refused
    /// the command (the one place an error reply becomes an error).
    public func checkedReply(to arguments: [RedisArgument]) throws -> RedisValue {
        if case .error(let text) = self {
            throw RedisError(.serverError, "Redis refused \(RedisArgument.commandName(of: arguments)): \(text)", serverMessage: text)
        }
        return self
    }

    /// Copies a hiredis reply tree into Swift values (hiredis frees its own).
    init(reply: UnsafePointer<redisReply>) {
        let r = reply.pointee
        func text() -> String {
            String(decoding: UnsafeRawBufferPointer(start: r.str, count: r.len), as: UTF8.self)
        }
        switch r.type {
        case REDIS_REPLY_STATUS: self = .status(text())
        case REDIS_REPLY_ERROR: self = .error(text())
        case REDIS_REPLY_INTEGER: self = .integer(Int(r.integer))
        case REDIS_REPLY_STRING: self = .bulk(r.len == 0 ? [] : Array(UnsafeRawBufferPointer(start: r.str, count: r.len)))
        case REDIS_REPLY_ARRAY:
            self = .array((0 ..< r.elements).map { RedisValue(reply: UnsafePointer(r.element[$0]!)) })
        default: self = .null
        }
    }
}
