#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix
import Redis

/// One connection to Redis that lives on one event loop, speaks RESP
/// through SwiftNIO, and reconnects by itself.
///
/// Why not the hiredis `RedisConnection`: hiredis blocks in `read(2)`, so
/// that client runs on a thread of its own, and every command costs two
/// thread switches (caller → its thread → caller). The HTTP API's hot read
/// is one `MGET` per request; on a two-core machine those switches cost more
/// than the work. Here the command is written and its reply decoded on the
/// event loop that also serves the HTTP request, so a request can finish on
/// the thread it arrived on (see ``RedisLoopConnections``).
///
/// Behaviour:
/// - The connection opens on the first command (or ``connect()``), with
///   `TCP_NODELAY`, then `AUTH` and `SELECT` as the URL says.
/// - Concurrent commands are pipelined on it; ``RedisCommandHandler`` pairs
///   replies with commands and enforces the command timeout.
/// - After a failure (the server closed the connection, a timeout, garbage)
///   the failed commands throw, and the next command opens a new connection.
///   Commands sent while Redis is down fail at once with `.connectFailed`
///   (on loopback a refused connect takes microseconds), so callers answer
///   "unavailable" instead of queueing.
///
/// All state is touched only on ``eventLoop``; calls from other threads hop
/// there first.
public final class RedisLoopConnection: @unchecked Sendable {
    public let eventLoop: any EventLoop
    public let configuration: RedisConfiguration
    /// How long a command may wait for its reply.
    public let commandTimeout: TimeAmount

    private enum State {
        case idle
        case connecting(EventLoopFuture<any Channel>)
        case connected(any Channel)
        case closed
    }

    private var state = State.idle
    private var server: String { "\(configuration.host):\(configuration.port)" }

    public init(configuration: RedisConfiguration, commandTimeout: TimeAmount, on eventLoop: any EventLoop) {
        self.configuration = configuration
        self.commandTimeout = commandTimeout
        self.eventLoop = eventLoop
    }

    /// Sends one command; the future holds its reply, error replies
    /// included (as `.error`), and fails only if the connection does.
    public func send(_ arguments: [RedisArgument]) -> EventLoopFuture<RedisValue> {
        if eventLoop.inEventLoop { return sendOnLoop(arguments) }
        return eventLoop.flatSubmit { self.sendOnLoop(arguments) }
    }

    /// Sends one command and returns its reply; an error reply throws `.serverError`.
    public func command(_ arguments: [RedisArgument]) async throws -> RedisValue {
        try await send(arguments).get().checkedReply(to: arguments)
    }

    /// Opens the connection now rather than on the first command, so that
    /// a wrong URL or a server that is down shows at start-up.
    public func connect() async throws {
        _ = try await eventLoop.flatSubmit { self.channel() }.get()
    }

    /// Closes the connection for good; later commands fail.
    public func close() async {
        let channel: (any Channel)? = try? await eventLoop.submit { () -> (any Channel)? in
            defer { self.state = .closed }
            if case .connected(let channel) = self.state { return channel }
            return nil
        }.get()
        try? await channel?.close()
    }

    private func sendOnLoop(_ arguments: [RedisArgument]) -> EventLoopFuture<RedisValue> {
        let promise = eventLoop.makePromise(of: RedisValue.self)
        if case .connected(let channel) = state, channel.isActive {
            // While the channel is active its pipeline is whole, so the
            // command reaches RedisCommandHandler, which owns the promise.
            channel.writeAndFlush(RedisCommand(arguments: arguments, promise: promise), promise: nil)
        } else {
            channel().whenComplete { result in
                switch result {
                case .success(let channel):
                    channel.writeAndFlush(RedisCommand(arguments: arguments, promise: promise), promise: nil)
                case .failure(let error):
                    promise.fail(error)
                }
            }
        }
        return promise.futureResult
    }

    /// The open channel, opening one if there is none. On the loop only.
    private func channel() -> EventLoopFuture<any Channel> {
        switch state {
        case .connected(let channel) where channel.isActive:
            return eventLoop.makeSucceededFuture(channel)
        case .connecting(let future):
            return future
        case .closed:
            return eventLoop.makeFailedFuture(RedisError(.connectionLost, "the Redis connection to \(server) was closed by its owner"))
        case .idle, .connected:
            let future = open()
            state = .connecting(future)
            // Registered first, so the state is settled before any waiting
            // command is written.
            future.whenComplete { result in
                switch (self.state, result) {
                case (.closed, .success(let channel)):
                    channel.close(promise: nil)
                case (.closed, .failure):
                    break
                case (_, .success(let channel)):
                    self.state = .connected(channel)
                    channel.closeFuture.whenComplete { _ in
                        if case .connected(let current) = self.state, current === channel { self.state = .idle }
                    }
                case (_, .failure):
                    self.state = .idle
                }
            }
            return future
        }
    }

    /// Connects, then authenticates and selects the database.
    private func open() -> EventLoopFuture<any Channel> {
        let server = server
        let timeout = commandTimeout
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(.nanoseconds(Int64(configuration.connectTimeoutSeconds * 1e9)))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(RESPReplyDecoder()),
                        RedisCommandHandler(timeout: timeout, server: server)
                    )
                }
            }
            .connect(host: configuration.host, port: configuration.port)
            .flatMapErrorThrowing { error in
                throw RedisError(.connectFailed, "could not connect to Redis at \(server): \(Self.reason(error)) (is it running? check --redis)")
            }
            .flatMap { channel in
                self.prepare(channel).flatMapErrorThrowing { error in
                    channel.close(promise: nil)
                    throw error
                }
            }
    }

    /// `AUTH` and `SELECT`, as the URL asks, before any other command.
    private func prepare(_ channel: any Channel) -> EventLoopFuture<any Channel> {
        let server = server
        var setup: [[RedisArgument]] = []
        if let password = configuration.password { setup.append(["AUTH", .text(password)]) }
        if configuration.database != 0 { setup.append(["SELECT", .integer(configuration.database)]) }
        var ready = eventLoop.makeSucceededFuture(channel)
        for arguments in setup {
            let promise = eventLoop.makePromise(of: RedisValue.self)
            channel.writeAndFlush(RedisCommand(arguments: arguments, promise: promise), promise: nil)
            ready = ready.and(promise.futureResult).flatMapThrowing { channel, reply in
                guard reply == .status("OK") else {
                    throw RedisError(.connectFailed, "Redis at \(server) answered \(RedisArgument.commandName(of: arguments)) with \(reply) instead of OK; check the URL's password and database")
                }
                return channel
            }
        }
        return ready
    }

    /// What went wrong with a connect, in the system's words ("Connection
    /// refused") rather than NIO's nested description.
    private static func reason(_ error: any Error) -> String {
        if let connection = error as? NIOConnectionError, let first = connection.connectionErrors.first {
            return reason(first.error)
        }
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)) }
        return "\(error)"
    }
}
