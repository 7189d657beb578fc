import BlockingIO
internal import CMosquitto
#if canImport(Glibc)
import Glibc
#endif

/// hearth's own MQTT connection over plain TCP, in place of libmosquitto:
/// the receive path of a subscribing client (`MQTTConfiguration.bufferedReceiver`)
/// and the QoS 0 burst path of a publishing one (`bufferedPublisher`; see
/// MQTTConnection+Publishing.swift).
///
/// Why: libmosquitto's network thread spends a `pselect` and 3–4 `read`
/// calls on every packet it receives; in `hearth bench pipeline` that was
/// about 30% of hearth's CPU per message. This thread owns the socket and
/// makes one `read` of up to 256 KB per wake-up; while the consumer works on
/// a batch it waits (see `MQTTInbox.waitWhileConsumerBusy`), and the
/// consumer reads the socket itself before it takes the next one
/// (``readForConsumer()``), so a busy consumer's next batch is one `read`
/// and holds everything that arrived until then. It parses every
/// complete packet in it (`MQTTPacketReader`), copies all the messages into
/// the inbox under one lock, and answers all their PUBACKs in one `write`.
/// Likewise libmosquitto writes each packet it publishes with a `write` of
/// its own; here a burst of publishes is one `write`.
///
/// It keeps the client semantics the subscriber relies on: CONNECT with the
/// configured clean/persistent session (MQTT 5: session expiry of a day when
/// persistent), SUBSCRIBE with a wait for SUBACK, QoS 0/1/2 reception
/// (acknowledged once the message is in the inbox, as libmosquitto
/// acknowledges on arrival), PINGREQ keep-alive, and reconnection with
/// exponential backoff followed by renewed subscriptions. A malformed or
/// oversized packet drops the connection with a `.protocolError` (kept in
/// `lastError`) and the client reconnects. It publishes QoS 0, and QoS 1
/// with a wait for the PUBACK (re-sent after a reconnect); QoS 1/2 without
/// waiting (libmosquitto's in-flight window), QoS 2 and TLS stay with
/// libmosquitto.
final class MQTTConnection: @unchecked Sendable {
    let configuration: MQTTConfiguration
    private let inbox: MQTTInbox
    let lock = Mutex()
    // Guarded by `lock`.
    private var subscriptions: [(filter: String, qos: UInt8)] = []
    private var subscriptionWaiters: [UInt16: (continuation: CheckedContinuation<[Int32], any Error>, filter: String)] = [:]
    private var connectWaiter: CheckedContinuation<Void, any Error>?
    /// QoS 1 publishes awaiting their PUBACK, with their packets (re-sent,
    /// marked DUP, after a reconnect).
    var publishWaiters: [UInt16: (packet: [UInt8], continuation: CheckedContinuation<Void, any Error>)] = [:]
    private var packetID: UInt16 = 0
    private var isConnected = false
    private var hasConnected = false
    private var connectionCount = 0
    var stopping = false
    private var threadStarted = false
    private var threadFinished = false
    var lastFailure: MQTTError?
    /// Serialises writes, and guards `socket`, `ready` and `lastSent`: the
    /// thread writes acknowledgements and pings, `subscribe`, `publish` and
    /// `stop` write from other threads, and the socket must not close under
    /// a writer.
    let writeLock = Mutex()
    var socket: Int32 = -1
    /// Whether publishes may be written: the CONNACK came and the QoS 1
    /// messages still unacknowledged were sent again.
    var ready = false
    /// DISCONNECT is written and our side of the stream shut: whatever
    /// still arrives is the broker's, sent before it read that, and is
    /// neither delivered nor acknowledged (it keeps it for the session).
    private var disconnectSent = false
    var lastSent = 0.0
    /// Guards the receive state below: the network thread reads, and so does
    /// the consumer just before it takes a batch (``readForConsumer()``).
    /// Taken before `lock`, `writeLock` and the inbox's lock, never after.
    private let readerLock = Mutex()
    private var reader: MQTTPacketReader
    private var acknowledgements: [UInt8] = []
    private var lastReceived = 0.0
    private var pingSent: Double?
    /// This connection's keep-alive: the configuration's, or what an MQTT 5
    /// broker's CONNACK set instead (Server Keep Alive). Written by the
    /// network thread before the session's reads begin.
    private var keepAliveSeconds: Int
    /// The connected socket while a session reads it; -1 outside one, so
    /// the consumer never reads a socket that is being closed.
    private var receiveSocket: Int32 = -1
    /// What went wrong when the consumer's read handled the packets, for the
    /// network thread to throw.
    private var deferredFailure: MQTTError?
    /// Messages that came through the consumer's own reads (tests look).
    private var consumerReadMessages = 0

