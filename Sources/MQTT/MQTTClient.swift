internal import CMosquitto
import BlockingIO
#if canImport(Glibc)
import Glibc
#endif

/// An MQTT client over libmosquitto, or on plain TCP with `bufferedReceiver`
/// or `bufferedPublisher`, over hearth's own `MQTTConnection`.
///
/// Network I/O runs on libmosquitto's own thread (`mosquitto_loop_start`),
/// or with `ownNetworkLoop` on hearth's (`MQTTNetworkLoop`), either of which
/// reconnects with backoff and re-sends unacknowledged QoS 1/2 messages;
/// after a reconnect the client subscribes again. Received messages
/// reach `messages` in batches (see `MQTTInbox`).
///
/// `publish` at QoS 1 or 2 returns when the broker has acknowledged the
/// message (PUBACK or PUBCOMP). `publishWithoutWaiting` only queues it, for
/// load generators that track delivery at the other end.
public final class MQTTClient: @unchecked Sendable {
    public let configuration: MQTTConfiguration
    /// Every message of every subscription, in batches under the hood.
    public var messages: MQTTMessageStream { MQTTMessageStream(inbox: inbox) }

    let handle: OpaquePointer
    let inbox: MQTTInbox
    let lock = Mutex()
    // State below is guarded by `lock`; the network thread's callbacks touch it.
    var acknowledgements: [Int32: CheckedContinuation<Void, any Error>] = [:]
    var subscriptionWaiters: [Int32: CheckedContinuation<[Int32], any Error>] = [:]
    var connectWaiter: CheckedContinuation<Void, any Error>?
    var subscriptions: [(filter: String, qos: Int32)] = []
    var isConnected = false
    var hasConnected = false
    var loopRunning = false
    var closed = false
    var connectionCount = 0
    /// Message ids of QoS 1/2 messages queued by `publishWithoutWaiting` and
    /// not yet acknowledged. (QoS 0 messages also get an on-publish callback;
    /// only ids in this set count.)
    var unacknowledged: Set<Int32> = []
    var windowWaiter: (limit: Int, continuation: CheckedContinuation<Void, Never>)?
    /// hearth's network thread, with `ownNetworkLoop`.
    var networkLoop: MQTTNetworkLoop?
    /// hearth's own connection, when `configuration.usesBufferedReceiver`
    /// or `usesBufferedPublisher`; the libmosquitto handle is then never connected.
    let connection: MQTTConnection?

    private static let libraryReady: Bool = { mosquitto_lib_init() == MOSQ_ERR_SUCCESS.rawValue }()

    public init(_ configuration: MQTTConfiguration) throws {
        precondition(Self.libraryReady, "mosquitto_lib_init failed")
        self.configuration = configuration
        inbox = MQTTInbox(lingerMicroseconds: configuration.batchLingerMicroseconds, blocksThread: configuration.lingerBlocksThread)
        guard let handle = mosquitto_new(configuration.clientID, configuration.cleanSession, nil) else {
            throw MQTTError(.connectFailed, "could not create an MQTT client for id '\(configuration.clientID)' (a persistent session needs a non-empty client id)")
        }
        self.handle = handle
        connection = configuration.usesBufferedReceiver || configuration.usesBufferedPublisher
            ? MQTTConnection(configuration: configuration, inbox: inbox) : nil
        mosquitto_user_data_set(handle, Unmanaged.passUnretained(self).toOpaque())
        try configureOptions()
        installCallbacks()
    }

    deinit {
        if let connection {
            connection.stopAndWait()
        } else if let networkLoop {
            networkLoop.stopAndWait()
        } else if loopRunning {
            mosquitto_loop_stop(handle, true)
        }
        mosquitto_destroy(handle)
    }

    /// Number of successful CONNACKs so far: 1 after `connect`, more after reconnects.
    public var connections: Int { connection?.connections ?? lock.withLock { connectionCount } }

    /// Whether the client is connected right now.
    public var connected: Bool { connection?.connected ?? lock.withLock { isConnected } }

    /// On hearth's own connection, why the last connection (attempt) ended, e.g.
    /// a malformed packet from the broker; nil before any failure, and
    /// always with libmosquitto, which does not say.
    public var lastConnectionError: MQTTError? { connection?.lastError }

