import BlockingIO
#if canImport(Glibc)
import Glibc
#endif

/// Publishing on hearth's own connection (`MQTTConfiguration.bufferedPublisher`).
///
/// QoS 0 goes out a burst per `write` (`send(_:)`), from the publisher's own
/// thread: no network thread in between, no queue to wake. While the
/// connection is down, or when a write stops short, the messages that did
/// not go out whole are reported to the caller, which counts them as not
/// sent; the connection's thread reconnects as it does for a subscriber.
///
/// QoS 1 is for the odd message a caller waits for (the publisher's drain
/// marker): it keeps the packet until its PUBACK and sends it again, marked
/// DUP, after a reconnect, as libmosquitto does. Publishing QoS 1/2 without
/// waiting needs an in-flight window and stays with libmosquitto.
extension MQTTConnection {
    /// Writes `burst` with one `write` and returns how many of its messages
    /// went out whole: all of them, or fewer when the connection is down or
    /// broke during the write (the connection is then dropped, since a packet
    /// cut short leaves the stream unreadable, and the thread reconnects).
    /// It blocks while the broker is slow to take the bytes, for at most the
    /// socket's send time-out.
    func send(_ burst: MQTTPublishBurst) -> Int {
        guard !burst.isEmpty else { return 0 }
        let (written, failure): (Int, MQTTError?) = writeLock.withLock {
            guard ready, socket >= 0 else { return (0, nil) }
            let (written, failure) = burst.bytes.withUnsafeBytes { MQTTSocket.write(socket, $0) }
            if written > 0 { lastSent = monotonicSeconds() }
            if failure != nil { dropConnection() }
            return (written, failure)
        }
        if let failure { lock.withLock { if !stopping { lastFailure = failure } } }
        return burst.packetsWhole(in: written)
    }

    /// Writes one QoS 0 message at once, or throws `.notConnected`.
    func publishAtMostOnce(topic: String, payload: [UInt8], retain: Bool) throws(MQTTError) {
        var burst = MQTTPublishBurst(protocolVersion: configuration.protocolVersion)
        burst.append(topic: topic, payload: payload, retain: retain)
        guard send(burst) == 1 else {
            throw MQTTError(.notConnected, "could not publish to \(topic): the client is not connected")
        }
    }

    /// Publishes one message. QoS 0: written at once, or `.notConnected`.
    /// QoS 1: returns when the broker has acknowledged it; while the
    /// connection is down it waits and goes out on reconnect.
    func publish(topic: String, payload: [UInt8], qos: UInt8, retain: Bool) async throws {
        if qos == 0 {
            try publishAtMostOnce(topic: topic, payload: payload, retain: retain)
            return
        }
        guard qos == 1 else {
            throw MQTTError(.publishFailed, "could not publish to \(topic) at QoS \(qos): hearth's own connection publishes QoS 0 and 1; leave bufferedPublisher off for QoS 2")
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            // Under the write lock, so a reconnect's re-sending (also under
            // it) either includes this message or comes before it.
            let failure: MQTTError? = writeLock.withLock {
                let id: UInt16? = lock.withLock {
                    guard !stopping else { return nil }
                    let id = nextPacketID()
                    var packet: [UInt8] = []
                    MQTTOutgoingPacket.publish(topic: topic, payload: payload, qos: 1, packetID: id, retain: retain, duplicate: false)
                        .encode(into: &packet, protocolVersion: configuration.protocolVersion)
                    publishWaiters[id] = (packet, continuation)
                    return id
                }
                guard let id else { return MQTTError(.closed, "could not publish to \(topic): the MQTT client is closed") }
                guard ready, socket >= 0, let packet = lock.withLock({ publishWaiters[id]?.packet }) else { return nil }
                if packet.withUnsafeBytes({ MQTTSocket.write(socket, $0) }).failure != nil {
                    // Kept: it goes out again after the reconnect.
                    dropConnection()
                } else {
                    lastSent = monotonicSeconds()
                }
                return nil
            }
            if let failure { continuation.resume(throwing: failure) }
        }
    }

    /// After a CONNACK: sends every QoS 1 message still unacknowledged again,
    /// marked DUP, then lets publishes through.
    func resendUnacknowledged() throws(MQTTError) {
        try withWriteLock { () throws(MQTTError) in
            let packets = lock.withLock { publishWaiters.sorted { $0.key < $1.key }.map(\.value.packet) }
            var bytes: [UInt8] = []
            for var packet in packets {
                packet[0] |= 0x08
                bytes += packet
            }
            if !bytes.isEmpty {
                guard socket >= 0 else { throw MQTTError(.notConnected, "the MQTT client is not connected") }
                try MQTTSocket.writeAll(socket, bytes)
                lastSent = monotonicSeconds()
            }
            ready = true
        }
    }

    /// Under `writeLock`: stops further writes and wakes the thread's
    /// blocking read, which then reconnects. The thread closes the socket.
    private func dropConnection() {
        ready = false
        shutdown(socket, Int32(SHUT_RDWR))
    }
}