    /// How long a blocking `read` waits before the thread checks keep-alive and stop.
    static let tickSeconds = 0.25
    /// The receiving socket's buffer (the kernel doubles it, up to
    /// `net.core.rmem_max` twice). The socket is left unread while the
    /// consumer works on a batch; with the autotuned default (128 KB at
    /// first) the window closed within a few milliseconds of that at
    /// 40,000 msg/s, and the broker stopped sending until the next read.
    static let socketReceiveBufferBytes: Int32 = 4 << 20
    /// Longest wait for the consumer to take a batch before reading again.
    static let gatherLimitNanoseconds: UInt64 = 20_000_000

    init(configuration: MQTTConfiguration, inbox: MQTTInbox) {
        self.configuration = configuration
        self.inbox = inbox
        keepAliveSeconds = configuration.keepAliveSeconds
        reader = MQTTPacketReader(
            protocolVersion: configuration.protocolVersion,
            readSize: configuration.receiveBufferBytes,
            maximumPacketBytes: configuration.maximumIncomingPacketBytes
        )
        acknowledgements.reserveCapacity(4096)
        if configuration.usesBufferedReceiver {
            inbox.installRefill { [weak self] in self?.readForConsumer() }
        }
    }

    var connections: Int { lock.withLock { connectionCount } }
    /// How many messages the consumer's own reads delivered (see ``readForConsumer()``).
    var messagesReadByConsumer: Int { readerLock.withLock { consumerReadMessages } }
    var connected: Bool { lock.withLock { isConnected } }
    /// Why the last connection attempt or connection ended, if one did.
    var lastError: MQTTError? { lock.withLock { lastFailure } }

