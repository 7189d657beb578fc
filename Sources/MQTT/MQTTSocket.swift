#if canImport(Glibc)
import Glibc
#endif

/// The plain TCP socket under `MQTTConnection`: connect, time-outs, whole writes.
///
/// Blocking calls with `SO_RCVTIMEO`/`SO_SNDTIMEO`, because the receiver's
/// thread does nothing but wait for the broker, and a publisher's burst
/// should wait while the broker is slow to take it: a blocking `read` is one
/// system call per wake-up where `poll` + `read` would be two.
enum MQTTSocket {
    /// Opens a TCP connection to the first address of `host` that answers.
    static func connect(host: String, port: Int, noDelay: Bool) throws(MQTTError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let list else {
            throw MQTTError(.connectFailed, "could not resolve the MQTT broker's host \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastErrno: Int32 = 0
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let address = entry {
            defer { entry = address.pointee.ai_next }
            let descriptor = socket(address.pointee.ai_family, address.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), address.pointee.ai_protocol)
            guard descriptor >= 0 else { lastErrno = errno; continue }
            if Glibc.connect(descriptor, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 {
                if noDelay { setOption(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, 1) }
                return descriptor
            }
            lastErrno = errno
            close(descriptor)
        }
        throw MQTTError(.connectFailed, "could not connect to the MQTT broker at \(host):\(port) (is it running? check --mqtt): \(String(cString: strerror(lastErrno)))")
    }

    /// Bounds each blocking `read` (`SO_RCVTIMEO`) or `write` (`SO_SNDTIMEO`); it then fails with EAGAIN.
    static func setTimeout(_ descriptor: Int32, receive: Bool, seconds: Double) {
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1e6))
        _ = setsockopt(descriptor, SOL_SOCKET, receive ? SO_RCVTIMEO : SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Writes all of `bytes`, or throws: the socket's send time-out passing, or any error.
    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) throws(MQTTError) {
        let (_, failure) = bytes.withUnsafeBytes { write(descriptor, $0) }
        if let failure { throw failure }
    }

    /// Writes as much of `bytes` as the socket takes: all of it, or what went
    /// out before the send time-out or an error, which comes back too (a
    /// publisher counts the messages that did not go out whole). `send` with
    /// MSG_NOSIGNAL, so a broker gone away is an error, not a SIGPIPE.
    static func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> (written: Int, failure: MQTTError?) {
        var offset = 0
        while offset < bytes.count {
            let written = send(descriptor, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if written > 0 {
                offset += written
                continue
            }
            let code = errno
            if written < 0 && code == EINTR { continue }
            if written < 0 && (code == EAGAIN || code == EWOULDBLOCK) {
                return (offset, MQTTError(.timeout, "the MQTT broker took nothing from the socket within the send time-out"))
            }
            return (offset, MQTTError(.connectionLost, "writing to the MQTT broker failed: \(String(cString: strerror(code)))"))
        }
        return (offset, nil)
    }

    /// An integer socket option (`TCP_NODELAY`, `TCP_CORK`); failures are ignored, as these only tune.
    static func setOption(_ descriptor: Int32, _ level: Int32, _ name: Int32, _ value: Int32) {
        var value = value
        _ = setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
    }
}
