import NIOCore
import Redis

/// Pairs each command written to a Redis connection with its reply.
///
/// Redis answers a connection's commands in the order they came, so the
/// handler keeps the promises in a FIFO queue: a write encodes the command
/// and queues its promise, and every decoded reply completes the oldest.
/// Commands from many requests may be in flight on one connection at once
/// (pipelining), which is how a single connection per event loop serves a
/// loop's concurrent requests.
///
/// Failures end the connection, because after one the pairing can no longer
/// be trusted:
/// - the connection closes: every queued command fails with `.connectionLost`;
/// - the oldest command waits longer than ``timeout``: every queued command
///   fails with `.timedOut` and the channel is closed (a late reply would be
///   paired with the wrong command);
/// - the decoder finds bytes that are not RESP, or a reply arrives that no
///   command asked for: `.protocolError`, and the channel is closed.
///
/// One timer at a time watches the oldest command, re-armed only when it
/// fires, so a busy connection does not schedule a timer per command.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RedisValue
    typealias OutboundIn = RedisCommand
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        var promise: EventLoopPromise<RedisValue>
        var deadline: NIODeadline
        /// The command's name, kept for a timeout's message.
        var name: RedisArgument?
    }

    let timeout: TimeAmount
    /// `host:port`, for messages.
    let server: String
    private var pending = CircularBuffer<Pending>(initialCapacity: 16)
    private var timer: Scheduled<Void>?
    private var failure: RedisError?

    init(timeout: TimeAmount, server: String) {
        self.timeout = timeout
        self.server = server
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let command = unwrapOutboundIn(data)
        if let failure {
            command.promise.fail(failure)
            promise?.fail(failure)
            return
        }
        var buffer = context.channel.allocator.buffer(capacity: 64 * command.arguments.count)
        buffer.writeRESPCommand(command.arguments)
        pending.append(Pending(promise: command.promise, deadline: .now() + timeout, name: command.arguments.first))
        if timer == nil { armTimer(context: context, at: pending.first!.deadline) }
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        guard let oldest = pending.popFirst() else {
            fail(context: context, RedisError(.protocolError, "Redis at \(server) sent a reply that no command asked for; the connection was closed"))
            return
        }
        oldest.promise.succeed(reply)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(failure ?? RedisError(.connectionLost, "lost the Redis connection to \(server): it was closed; the next command reconnects"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let redisError = error as? RedisError
            ?? RedisError(.connectionLost, "lost the Redis connection to \(server): \(error); the next command reconnects")
        fail(context: context, redisError)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        failAll(failure ?? RedisError(.connectionLost, "lost the Redis connection to \(server); the next command reconnects"))
    }

    private func fail(context: ChannelHandlerContext, _ error: RedisError) {
        failAll(error)
        context.close(promise: nil)
    }

    /// Fails every queued command and every later write on this channel.
    private func failAll(_ error: RedisError) {
        if failure == nil { failure = error }
        timer?.cancel()
        timer = nil
        while let oldest = pending.popFirst() { oldest.promise.fail(error) }
    }

    private func armTimer(context: ChannelHandlerContext, at deadline: NIODeadline) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            guard let oldest = pending.first else { return }
            if oldest.deadline <= .now() {
                let seconds = Double(timeout.nanoseconds) / 1e9
                fail(context: context, RedisError(
                    .timedOut,
                    "Redis at \(server) did not answer \(RedisArgument.commandName(of: oldest.name.map { [$0] } ?? [])) within \(seconds) s; the connection was closed and the next command reconnects"
                ))
            } else {
                armTimer(context: context, at: oldest.deadline)
            }
        }
    }
}
