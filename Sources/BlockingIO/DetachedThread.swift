#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body` on a new detached pthread and returns `pthread_create`'s
/// result (0, or the error, in which case `body` never runs).
///
/// The clients' network threads (MQTT's own loop and buffered receiver)
/// block in system calls for their whole life, which must not happen on
/// the cooperative pool; each used to spell out this dance itself.
public func startDetachedThread(_ body: @escaping () -> Void) -> Int32 {
    let work = Unmanaged.passRetained(DetachedThreadWork(body))
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
