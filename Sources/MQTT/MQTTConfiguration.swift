import ServerURL

/// How an `MQTTClient` connects. Built from an `mqtt://host:port` URL plus
/// options, so every hearth command takes the same `--mqtt URL` flag.
public struct MQTTConfiguration: Sendable {
    public enum ProtocolVersion: Sendable {
        case v311
        /// MQTT 5: needed for shared subscriptions (`$share/group/filter`)
        /// with session expiry.
        case v5
    }

    public var host: String
    public var port: Int
    public var clientID: String
    /// A clean session forgets subscriptions and queued messages on disconnect.
    /// A persistent one (false) lets the broker keep QoS 1/2 messages for the
    /// client while it is away, which is how a reconnect loses nothing.
    public var cleanSession: Bool
    public var username: String?
    public var password: String?
    public var protocolVersion: ProtocolVersion
    public var keepAliveSeconds: Int
    /// Disables Nagle's algorithm on the client socket; without it small
    /// publishes wait up to ~40 ms for an ACK to piggyback on.
    public var tcpNoDelay: Bool
    /// Reconnect backoff: the first delay, doubling to the cap. Short by
    /// default (100 ms to 1 s): a load test counts loss, and each second a
    /// client waits after the broker is back is loss of the tool's own making.
    /// (With 1 s doubling to 8 s, a subscriber that missed the broker's
    /// return twice stayed away 7 s.) Reconnecting to a broker that is down
    /// costs one refused connection per attempt. libmosquitto's own network
    /// thread, which a client uses unless ``ownNetworkLoop``,
    /// ``usesBufferedReceiver`` or ``usesBufferedPublisher`` holds (neither
    /// of the last two does with TLS), counts in whole seconds, and rounds
    /// these up to at least 1 s.
    public var reconnectDelay: (initial: Duration, maximum: Duration)
    /// Outgoing QoS 1/2 messages in flight at once; 0 means no limit.
    public var maxInflightMessages: Int
    /// How long the consumer waits after waking so a batch can fill (µs),
    /// when the recent rate says that will gather one (``BatchLingerPolicy``:
    /// with 250 µs, from 32,000 msg/s). A prototype reached parity with C at
    /// 500 µs. On the development VM (BENCHMARKS.md, "The linger, halved")
    /// 250 µs kept the same highest rate and lowered p99 at 40,000 msg/s
    /// (median of 12 rounds 1.6 against 2.0 ms) and at 20,000, where it no
    /// longer lingers (6 rounds, 0.85 against 1.4 ms), for 4% more CPU a
    /// message at 40,000 and 35% more at 20,000. 0 favours latency.
    public var batchLingerMicroseconds: Int
    /// The linger blocks the consuming thread (`nanosleep`) instead of
    /// suspending the task (`Task.sleep`). Only for a consumer that has a
    /// thread of its own, as the subscriber's has (its Redis connection's):
    /// a suspending sleep costs four wake-ups (Dispatch's timer thread, two
    /// of its workers, then the consumer's thread), each across cores about
    /// 25 µs on the development VM (BENCHMARKS.md, "Wake-ups").
    public var lingerBlocksThread = false
    /// How long `connect()` waits for the broker's CONNACK.
    public var connectTimeoutSeconds: Double
    /// TLS: a CA file to verify the broker with; nil for plain TCP.
    public var tlsCAFile: String?
    /// hearth's network thread (`MQTTNetworkLoop`) instead of libmosquitto's:
    /// publishes without waiting only queue until `MQTTClient.writeQueued`
    /// (or the thread's next round, at most 5 ms later). For the load
    /// generator, which publishes in bursts; other clients keep
    /// libmosquitto's thread.
    public var ownNetworkLoop = false
    /// hearth's own receive path (`MQTTConnection`) instead of libmosquitto,
    /// for clients that only subscribe, on plain `mqtt://`: one `read` of up
    /// to `receiveBufferBytes` takes every packet the broker has sent, where
    /// libmosquitto spends a `pselect` and 3–4 `read`s per packet. Such a
    /// client cannot publish. With TLS (`mqtts://`, `tlsCAFile` set) it is
    /// ignored and libmosquitto receives; see `usesBufferedReceiver`.
    public var bufferedReceiver = false
    /// How many bytes the buffered receiver asks for per `read`.
    public var receiveBufferBytes = 256 * 1024
    /// The buffered receiver's largest accepted packet: anything longer drops
    /// the connection with a `.protocolError`. MQTT 5 also tells the broker
    /// (Maximum Packet Size), which then discards such messages instead.
    public var maximumIncomingPacketBytes = 16 << 20