    /// Starts the thread and waits for the first CONNACK; a failure of this
    /// first attempt (no broker, refused, no answer) is thrown and ends the thread.
    func connect() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let failure: MQTTError? = lock.withLock {
                if stopping { return MQTTError(.closed, "the MQTT client is closed") }
                // A thread that ended after a failed first attempt may be started again.
                if threadStarted && !threadFinished { return MQTTError(.connectFailed, "the MQTT client is already connected or connecting") }
                connectWaiter = continuation
                threadStarted = true
                threadFinished = false
                return nil
            }
            if let failure { continuation.resume(throwing: failure); return }
            let rc = startDetachedThread(name: "mqtt-receive") { self.run() }
            guard rc == 0 else {
                let waiter = lock.withLock {
                    threadStarted = false
                    defer { connectWaiter = nil }
                    return connectWaiter
                }
                waiter?.resume(throwing: MQTTError(.connectFailed, "could not start the MQTT receive thread (pthread_create: \(rc))"))
                return
            }
        }
    }

    /// Sends SUBSCRIBE and waits for the SUBACK's granted QoS codes. The
    /// subscription is renewed after every reconnect.
    func subscribe(_ filter: String, qos: UInt8) async throws -> [Int32] {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[Int32], any Error>) in
            let id: UInt16? = lock.withLock {
                guard isConnected, !stopping else { return nil }
                let id = nextPacketID()
                subscriptions.append((filter, qos))
                subscriptionWaiters[id] = (continuation, filter)
                return id
            }
            guard let id else {
                continuation.resume(throwing: MQTTError(.notConnected, "could not subscribe to \(filter): the client is not connected"))
                return
            }
            do throws(MQTTError) {
                try send([.subscribe(packetID: id, filter: filter, qos: qos)])
            } catch {
                let waiter = lock.withLock {
                    subscriptions.removeAll { $0.filter == filter && $0.qos == qos }
                    return subscriptionWaiters.removeValue(forKey: id)
                }
                waiter?.continuation.resume(throwing: MQTTError(.subscribeFailed, "could not subscribe to \(filter): \(error.message)"))
            }
        }
    }

    /// Sends DISCONNECT, ends the thread and waits for it (blocking: call it
    /// off the cooperative pool). Messages already in the inbox stay there.
    ///
    /// It returns once the broker has closed the connection (at most about
    /// a second), because that says the broker read everything before our
    /// DISCONNECT, the last PUBACKs included. A client that reconnects with
    /// the same id before then (a subscriber restart) makes mosquitto take
    /// the session over from this connection and drop what it had not yet
    /// read: those messages came again, a test once saw, as duplicates.
    func stopAndWait() {
        let started: Bool = lock.withLock {
            stopping = true
            return threadStarted
        }
        writeLock.withLock {
            guard socket >= 0 else { return }
            var bytes: [UInt8] = []
            MQTTOutgoingPacket.disconnect.encode(into: &bytes, protocolVersion: configuration.protocolVersion)
            _ = try? MQTTSocket.writeAll(socket, bytes)
            ready = false
            disconnectSent = true
            // The broker closes its side once it reads DISCONNECT; the thread's read then ends.
            shutdown(socket, Int32(SHUT_WR))
        }
        guard started else { return }
        while !lock.withLock({ threadFinished }) { usleep(1_000) }
    }

    /// Fails whoever still waits for a SUBACK, a PUBACK or the first CONNACK.
    func failWaiters(_ error: MQTTError) {
        let (subscribers, publishers, connect) = lock.withLock {
            defer {
                subscriptionWaiters.removeAll()
                publishWaiters.removeAll()
                connectWaiter = nil
            }
            return (Array(subscriptionWaiters.values), Array(publishWaiters.values), connectWaiter)
        }
        subscribers.forEach { $0.continuation.resume(throwing: error) }
        publishers.forEach { $0.continuation.resume(throwing: error) }
        connect?.resume(throwing: error)
    }

    // MARK: The network thread

    private var isStopping: Bool { lock.withLock { stopping } }

    private func run() {
        defer {
            lock.withLock {
                isConnected = false
                threadFinished = true
            }
        }
        var backoff = ReconnectBackoff(configuration.reconnectDelay)
        while !isStopping {
            do {
                try session { backoff.connected() }
            } catch {
                closeSocket()
                let (firstAttempt, unanswered, stopped) = lock.withLock {
                    isConnected = false
                    if !stopping { lastFailure = error }
                    // A SUBSCRIBE the connection ended before answering fails, and is not renewed
                    // (mosquitto drops a connection over an invalid filter).
                    let unanswered = Array(subscriptionWaiters.values)
                    subscriptionWaiters.removeAll()
                    subscriptions.removeAll { subscription in unanswered.contains { $0.filter == subscription.filter } }
                    defer { connectWaiter = nil }
                    return (hasConnected ? nil : connectWaiter, unanswered, stopping)
                }
                for waiter in unanswered {
                    waiter.continuation.resume(throwing: MQTTError(.subscribeFailed, "could not subscribe to \(waiter.filter): \(error.message)"))
                }
                if let firstAttempt {
                    // As with libmosquitto, a client that never connected does not keep trying.
                    firstAttempt.resume(throwing: error)
                    return
                }
                if stopped { return }
                backoff.wait { isStopping }
            }
        }
        closeSocket()
    }

    /// One connection: CONNECT, CONNACK, renewed subscriptions, then packets
    /// until `stopAndWait` (returns) or a failure (throws).
    private func session(connected: () -> Void) throws(MQTTError) {
        let c = configuration
        let descriptor = try MQTTSocket.connect(host: c.host, port: c.port, noDelay: c.tcpNoDelay)
        let proceed: Bool = writeLock.withLock {
            if isStopping {
                close(descriptor)
                return false
            }
            socket = descriptor
            disconnectSent = false
            return true
        }
        guard proceed else { return }
        MQTTSocket.setTimeout(descriptor, receive: true, seconds: Self.tickSeconds)
        if c.usesBufferedReceiver {
            MQTTSocket.setOption(descriptor, SOL_SOCKET, SO_RCVBUF, Self.socketReceiveBufferBytes)
        }
        MQTTSocket.setTimeout(descriptor, receive: false, seconds: Double(max(5, c.keepAliveSeconds)))
        reader.reset()
        pingSent = nil
        lastReceived = monotonicSeconds()
        try send([.connect(
            clientID: c.clientID, cleanSession: c.cleanSession, keepAliveSeconds: UInt16(clamping: c.keepAliveSeconds),
            username: c.username, password: c.password,
            // MQTT 5 ends a session at disconnect unless the client asks the broker to keep it: a day is longer than any run.
            sessionExpirySeconds: c.cleanSession ? nil : 86_400,
            maximumPacketBytes: UInt32(clamping: c.maximumIncomingPacketBytes)
        )])
        try awaitConnack(descriptor, deadline: monotonicSeconds() + c.connectTimeoutSeconds)
        connected()
        let (renew, waiter): ([MQTTOutgoingPacket], CheckedContinuation<Void, any Error>?) = lock.withLock {
            isConnected = true
            connectionCount += 1
            // Their SUBACKs carry ids nobody waits for, and are ignored.
            let renew: [MQTTOutgoingPacket] = hasConnected
                ? subscriptions.map { .subscribe(packetID: nextPacketID(), filter: $0.filter, qos: $0.qos) } : []
            hasConnected = true
            defer { connectWaiter = nil }
            return (renew, connectWaiter)
        }
        if !renew.isEmpty { try send(renew) }
        try resendUnacknowledged()
        waiter?.resume()
        defer { readerLock.withLock { receiveSocket = -1 } }
        try withReaderLock { () throws(MQTTError) in
            receiveSocket = descriptor
            // A failure the consumer found on the last connection ended that one.
            deferredFailure = nil
            // Packets that came in the same read as the CONNACK.
            try handleBufferedPackets()
        }
        while !isStopping {
            // A blocking read under the lock: the consumer only tries the lock
            // (`readForConsumer`), and this thread reads only while the
            // consumer is parked or stuck, so neither waits for the other.
            let (count, code) = try withReaderLock { () throws(MQTTError) -> (Int, Int32) in
                if let failure = deferredFailure {
                    deferredFailure = nil
                    throw failure
                }
                let count = reader.readFrom { space in read(descriptor, space.baseAddress, space.count) }
                let code = errno
                if count > 0 {
                    lastReceived = monotonicSeconds()
                    try handleBufferedPackets()
                }
                return (count, code)
            }
            if count > 0 {
                // Lets the next packets gather in the socket while the consumer works.
                inbox.waitWhileConsumerBusy(atMostNanoseconds: Self.gatherLimitNanoseconds)
            } else if count == 0 {
                if isStopping { return }
                throw MQTTError(.connectionLost, "the MQTT broker at \(c.host):\(c.port) closed the connection")
            } else if code != EAGAIN && code != EWOULDBLOCK && code != EINTR {
                if isStopping { return }
                throw MQTTError(.connectionLost, "reading from the MQTT broker failed: \(String(cString: strerror(code)))")
            }
            try withReaderLock { () throws(MQTTError) in try keepAlive() }
        }
        readerLock.withLock { awaitBrokerClose(descriptor) }
    }

    /// After our DISCONNECT (``stopAndWait()``): reads, and discards, until the
    /// broker closes the connection, for at most a second. Under `readerLock`.
    private func awaitBrokerClose(_ descriptor: Int32) {
        guard writeLock.withLock({ disconnectSent }) else { return }
        let deadline = monotonicSeconds() + 1
        reader.reset()
        while monotonicSeconds() < deadline {
            let count = reader.readFrom { space in read(descriptor, space.baseAddress, space.count) }
            if count == 0 { return }
            if count < 0, errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR { return }
            reader.reset()
        }
    }

    /// The consumer's read, just before it takes a batch: whatever the socket
    /// holds goes into the inbox now, not after the batch that follows (see
    /// `MQTTInbox`). Skipped while the network thread reads (it delivers what
    /// it reads itself). An end of stream or a read error is left for the
    /// network thread's own read to find; a failure while handling the
    /// packets is kept for it, and the socket's read side shut to wake it.
    func readForConsumer() {
        readerLock.withLockIfAvailable {
            guard receiveSocket >= 0, deferredFailure == nil else { return }
            let descriptor = receiveSocket
            let count = reader.readFrom { space in recv(descriptor, space.baseAddress, space.count, Int32(MSG_DONTWAIT)) }
            guard count > 0 else { return }
            lastReceived = monotonicSeconds()
            do throws(MQTTError) {
                consumerReadMessages += try handleBufferedPackets()
            } catch {
                deferredFailure = error
                shutdown(descriptor, Int32(SHUT_RD))
            }
        }
    }

    private func awaitConnack(_ descriptor: Int32, deadline: Double) throws(MQTTError) {
        let c = configuration
        while true {
            if let packet = try reader.next() {
                guard case .connack(_, let code, let serverKeepAlive) = packet else {
                    throw MQTTError(.protocolError, "the MQTT broker at \(c.host):\(c.port) answered CONNECT with something other than CONNACK")
                }
                guard code == 0 else {
                    throw MQTTError(.connectRefused, "the MQTT broker refused the connection: \(Self.connackReason(code, c.protocolVersion))", status: Int32(code))
                }
                // MQTT 5: the broker's keep-alive replaces the client's for this connection.
                keepAliveSeconds = serverKeepAlive.map(Int.init) ?? c.keepAliveSeconds
                return
            }
            if isStopping { throw MQTTError(.closed, "the MQTT client was disconnected") }
            if monotonicSeconds() > deadline {
                throw MQTTError(.timeout, "the MQTT broker at \(c.host):\(c.port) did not answer CONNECT within \(c.connectTimeoutSeconds) s")
            }
            let count = reader.readFrom { space in read(descriptor, space.baseAddress, space.count) }
            if count == 0 {
                throw MQTTError(.connectionLost, "the MQTT broker at \(c.host):\(c.port) closed the connection before CONNACK")
            }
            if count < 0, errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR {
                throw MQTTError(.connectionLost, "reading CONNACK from the MQTT broker failed: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Hands every complete packet buffered to where it goes: messages to the
    /// inbox (one lock for all), then one write for all acknowledgements.
    /// Under `readerLock`. Returns how many messages went to the inbox.
    ///
    /// The write lock is held from before the messages reach the inbox until
    /// their acknowledgements are written: a consumer may take them at once,
    /// and a `disconnect` that follows its last take must not write DISCONNECT
    /// before those PUBACKs, or the broker sends the messages again (a test
    /// of persistent sessions once got them on its next connection).
    @discardableResult
    private func handleBufferedPackets() throws(MQTTError) -> Int {
        try withWriteLock { () throws(MQTTError) -> Int in try handleBufferedPacketsHoldingWriteLock() }
    }

    private func handleBufferedPacketsHoldingWriteLock() throws(MQTTError) -> Int {
        if disconnectSent {
            reader.reset()
            return 0
        }
        var failure: MQTTError?
        var delivered = 0
        var others: [MQTTIncomingPacket] = []
        acknowledgements.removeAll(keepingCapacity: true)
        let version = configuration.protocolVersion
        inbox.appendAll { batch in
            do throws(MQTTError) {
                while let packet = try reader.next() {
                    guard case .publish(let frame) = packet else {
                        others.append(packet)
                        continue
                    }
                    reader.withBytes(of: frame) { topic, payload in
                        batch.append(topic: topic, payload: payload, qos: Int32(frame.qos), retain: frame.retain)
                    }
                    delivered += 1
                    if frame.qos == 1 {
                        MQTTOutgoingPacket.puback(packetID: frame.packetID).encode(into: &acknowledgements, protocolVersion: version)
                    } else if frame.qos == 2 {
                        MQTTOutgoingPacket.pubrec(packetID: frame.packetID).encode(into: &acknowledgements, protocolVersion: version)
                    }
                }
            } catch {
                // Messages parsed before the bad packet are kept and acknowledged.
                failure = error
            }
        }
        for packet in others {
            switch packet {
            case .suback(let id, let codes):
                let waiter = lock.withLock { subscriptionWaiters.removeValue(forKey: id) }
                waiter?.continuation.resume(returning: codes.map { Int32($0) })
            case .pubrel(let id):
                MQTTOutgoingPacket.pubcomp(packetID: id).encode(into: &acknowledgements, protocolVersion: version)
            case .pingresp:
                pingSent = nil
            case .disconnect(let reason):
                failure = failure ?? MQTTError(.connectionLost, "the MQTT broker closed the connection (reason code 0x\(String(reason, radix: 16)))")
            case .connack:
                failure = failure ?? MQTTError(.protocolError, "the MQTT broker sent a second CONNACK")
            case .puback(let id):
                let waiter = lock.withLock { publishWaiters.removeValue(forKey: id) }
                waiter?.continuation.resume()
            case .publish, .pubrec, .pubcomp, .unsuback:
                break  // no QoS 2 publishing or unsubscribing here
            }
        }
        if !acknowledgements.isEmpty, socket >= 0 {
            try MQTTSocket.writeAll(socket, acknowledgements)
            lastSent = monotonicSeconds()
        }
        if let failure { throw failure }
        return delivered
    }

    /// PINGREQ when nothing was sent for a keep-alive period; a connection
    /// that answers nothing for another period is dead. Under `readerLock`.
    private func keepAlive() throws(MQTTError) {
        let period = Double(keepAliveSeconds)
        guard period > 0 else { return }
        let time = monotonicSeconds()
        if let pingSent {
            if lastReceived < pingSent, time - pingSent >= period {
                throw MQTTError(.timeout, "the MQTT broker did not answer PINGREQ within \(keepAliveSeconds) s")
            }
            return
        }
        if time - writeLock.withLock({ lastSent }) >= period {
            try send([.pingreq])
            pingSent = time
        }
    }

    private func send(_ packets: [MQTTOutgoingPacket]) throws(MQTTError) {
        var bytes: [UInt8] = []
        for packet in packets { packet.encode(into: &bytes, protocolVersion: configuration.protocolVersion) }
        try withWriteLock { () throws(MQTTError) in
            guard socket >= 0 else { throw MQTTError(.notConnected, "the MQTT client is not connected") }
            try MQTTSocket.writeAll(socket, bytes)
            lastSent = monotonicSeconds()
        }
    }

    func withWriteLock<T>(_ body: () throws(MQTTError) -> T) throws(MQTTError) -> T {
        try Self.locked(writeLock, body)
    }

    private func withReaderLock<T>(_ body: () throws(MQTTError) -> T) throws(MQTTError) -> T {
        try Self.locked(readerLock, body)
    }

    private static func locked<T>(_ mutex: Mutex, _ body: () throws(MQTTError) -> T) throws(MQTTError) -> T {
        let result: Result<T, MQTTError> = mutex.withLock {
            do throws(MQTTError) { return .success(try body()) } catch { return .failure(error) }
        }
        return try result.get()
    }

    private func closeSocket() {
        writeLock.withLock {
            if socket >= 0 { close(socket) }
            socket = -1
            ready = false
        }
    }

    /// Under `lock`.
    func nextPacketID() -> UInt16 {
        packetID = packetID == UInt16.max ? 1 : packetID + 1
        return packetID
    }

    /// libmosquitto's words for a refusal, so both receive paths say the same.
    private static func connackReason(_ code: UInt8, _ version: MQTTConfiguration.ProtocolVersion) -> String {
        String(cString: version == .v311 ? mosquitto_connack_string(Int32(code)) : mosquitto_reason_string(Int32(code)))
    }
}
