import NIOCore
import Redis

/// A command on its way to Redis and the promise its reply completes.
struct RedisCommand: Sendable {
    var arguments: [RedisArgument]
    var promise: EventLoopPromise<RedisValue>

    init(arguments: [RedisArgument], promise: EventLoopPromise<RedisValue>) {
        self.arguments = arguments
        self.promise = promise
    }
}
