internal import CMosquitto
import BlockingIO
#if canImport(Glibc)
import Glibc
#endif

/// hearth's network thread for a client (`MQTTConfiguration.ownNetworkLoop`),
/// in place of libmosquitto's (`mosquitto_loop_start`).
///
/// Why: libmosquitto's thread wakes for every publish. `mosquitto_publish`
/// writes one byte to an internal socket pair to wake it, and its loop reads
/// that pair one byte per `pselect`, so a burst of N publishes costs N
/// wake-ups (measured: 1.5 `pselect` and 3.9 `read` calls per message in the
/// whole pipeline). Here the library runs in its "external thread" mode
/// (`mosquitto_threaded_set`): publishes only queue, the publisher writes the
/// queue once per burst (`MQTTClient.writeQueued`), and this thread never
/// reads the pair. It waits for the broker's packets (CONNACK, PUBACK,
/// PINGRESP), writes what the publisher left (a socket that could not take a
/// whole burst), keeps the connection alive and reconnects with backoff as
/// `mosquitto_loop_forever` does.
///
/// Not for the subscriber: reading its packets back to back here (a
/// one-byte peek instead of a `pselect` between packets) saved no CPU and
/// doubled the context switches, since libmosquitto still reads each packet
/// with 3–4 `read`s. On plain TCP it receives through `MQTTConnection`, which
/// reads many packets per `read`; over TLS it keeps libmosquitto's thread.
/// A QoS 0 publisher on plain TCP does not use it either: `MQTTConnection`
/// writes its bursts itself (`MQTTConfiguration.bufferedPublisher`).
///
/// At QoS 1 the broker writes one PUBACK per message, and waking this thread
/// for each (about 6,000 wake-ups a second per connection at 20,000 msg/s)
/// cost as much CPU as the acknowledgements' reading. So the socket's receive
/// low-water mark (`SO_RCVLOWAT`) holds the wake-up until
/// ``acknowledgementsPerWake`` PUBACKs have arrived, and each poll time-out
/// reads whatever smaller remainder is waiting. A shutdown or error still
/// wakes the poll at once.
final class MQTTNetworkLoop: @unchecked Sendable {
    private let handle: OpaquePointer
    private let reconnectDelay: (initial: Duration, maximum: Duration)
    private let lock = Mutex()
    private var stopping = false
    private var finished = false

    /// Longest wait for the socket: bounds how late a packet the publisher
    /// could not write in full, or a keep-alive ping, goes out.
    static let pollMilliseconds: Int32 = 5

    /// PUBACKs (4 bytes each) the socket gathers before it wakes the thread.
    /// No more than the smallest window a publisher keeps per connection
    /// (16 unless `PublisherOptions.qosWindow` is set lower; see
    /// `qosWindow(connections:)`), so a full window's
    /// acknowledgements wake it; fewer are read within ``pollMilliseconds``.
    static let acknowledgementsPerWake: Int32 = 16

    init(handle: OpaquePointer, reconnectDelay: (initial: Duration, maximum: Duration)) {
        self.handle = handle
        self.reconnectDelay = reconnectDelay
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    /// Starts the thread; libmosquitto must already be in external-thread mode.
    func start() throws {
        let rc = startDetachedThread(name: "mqtt-loop") { self.run() }
        guard rc == 0 else {
            throw MQTTError(.connectFailed, "could not start the MQTT network thread (pthread_create: \(rc))")
        }
    }

    /// Asks the thread to end once the DISCONNECT queued by the caller is
    /// written, and waits for it (blocking: call it off the cooperative pool).
    func stopAndWait() {
        lock.withLock { stopping = true }
        while !lock.withLock({ finished }) { usleep(1_000) }
    }

    private func run() {
        defer { lock.withLock { finished = true } }
        var backoff = ReconnectBackoff(reconnectDelay)
        // The socket whose low-water mark is set; a reconnect may reuse the number.
        var markedSocket: Int32 = -1
        while true {
            let socket = mosquitto_socket(handle)
            if socket >= 0 && socket != markedSocket {
                MQTTSocket.setOption(socket, SOL_SOCKET, SO_RCVLOWAT, 4 * Self.acknowledgementsPerWake)
                markedSocket = socket
            }
            if socket < 0 {
                markedSocket = -1
                if isStopping { return }
                backoff.wait { isStopping }
                if isStopping { return }
                if mosquitto_reconnect(handle) == MOSQ_ERR_SUCCESS.rawValue { backoff.connected() }
                continue
            }
            var events = Int16(POLLIN)
            if mosquitto_want_write(handle) { events |= Int16(POLLOUT) }
            var descriptor = pollfd(fd: socket, events: events, revents: 0)
            let ready = poll(&descriptor, 1, Self.pollMilliseconds)
            var rc = MOSQ_ERR_SUCCESS.rawValue
            if ready > 0, descriptor.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                rc = mosquitto_loop_read(handle, 1)
            } else if ready == 0, Self.bytesWaiting(socket) > 0 {
                // Fewer than the low-water mark: a lone PUBACK, a PINGRESP.
                rc = mosquitto_loop_read(handle, 1)
            }
            if rc == MOSQ_ERR_SUCCESS.rawValue, mosquitto_want_write(handle) {
                rc = mosquitto_loop_write(handle, 1)
            }
            if rc == MOSQ_ERR_SUCCESS.rawValue {
                rc = mosquitto_loop_misc(handle)
            }
            // After an error libmosquitto has closed the socket, so the next
            // round reconnects (or ends, when the caller disconnected).
            if isStopping && (rc != MOSQ_ERR_SUCCESS.rawValue || !mosquitto_want_write(handle)) { return }
        }
    }

    private static func bytesWaiting(_ socket: Int32) -> Int32 {
        var count: Int32 = 0
        return ioctl(socket, UInt(FIONREAD), &count) == 0 ? count : 0
    }
}
