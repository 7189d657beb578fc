import ArgumentParser
import Stack

/// Flags that shape the embedded stack, shared by every command that starts one.
struct EmbeddedStackOptions: ParsableArguments {
    @Option(help: "Redis maxmemory, in Redis's syntax (e.g. 256mb, 8mb).")
    var redisMaxmemory = "256mb"

    @Option(help: "Redis maxmemory-policy (e.g. allkeys-lru, volatile-ttl, noeviction).")
    var redisPolicy = "allkeys-lru"

    @Flag(help: "Turn on Redis persistence (AOF) and Mosquitto persistence.")
    var persistence = false

    @Flag(inversion: .prefixedNo, help: "TCP_NODELAY on the broker (off adds ~40 ms Nagle tails).")
    var tcpNodelay = true

    @Flag(help: "Serve MQTT over TLS only (mqtts://), with a CA made for this stack; clients verify with the CA file it prints.")
    var tls = false

    func configuration() -> StackConfiguration {
        StackConfiguration(
            redis: .init(maxMemory: redisMaxmemory, maxMemoryPolicy: redisPolicy, persistence: persistence),
            mqtt: .init(tcpNoDelay: tcpNodelay, persistence: persistence, tls: tls)
        )
    }
}
