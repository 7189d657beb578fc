/// Typed helpers for the commands the harness uses. Each is one round trip;
/// batch hot-path writes with `RedisPipeline` instead.
extension RedisConnection {
    public func ping() throws -> Bool {
        try command("PING") == .status("PONG")
    }

    /// `SET key value EX seconds`.
    public func set(_ key: String, _ value: [UInt8], expireSeconds: Int? = nil) throws {
        var arguments: [RedisArgument] = ["SET", .text(key), .bytes(value)]
        if let expireSeconds { arguments += ["EX", .integer(expireSeconds)] }
        _ = try command(arguments)
    }

    public func get(_ key: String) throws -> [UInt8]? {
        try command("GET", .text(key)).bytes
    }

    /// Seconds to live: nil when the key does not exist, -1 when it has no expiry.
    public func ttl(_ key: String) throws -> Int? {
        try remaining(try command("TTL", .text(key)))
    }

    /// Milliseconds to live, with the same nil and -1 as `ttl`.
    public func pttl(_ key: String) throws -> Int? {
        try remaining(try command("PTTL", .text(key)))
    }

    private func remaining(_ reply: RedisValue) throws -> Int? {
        guard let value = reply.integer else { throw unexpected(reply, "an integer") }
        return value == -2 ? nil : value
    }

    @discardableResult
    public func del(_ keys: [String]) throws -> Int {
        try command(["DEL"] + keys.map { .text($0) }).integer ?? 0
    }

    /// `XADD stream MAXLEN ~ n * field value ...`; returns the entry id.
    /// The approximate trim keeps the stream's memory bounded at little cost.
    @discardableResult
    public func xadd(_ stream: String, maxLength: Int? = nil, fields: [(String, [UInt8])]) throws -> String {
        var arguments: [RedisArgument] = ["XADD", .text(stream)]
        if let maxLength { arguments += ["MAXLEN", "~", .integer(maxLength)] }
        arguments.append("*")
        for (field, value) in fields { arguments += [.text(field), .bytes(value)] }
        let reply = try command(arguments)
        guard let id = reply.string else { throw unexpected(reply, "an entry id") }
        return id
    }

    /// `XGROUP CREATE stream group $ MKSTREAM`; an existing group is not an error.
    public func xgroupCreate(_ stream: String, group: String, startID: String = "$") throws {
        do {
            _ = try command("XGROUP", "CREATE", .text(stream), .text(group), .text(startID), "MKSTREAM")
        } catch let error as RedisError where error.serverErrorKind == "BUSYGROUP" {
            return
        }
    }

    /// One entry read from a stream.
    public struct StreamEntry: Sendable, Equatable {
        public var stream: String
        public var id: String
        public var fields: [String: [UInt8]]
    }

    /// `XREADGROUP GROUP g c COUNT n [BLOCK ms] STREAMS s >`. A block time
    /// keeps this connection's thread busy, so readers get their own connection.
    public func xreadgroup(group: String, consumer: String, stream: String, count: Int, blockMilliseconds: Int? = nil, id: String = ">") throws -> [StreamEntry] {
        var arguments: [RedisArgument] = ["XREADGROUP", "GROUP", .text(group), .text(consumer), "COUNT", .integer(count)]
        if let blockMilliseconds { arguments += ["BLOCK", .integer(blockMilliseconds)] }
        arguments += ["STREAMS", .text(stream), .text(id)]
        let reply = try command(arguments)
        if reply.isNull { return [] }
        guard let streams = reply.array else { throw unexpected(reply, "an array of streams") }
        var entries: [StreamEntry] = []
        for streamReply in streams {
            guard let pair = streamReply.array, pair.count == 2, let name = pair[0].string, let items = pair[1].array else {
                throw unexpected(streamReply, "a [stream, entries] pair")
            }
            for item in items {
                guard let parts = item.array, parts.count == 2, let entryID = parts[0].string else {
                    throw unexpected(item, "an [id, fields] pair")
                }
                var fields: [String: [UInt8]] = [:]
                let flat = parts[1].array ?? []
                for index in stride(from: 0, to: flat.count - 1, by: 2) {
                    if let field = flat[index].string { fields[field] = flat[index + 1].bytes ?? [] }
                }
                entries.append(StreamEntry(stream: name, id: entryID, fields: fields))
            }
        }
        return entries
    }

    @discardableResult
    public func xack(_ stream: String, group: String, ids: [String]) throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try command(["XACK", .text(stream), .text(group)] + ids.map { .text($0) }).integer ?? 0
    }

    /// `INFO [section]` as a flat dictionary of `field: value` (section
    /// headers dropped), e.g. `used_memory`, `evicted_keys`, `db0`.
    public func info(_ section: String? = nil) throws -> [String: String] {
        let reply = try command(section.map { ["INFO", .text($0)] } ?? ["INFO"])
        guard let text = reply.string else { throw unexpected(reply, "INFO text") }
        return Self.parseInfo(text)
    }

    nonisolated static func parseInfo(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
        return fields
    }

    public func configGet(_ parameter: String) throws -> [String: String] {
        let reply = try command("CONFIG", "GET", .text(parameter))
        guard let flat = reply.array else { throw unexpected(reply, "an array") }
        var values: [String: String] = [:]
        for index in stride(from: 0, to: flat.count - 1, by: 2) {
            if let name = flat[index].string { values[name] = flat[index + 1].string ?? "" }
        }
        return values
    }

    public func configSet(_ parameter: String, _ value: String) throws {
        _ = try command("CONFIG", "SET", .text(parameter), .text(value))
    }

    /// One `SCAN` step: the next cursor ("0" when done) and the keys found.
    public func scan(cursor: String = "0", match: String? = nil, count: Int? = nil) throws -> (cursor: String, keys: [String]) {
        var arguments: [RedisArgument] = ["SCAN", .text(cursor)]
        if let match { arguments += ["MATCH", .text(match)] }
        if let count { arguments += ["COUNT", .integer(count)] }
        let reply = try command(arguments)
        guard let parts = reply.array, parts.count == 2, let next = parts[0].string, let keys = parts[1].array else {
            throw unexpected(reply, "a [cursor, keys] pair")
        }
        return (next, keys.compactMap(\.string))
    }

    /// `MEMORY USAGE key`: bytes including Redis's overhead, nil if absent.
    public func memoryUsage(_ key: String) throws -> Int? {
        try command("MEMORY", "USAGE", .text(key)).integer
    }

    public func dbsize() throws -> Int {
        let reply = try command("DBSIZE")
        guard let size = reply.integer else { throw unexpected(reply, "an integer") }
        return size
    }

    public func flushAll() throws {
        _ = try command("FLUSHALL")
    }

    private func unexpected(_ reply: RedisValue, _ expected: String) -> RedisError {
        RedisError(.unexpectedReply, "Redis answered \(reply) where hearth expected \(expected)")
    }
}