    private func configureOptions() throws {
        let c = configuration
        let version = c.protocolVersion == .v5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311
        try mosquittoCall(.connectFailed, "setting the protocol version", mosquitto_int_option(handle, MOSQ_OPT_PROTOCOL_VERSION, version))
        if c.tcpNoDelay {
            try mosquittoCall(.connectFailed, "setting TCP_NODELAY", mosquitto_int_option(handle, MOSQ_OPT_TCP_NODELAY, 1))
        }
        let inflight = c.maxInflightMessages > 0 ? min(c.maxInflightMessages, 65535) : 65535
        try mosquittoCall(.connectFailed, "setting the in-flight limit", mosquitto_int_option(handle, MOSQ_OPT_SEND_MAXIMUM, Int32(inflight)))
        // libmosquitto's own thread counts in whole seconds: the delays round up, to at least 1 s.
        let initialSeconds = Self.wholeSecondsRoundedUp(c.reconnectDelay.initial)
        try mosquittoCall(.connectFailed, "setting the reconnect delay", mosquitto_reconnect_delay_set(
            handle, initialSeconds, max(initialSeconds, Self.wholeSecondsRoundedUp(c.reconnectDelay.maximum)), true))
        if let username = c.username {
            try mosquittoCall(.connectFailed, "setting the username", mosquitto_username_pw_set(handle, username, c.password))
        }
        if let caFile = c.tlsCAFile {
            try mosquittoCall(.connectFailed, "setting up TLS with CA file \(caFile)", mosquitto_tls_set(handle, caFile, nil, nil, nil, nil))
        }
    }

