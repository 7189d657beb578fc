#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body` on a new detached pthread and returns `pthread_create`'s
/// result (0, or the error, in which case `body` never runs).
///
/// `name` (at most 15 bytes are kept, Linux's limit) is what `top -H`,
/// `perf` and `/proc/PID/task/*/comm` show: without it every thread is
/// called after the process, and a profile cannot say whose CPU is whose.
///
/// The clients' network threads (MQTT's own loop and buffered receiver)
/// block in system calls for their whole life, which must not happen on
/// the cooperative pool; each used to spell out this dance itself.
public func startDetachedThread(name: String, _ body: @escaping () -> Void) -> Int32 {
    let work = Unmanaged.passRetained(DetachedThreadWork {
        setCurrentThreadName(name)
        body()
    })
    var tid = pthread_t()
    let rc = pthread_create(&tid, nil, { raw in
        let work = Unmanaged<DetachedThreadWork>.fromOpaque(raw!).takeRetainedValue()
        work.body()
        return nil
    }, work.toOpaque())
    if rc == 0 {
        pthread_detach(tid)
    } else {
        work.release()
    }
    return rc
}

private final class DetachedThreadWork {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}

/// Names the calling thread (truncated to Linux's 15 bytes). Through
/// `/proc/thread-self/comm`, because Glibc's module does not export
/// `pthread_setname_np` (a `_GNU_SOURCE` declaration); elsewhere a no-op.
public func setCurrentThreadName(_ name: String) {
    #if os(Linux)
    let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
    guard fd >= 0 else { return }
    let bytes = Array(name.utf8.prefix(15))
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    #endif
}
