import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 channel, with each connection's requests handled
/// on the event loop that owns the connection.
///
/// Hummingbird reads a connection's requests in a task on Swift's
/// cooperative pool, so each request crosses threads at least twice (the
/// loop reads it, the pool handles it, the loop writes the answer). For
/// `/houses/{id}/data`, whose Redis read also completes on an event loop
/// (``RedisLoopConnections``), that was about three and a half context
/// switches a request, costing more CPU than the route's own work. Running
/// the connection's task with the loop as its preferred executor keeps a
/// request on one thread from its first byte to its last.
///
/// Everything a handler awaits that runs elsewhere (PostgreSQL and hiredis
/// on their own threads, bcrypt on `NIOThreadPool`, actors) still runs
/// there and returns to the loop when done.
struct EventLoopBoundHTTP1Channel: ServerChildChannel {
    let base: HTTP1Channel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        base.setup(channel: channel, logger: logger)
    }

    func handle(value: HTTP1Channel.Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(eventLoop: value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 served on the connections' own event loops (``EventLoopBoundHTTP1Channel``).
    static func eventLoopBoundHTTP1(configuration: HTTP1Channel.Configuration = .init()) -> HTTPServerBuilder {
        .init { responder in
            EventLoopBoundHTTP1Channel(base: HTTP1Channel(responder: responder, configuration: configuration))
        }
    }
}
