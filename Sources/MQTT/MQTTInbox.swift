import BlockingIO

/// Where libmosquitto's network thread leaves received messages for the one
/// consumer task.
///
/// One wake-up per message cost a prototype 15–25% of its throughput, so the
/// callback only appends under a lock and resumes the consumer if it is
/// parked. A woken consumer lingers briefly so that a batch can build up, and
/// then takes everything at once.
final class MQTTInbox: @unchecked Sendable {
    private let lock = Mutex()
    private var buffer: [MQTTMessage] = []
    private var parked: CheckedContinuation<Void, Never>?
    private var finished = false
    private let lingerNanoseconds: UInt64

    init(lingerMicroseconds: Int) {
        lingerNanoseconds = UInt64(max(0, lingerMicroseconds)) * 1000
        buffer.reserveCapacity(1024)
    }

    /// Called on the network thread for every message.
    func append(_ message: MQTTMessage) {
        let waiter: CheckedContinuation<Void, Never>? = lock.withLock {
            buffer.append(message)
            defer { parked = nil }
            return parked
        }
        waiter?.resume()
    }

    /// Ends the stream: a parked consumer wakes and sees the end.
    func finish() {
        let waiter: CheckedContinuation<Void, Never>? = lock.withLock {
            finished = true
            defer { parked = nil }
            return parked
        }
        waiter?.resume()
    }

    /// Everything received so far, waiting for at least one message; nil once
    /// the client is closed and the inbox drained.
    func nextBatch() async -> [MQTTMessage]? {
        if let batch = takeAll() { return batch }
        if lock.withLock({ finished }) { return nil }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = lock.withLock {
                    if !buffer.isEmpty || finished || Task.isCancelled { return true }
                    parked = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter: CheckedContinuation<Void, Never>? = lock.withLock {
                defer { parked = nil }
                return parked
            }
            waiter?.resume()
        }
        if lingerNanoseconds > 0, !Task.isCancelled { try? await Task.sleep(nanoseconds: lingerNanoseconds) }
        return takeAll() ?? (lock.withLock({ finished }) || Task.isCancelled ? nil : [])
    }

    private func takeAll() -> [MQTTMessage]? {
        lock.withLock {
            guard !buffer.isEmpty else { return nil }
            var batch: [MQTTMessage] = []
            batch.reserveCapacity(buffer.count)
            swap(&batch, &buffer)
            return batch
        }
    }
}