    /// hearth's own connection (`MQTTConnection`) for publishing, on plain
    /// `mqtt://`: QoS 0 messages go out a burst per `write`
    /// (`MQTTClient.send(_:)`), where libmosquitto writes each packet with a
    /// `write` of its own; QoS 1 `publish` (which waits for the PUBACK) works
    /// too. Publishing QoS 1/2 without waiting, and QoS 2, need
    /// libmosquitto: leave it off for those. Ignored with TLS; see
    /// `usesBufferedPublisher`.
    public var bufferedPublisher = false

    /// Whether the client receives through `MQTTConnection`: asked for, and not TLS.
    public var usesBufferedReceiver: Bool { bufferedReceiver && tlsCAFile == nil }
    /// Whether the client publishes through `MQTTConnection`: asked for, and not TLS.
    public var usesBufferedPublisher: Bool { bufferedPublisher && tlsCAFile == nil }

    public init(
        host: String = "127.0.0.1",
        port: Int = 1883,
        clientID: String,
        cleanSession: Bool = true,
        username: String? = nil,
        password: String? = nil,
        protocolVersion: ProtocolVersion = .v311,
        keepAliveSeconds: Int = 30,
        tcpNoDelay: Bool = true,
        reconnectDelay: (initial: Duration, maximum: Duration) = (.milliseconds(100), .seconds(1)),
        maxInflightMessages: Int = 0,
        batchLingerMicroseconds: Int = 250,
        connectTimeoutSeconds: Double = 5,
        tlsCAFile: String? = nil
    ) {
        self.host = host
        self.port = port
        self.clientID = clientID
        self.cleanSession = cleanSession
        self.username = username
        self.password = password
        self.protocolVersion = protocolVersion
        self.keepAliveSeconds = keepAliveSeconds
        self.tcpNoDelay = tcpNoDelay
        self.reconnectDelay = reconnectDelay
        self.maxInflightMessages = maxInflightMessages
        self.batchLingerMicroseconds = batchLingerMicroseconds
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.tlsCAFile = tlsCAFile
    }

    /// `mqtt://[user[:password]@]host[:port]`, or `mqtts://…[?cafile=PATH]`:
    /// TLS, verifying the broker against the CA in PATH (the embedded stack's
    /// own CA when it runs with TLS), else against the system's CA store.
    public init(url: String, clientID: String) throws {
        let parsed: ServerURL
        do {
            parsed = try ServerURL(url, schemes: ["mqtt", "mqtts"], defaultPort: 1883)
        } catch {
            throw MQTTError(.badURL, error.message)
        }
        self.init(host: parsed.host, port: parsed.port, clientID: clientID, username: parsed.user, password: parsed.password)
        if parsed.scheme == "mqtts" {
            // Verify against the given CA, else the system's CA store (a CA file set later wins).
            tlsCAFile = parsed.query["cafile"].flatMap { $0.isEmpty ? nil : $0 } ?? "/etc/ssl/certs/ca-certificates.crt"
        } else if parsed.query["cafile"] != nil {
            throw MQTTError(.badURL, "'\(url)' names a CA file but is not mqtts://; write mqtts://HOST:PORT?cafile=PATH for TLS")
        }
    }
}
