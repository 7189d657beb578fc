/// A batch of Redis commands built into one contiguous byte buffer.
///
/// The hot path writes thousands of `SET key token EX ttl` per second; keeping
/// every argument in one buffer (with end offsets) costs no allocation per
/// argument, and the connection hands hiredis pointers straight into it.
public struct RedisPipeline: Sendable {
    var storage: [UInt8] = []
    var argumentEnds: [Int] = []
    var argumentCounts: [Int] = []

    public init(reservingBytes bytes: Int = 0, commands: Int = 0) {
        storage.reserveCapacity(bytes)
        argumentEnds.reserveCapacity(commands * 5)
        argumentCounts.reserveCapacity(commands)
    }

    /// Number of commands in the batch.
    public var count: Int { argumentCounts.count }
    public var isEmpty: Bool { argumentCounts.isEmpty }

    /// Appends one command, e.g. `append("SET", key, value, "EX", "3600")`.
    public mutating func append(_ arguments: RedisArgument...) {
        append(arguments)
    }

    public mutating func append(_ arguments: [RedisArgument]) {
        for argument in arguments {
            argument.write(into: &storage)
            argumentEnds.append(storage.count)
        }
        argumentCounts.append(arguments.count)
    }

    /// Appends one command whose arguments are raw byte buffers, copying them
    /// once into the batch (for payloads received from the network).
    public mutating func append(raw arguments: [UnsafeRawBufferPointer]) {
        for argument in arguments {
            storage.append(contentsOf: argument)
            argumentEnds.append(storage.count)
        }
        argumentCounts.append(arguments.count)
    }

    public mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        argumentEnds.removeAll(keepingCapacity: true)
        argumentCounts.removeAll(keepingCapacity: true)
    }
}

/// One argument of a Redis command: text, bytes or a number, all sent as a
/// binary-safe bulk string.
public struct RedisArgument: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    enum Storage: Sendable {
        case text(String)
        case bytes([UInt8])
        case integer(Int)
    }

    let storage: Storage

    public init(stringLiteral value: String) { storage = .text(value) }
    public init(integerLiteral value: Int) { storage = .integer(value) }
    public static func text(_ value: String) -> RedisArgument { RedisArgument(storage: .text(value)) }
    public static func bytes(_ value: [UInt8]) -> RedisArgument { RedisArgument(storage: .bytes(value)) }
    public static func integer(_ value: Int) -> RedisArgument { RedisArgument(storage: .integer(value)) }

    private init(storage: Storage) { self.storage = storage }

    func write(into buffer: inout [UInt8]) {
        withUnsafeBytes { buffer.append(contentsOf: $0) }
    }

    /// The argument's bytes as sent, for encoders other than hiredis's.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        switch storage {
        case .text(var text):
            return try text.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
        case .bytes(let bytes):
            return try bytes.withUnsafeBytes(body)
        case .integer(let value):
            var text = String(value)
            return try text.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
        }
    }

    /// The command's name for messages; arguments may be secrets and are never shown.
    public static func commandName(of arguments: [RedisArgument]) -> String {
        guard let first = arguments.first else { return "an empty command" }
        return first.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }.uppercased()
    }
}
