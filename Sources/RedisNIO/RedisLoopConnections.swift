import NIOConcurrencyHelpers
import NIOCore
import Redis

/// One ``RedisLoopConnection`` for each event loop of a group.
///
/// ``connection()`` picks the connection of the loop the caller runs on, so
/// a request served on an event loop writes its command and reads the reply
/// on that same thread: no hop to another thread and back. A caller on no
/// loop of the group (a task on Swift's cooperative pool) gets the loops'
/// connections in turn.
///
/// One connection per loop suffices because commands are pipelined: a
/// loop's concurrent requests share its connection, and Redis answers them
/// in order.
public final class RedisLoopConnections: Sendable {
    public let connections: [RedisLoopConnection]
    private let cursor = NIOLockedValueBox(0)

    public init(configuration: RedisConfiguration, commandTimeout: TimeAmount, group: any EventLoopGroup) {
        connections = group.makeIterator().map {
            RedisLoopConnection(configuration: configuration, commandTimeout: commandTimeout, on: $0)
        }
        precondition(!connections.isEmpty, "an event loop group without loops")
    }

    /// The connection of the caller's event loop, or the next in turn.
    public func connection() -> RedisLoopConnection {
        for connection in connections where connection.eventLoop.inEventLoop { return connection }
        let index = cursor.withLockedValue { value in
            defer { value = (value + 1) % connections.count }
            return value
        }
        return connections[index]
    }

    /// Opens every connection now; throws `.connectFailed` if Redis cannot
    /// be reached, after closing the ones that did open.
    public func connect() async throws {
        do {
            for connection in connections { try await connection.connect() }
        } catch {
            await close()
            throw error
        }
    }

    public func close() async {
        for connection in connections { await connection.close() }
    }
}
