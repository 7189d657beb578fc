internal import CHiredis
import BlockingIO

/// One connection to Redis over hiredis.
///
/// hiredis's synchronous API blocks in `read(2)`, so the connection is an
/// actor on its own thread (`ThreadExecutor`): callers `await`, and the
/// cooperative pool never blocks. Commands go through `redisAppendCommandArgv`
/// with explicit lengths, so keys and values are binary-safe and no format
/// string is ever involved.
///
/// When the connection breaks, the failing command throws `.connectionLost`
/// and the next command reconnects; whether the broken command ran is
/// unknown, so only the caller can decide to retry it (SET EX is safe to retry).
public actor RedisConnection {
    public nonisolated let configuration: RedisConfiguration
    private nonisolated let executor = ThreadExecutor(name: "redis", servesTasks: true)
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    /// The connection's thread, for a task that mostly talks to this
    /// connection to run on (`addTask(executorPreference:)`): its calls
    /// then need no thread switch (see ``ThreadExecutor``).
    public nonisolated var taskExecutor: any TaskExecutor { executor }

    private var context: UnsafeMutablePointer<redisContext>?
    /// How many times the connection was re-established after a break.
    public private(set) var reconnects = 0
    /// Replies are read after this many commands are queued, which bounds
    /// the client's buffer while keeping the socket busy.
    static let flushEvery = 512

    public static func connect(_ configuration: RedisConfiguration) async throws -> RedisConnection {
        let connection = RedisConnection(configuration: configuration)
        try await connection.open()
        return connection
    }

    public static func connect(url: String) async throws -> RedisConnection {
        try await connect(RedisConfiguration(url: url))
    }

    private init(configuration: RedisConfiguration) {
        self.configuration = configuration
    }

    isolated deinit {
        if let context { redisFree(context) }
        executor.shutdown()
    }

    /// Closes the connection; a later command opens it again.
    public func close() {
        if let context { redisFree(context) }
        context = nil
    }

    private func open() throws {
        let c = configuration
        guard let context = redisConnectWithTimeout(c.host, Int32(c.port), timeval(seconds: c.connectTimeoutSeconds)) else {
            throw RedisError(.connectFailed, "could not allocate a Redis connection")
        }
        if context.pointee.err != 0 {
            let reason = Self.errorText(context)
            redisFree(context)
            throw RedisError(.connectFailed, "could not connect to Redis at \(c.host):\(c.port): \(reason) (is it running? check --redis)")
        }
        redisSetTimeout(context, timeval(seconds: c.commandTimeoutSeconds))
        self.context = context
        if let password = c.password { try expectOK(try command(["AUTH", .text(password)]), "AUTH") }
        if c.database != 0 { try expectOK(try command(["SELECT", .integer(c.database)]), "SELECT") }
    }

    private func liveContext() throws -> UnsafeMutablePointer<redisContext> {
        if let context { return context }
        try open()
        reconnects += 1
        return context!
    }

    /// Sends one command and returns its reply; an error reply throws `.serverError`.
    public func command(_ arguments: [RedisArgument]) throws -> RedisValue {
        var pipeline = RedisPipeline()
        pipeline.append(arguments)
        return try execute(pipeline)[0].checkedReply(to: arguments)
    }

    public func command(_ arguments: RedisArgument...) throws -> RedisValue {
        try command(arguments)
    }

    /// Sends every command of the batch, then reads every reply. Error replies
    /// come back in place as `.error`, so one refused command does not hide the
    /// others' results. Only a broken connection throws.
    public func execute(_ pipeline: RedisPipeline) throws -> [RedisValue] {
        let context = try liveContext()
        var replies: [RedisValue] = []
        replies.reserveCapacity(pipeline.count)
        var argumentIndex = 0
        var start = 0
        var pending = 0
        var argv: [UnsafePointer<CChar>?] = []
        var lengths: [Int] = []
        try pipeline.storage.withUnsafeBufferPointer { storage in
            let base = UnsafeRawPointer(storage.baseAddress ?? UnsafePointer(bitPattern: 1)!)
            for count in pipeline.argumentCounts {
                argv.removeAll(keepingCapacity: true)
                lengths.removeAll(keepingCapacity: true)
                for _ in 0 ..< count {
                    let end = pipeline.argumentEnds[argumentIndex]
                    argv.append((base + start).assumingMemoryBound(to: CChar.self))
                    lengths.append(end - start)
                    start = end
                    argumentIndex += 1
                }
                let rc = argv.withUnsafeMutableBufferPointer { argvBuffer in
                    lengths.withUnsafeBufferPointer { redisAppendCommandArgv(context, Int32(count), argvBuffer.baseAddress, $0.baseAddress) }
                }
                guard rc == REDIS_OK else { throw connectionLost(context, doing: "queueing a command") }
                pending += 1
                if pending == Self.flushEvery {
                    try readReplies(pending, from: context, into: &replies)
                    pending = 0
                }
            }
        }
        try readReplies(pending, from: context, into: &replies)
        return replies
    }

    private func readReplies(_ count: Int, from context: UnsafeMutablePointer<redisContext>, into replies: inout [RedisValue]) throws {
        for _ in 0 ..< count {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(context, &raw) == REDIS_OK, let raw else {
                throw connectionLost(context, doing: "reading a reply")
            }
            let reply = raw.assumingMemoryBound(to: redisReply.self)
            replies.append(RedisValue(reply: reply))
            freeReplyObject(raw)
        }
    }

    /// Drops a broken context so that the next command reconnects.
    private func connectionLost(_ context: UnsafeMutablePointer<redisContext>, doing what: String) -> RedisError {
        var reason = Self.errorText(context)
        let status = context.pointee.err
        if let problem = SocketOwnership.problem(descriptor: Int32(context.pointee.fd), expectedPort: configuration.port) {
            reason += "; \(problem)"
            // Not ours any more: closing it would close another socket.
            context.pointee.fd = -1
        }
        redisFree(context)
        self.context = nil
        return RedisError(.connectionLost,
                          "lost the Redis connection to \(configuration.host):\(configuration.port) while \(what): \(reason); the next command reconnects",
                          status: status)
    }

    private func expectOK(_ reply: RedisValue, _ what: String) throws {
        guard reply == .status("OK") else {
            throw RedisError(.unexpectedReply, "\(what) answered \(reply) instead of OK")
        }
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}

extension timeval {
    init(seconds: Double) {
        self.init(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1_000_000))
    }
}