    /// Connects and waits for the broker's CONNACK. From then on libmosquitto
    /// reconnects by itself whenever the connection drops.
    public func connect() async throws {
        if let connection {
            try await connection.connect()
            return
        }
        let c = configuration
        let handleAddress = UInt(bitPattern: handle)
        // errno is taken on the thread that connected: libmosquitto's text
        // for MOSQ_ERR_ERRNO reads the errno of whichever thread asks.
        let (rc, systemError): (Int32, Int32) = await onDedicatedThread {
            let handle = OpaquePointer(bitPattern: handleAddress)!
            let rc: Int32
            if c.protocolVersion == .v5 && !c.cleanSession {
                // MQTT 5 ends a session at disconnect unless the client asks the
                // broker to keep it: a day is longer than any run.
                var properties: OpaquePointer? = nil
                mosquitto_property_add_int32(&properties, Int32(MQTT_PROP_SESSION_EXPIRY_INTERVAL.rawValue), 86_400)
                defer { mosquitto_property_free_all(&properties) }
                rc = mosquitto_connect_bind_v5(handle, c.host, Int32(c.port), Int32(c.keepAliveSeconds), nil, properties)
            } else {
                rc = mosquitto_connect(handle, c.host, Int32(c.port), Int32(c.keepAliveSeconds))
            }
            return (rc, errno)
        }
        let failure = "could not connect to the MQTT broker at \(c.host):\(c.port) (is it running? check --mqtt)"
        if rc == MOSQ_ERR_ERRNO.rawValue {
            throw MQTTError(.connectFailed, "\(failure): \(String(cString: strerror(systemError)))", status: rc)
        }
        try mosquittoCall(.connectFailed, failure, rc)
        try startLoop()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let alreadyConnected = lock.withLock {
                if isConnected { return true }
                connectWaiter = continuation
                return false
            }
            if alreadyConnected { continuation.resume(); return }
            Task { [self] in
                try? await Task.sleep(nanoseconds: UInt64(c.connectTimeoutSeconds * 1e9))
                let waiter = lock.withLock {
                    defer { connectWaiter = nil }
                    return connectWaiter
                }
                waiter?.resume(throwing: MQTTError(.timeout, "the MQTT broker at \(c.host):\(c.port) did not answer CONNECT within \(c.connectTimeoutSeconds) s"))
            }
        }
    }

    private func startLoop() throws {
        try lock.withLock {
            guard !loopRunning else { return }
            if configuration.ownNetworkLoop {
                try mosquittoCall(.connectFailed, "setting external-thread mode", mosquitto_threaded_set(handle, true))
                let loop = MQTTNetworkLoop(handle: handle, reconnectDelay: configuration.reconnectDelay)
                try loop.start()
                networkLoop = loop
            } else {
                try mosquittoCall(.connectFailed, "starting the MQTT network thread", mosquitto_loop_start(handle))
            }
            loopRunning = true
        }
    }

    /// Publishes and, at QoS 1 or 2, waits until the broker acknowledges it.
    /// While the broker is away, a QoS 1/2 message waits in libmosquitto's
    /// queue (on hearth's own connection, QoS 1 only, in its list of
    /// unacknowledged messages) and is sent on reconnect; a QoS 0 message
    /// fails with `.notConnected`.
    public func publish(topic: String, payload: [UInt8], qos: MQTTQoS = .atMostOnce, retain: Bool = false) async throws {
        try checkCanPublish(topic)
        if let connection {
            try await connection.publish(topic: topic, payload: payload, qos: UInt8(qos.rawValue), retain: retain)
            return
        }
        if qos == .atMostOnce {
            try publishWithoutWaiting(topic: topic, payload: payload, qos: qos, retain: retain)
            writeQueued()
            return
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            // The lock is held across mosquitto_publish so that the PUBACK
            // callback, on the network thread, cannot look for the waiter
            // before it is registered. libmosquitto calls back only from its
            // own thread and mosquitto_publish takes none of the locks that
            // thread holds while calling back, so this cannot deadlock.
            let failure: (any Error)? = lock.withLock {
                if closed { return MQTTError(.closed, "the MQTT client is closed") }
                var mid: Int32 = 0
                let rc = payload.withUnsafeBytes {
                    mosquitto_publish(handle, &mid, topic, Int32($0.count), $0.baseAddress, Int32(qos.rawValue), retain)
                }
                do {
                    try Self.checkPublish(rc, topic: topic, qos: qos)
                } catch {
                    return error
                }
                acknowledgements[mid] = continuation
                return nil
            }
            if let failure {
                continuation.resume(throwing: failure)
            } else {
                writeQueued()
            }
        }
    }

    /// Queues a message and returns at once: the hot path of the load generator.
    /// At QoS 1/2, pair it with `waitForWindow(atMost:)`: libmosquitto keeps
    /// unacknowledged messages in a list it walks on every publish, so an
    /// unbounded burst slows down quadratically.
    public func publishWithoutWaiting(topic: String, payload: [UInt8], qos: MQTTQoS = .atMostOnce, retain: Bool = false) throws {
        try checkCanPublish(topic)
        if let connection {
            guard qos == .atMostOnce else {
                throw MQTTError(.publishFailed, "could not publish to \(topic): QoS \(qos.rawValue) without waiting needs libmosquitto's in-flight window; leave bufferedPublisher off")
            }
            try connection.publishAtMostOnce(topic: topic, payload: payload, retain: retain)
            return
        }
        if qos == .atMostOnce {
            let rc = payload.withUnsafeBytes {
                mosquitto_publish(handle, nil, topic, Int32($0.count), $0.baseAddress, 0, retain)
            }
            try Self.checkPublish(rc, topic: topic, qos: qos)
            return
        }
        // Under the lock, so the acknowledgement cannot be handled before the id is recorded.
        try lock.withLock {
            var mid: Int32 = 0
            let rc = payload.withUnsafeBytes {
                mosquitto_publish(handle, &mid, topic, Int32($0.count), $0.baseAddress, Int32(qos.rawValue), retain)
            }
            try Self.checkPublish(rc, topic: topic, qos: qos)
            unacknowledged.insert(mid)
        }
    }

    /// With `ownNetworkLoop`, writes what the publishes since the last call
    /// queued, on the calling thread, as far as the socket takes it without
    /// blocking (the network thread writes any rest). Call it after each
    /// burst of `publishWithoutWaiting`; without `ownNetworkLoop` it does
    /// nothing, libmosquitto's own thread writes.
    ///
    /// libmosquitto writes each packet with a `write` of its own; with
    /// TCP_NODELAY each became a TCP segment, delivered to the broker (and
    /// waking it) one by one. Corked for the burst, they leave as full
    /// segments the moment the cork comes off, so nothing waits for Nagle.
    public func writeQueued() {
        guard configuration.ownNetworkLoop, connection == nil else { return }
        let socket = mosquitto_socket(handle)
        guard socket >= 0 else { return }
        MQTTSocket.setOption(socket, Int32(IPPROTO_TCP), TCP_CORK, 1)
        _ = mosquitto_loop_write(handle, 1)
        MQTTSocket.setOption(socket, Int32(IPPROTO_TCP), TCP_CORK, 0)
    }

    /// Whether `send(_:)` writes bursts itself (`usesBufferedPublisher`);
    /// otherwise publish through `publishWithoutWaiting` and `writeQueued`.
    public var sendsBursts: Bool { configuration.usesBufferedPublisher }

    /// Writes a burst of QoS 0 publishes with one `write` (hearth's own
    /// connection, `bufferedPublisher`) and returns how many of its messages
    /// went out whole; the rest were not sent (not connected, or the
    /// connection broke during the write) and the caller counts them. It
    /// blocks while the broker is slow to take the bytes. Without
    /// `bufferedPublisher` nothing is sent and it returns 0.
    public func send(_ burst: MQTTPublishBurst) -> Int {
        guard sendsBursts, let connection else { return 0 }
        return connection.send(burst)
    }

    /// QoS 1/2 messages published without waiting whose acknowledgement has not arrived.
    public var inFlight: Int { lock.withLock { unacknowledged.count } }

    /// Suspends until at most `limit` messages published without waiting are
    /// unacknowledged: back-pressure for a publisher that must not outrun the broker.
    public func waitForWindow(atMost limit: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = lock.withLock {
                if unacknowledged.count <= limit || closed { return true }
                windowWaiter = (limit, continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private func checkCanPublish(_ topic: String) throws {
        guard connection == nil || configuration.usesBufferedPublisher else {
            throw MQTTError(.publishFailed, "could not publish to \(topic): this client only receives (MQTTConfiguration.bufferedReceiver); publish on another client")
        }
    }

    /// A delay in libmosquitto's unit, whole seconds, never shorter than asked nor below 1.
    static func wholeSecondsRoundedUp(_ delay: Duration) -> UInt32 {
        UInt32(clamping: max(1, delay.secondsRoundedUp))
    }

    /// At QoS 1 and 2 libmosquitto keeps the message in its queue even when it
    /// reports "not connected", and sends it on reconnect; only QoS 0 is lost.
    private static func checkPublish(_ rc: Int32, topic: String, qos: MQTTQoS) throws {
        if qos != .atMostOnce && rc == MOSQ_ERR_NO_CONN.rawValue { return }
        try mosquittoCall(.publishFailed, "could not publish to \(topic)", rc)
    }

    /// Subscribes and waits for the SUBACK. The subscription is renewed after
    /// every reconnect. Shared subscriptions are `$share/GROUP/FILTER`.
    public func subscribe(_ filter: String, qos: MQTTQoS = .atMostOnce) async throws {
        let granted = if let connection {
            try await connection.subscribe(filter, qos: UInt8(qos.rawValue))
        } else {
            try await subscribeThroughLibmosquitto(filter, qos: qos)
        }
        if granted.contains(where: { $0 >= 0x80 }) {
            throw MQTTError(.subscriptionRejected, "the broker refused the subscription to \(filter)", status: granted.first)
        }
    }

    private func subscribeThroughLibmosquitto(_ filter: String, qos: MQTTQoS) async throws -> [Int32] {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[Int32], any Error>) in
            let failure: (any Error)? = lock.withLock {
                var mid: Int32 = 0
                let rc = mosquitto_subscribe(handle, &mid, filter, Int32(qos.rawValue))
                do {
                    try mosquittoCall(.subscribeFailed, "could not subscribe to \(filter)", rc)
                } catch {
                    return error
                }
                subscriptions.append((filter, Int32(qos.rawValue)))
                subscriptionWaiters[mid] = continuation
                return nil
            }
            if let failure {
                continuation.resume(throwing: failure)
            } else {
                writeQueued()
            }
        }
    }

    /// Disconnects cleanly, stops the network thread and ends `messages`.
    /// Waiters still pending fail with `.closed`.
    public func disconnect() async {
        let wasRunning: Bool = lock.withLock {
            closed = true
            return loopRunning
        }
        if let connection {
            // Waiting for the thread blocks, so it happens off the cooperative pool.
            await onDedicatedThread { connection.stopAndWait() }
            connection.failWaiters(MQTTError(.closed, "the MQTT client was disconnected"))
        } else if wasRunning {
            mosquitto_disconnect(handle)
            if let networkLoop {
                // Waiting for the thread blocks, so it happens off the cooperative pool.
                await onDedicatedThread { networkLoop.stopAndWait() }
            } else {
                let handleAddress = UInt(bitPattern: handle)
                // Joining the network thread blocks, so it happens off the cooperative pool.
                _ = await onDedicatedThread { mosquitto_loop_stop(OpaquePointer(bitPattern: handleAddress)!, false) }
            }
            lock.withLock {
                loopRunning = false
                networkLoop = nil
            }
        }
        failAllWaiters(MQTTError(.closed, "the MQTT client was disconnected"))
        inbox.finish()
    }
}
