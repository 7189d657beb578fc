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
    private var buffer = MQTTBatch()
    /// Capacity of the last batch handed out, so the next one rarely regrows.
    private var lastBytes = 64 * 1024
    private var lastCount = 256
    private var parked: CheckedContinuation<Void, Never>?
    private var finished = false
    private let lingerNanoseconds: UInt64

    init(lingerMicroseconds: Int) {
        lingerNanoseconds = UInt64(max(0, lingerMicroseconds)) * 1000
        buffer.reserve(bytes: lastBytes, messages: lastCount)
    }

    /// Called on the network thread for every message; copies it into the batch buffer.
    func append(topic: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer, qos: Int32, retain: Bool) {
        appendAll { $0.append(topic: topic, payload: payload, qos: qos, retain: retain) }
    }

    /// Lets `body` append any number of messages under one lock (the
    /// buffered receiver adds every message of a read at once), then resumes
    /// the consumer if it is parked and something arrived.
    func appendAll(_ body: (inout MQTTBatch) -> Void) {
        let waiter: CheckedContinuation<Void, Never>? = lock.withLock {
            let before = buffer.count
            body(&buffer)
            guard buffer.count > before else { return nil }
            defer { parked = nil }
            return parked
        }
        waiter?.resume()
    }

    /// Blocks the calling network thread until the consumer has taken what is
    /// buffered (or `nanoseconds` pass, or the stream ends).
    ///
    /// The buffered receiver calls it between reads, so that while the
    /// consumer works on one batch the next one gathers in the socket and
    /// arrives with one `read`: reading each packet the moment it lands cost
    /// a wake-up and a `read` per packet and saved little over libmosquitto.
    /// The bound keeps keep-alive going when the consumer is stuck.
    func waitUntilTaken(atMostNanoseconds nanoseconds: UInt64) {
        lock.withLock {
            guard !buffer.isEmpty, !finished else { return }
            _ = lock.wait(nanoseconds: nanoseconds)
        }
    }

    /// Ends the stream: a parked consumer wakes and sees the end.
    func finish() {
        let waiter: CheckedContinuation<Void, Never>? = lock.withLock {
            finished = true
            lock.signal()
            defer { parked = nil }
            return parked
        }
        waiter?.resume()
    }

    /// Everything received so far, waiting for at least one message; nil once
    /// the client is closed and the inbox drained.
    func nextBatch() async -> MQTTBatch? {
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
        return takeAll() ?? (lock.withLock({ finished }) || Task.isCancelled ? nil : MQTTBatch())
    }

    private func takeAll() -> MQTTBatch? {
        lock.withLock {
            guard !buffer.isEmpty else { return nil }
            lastBytes = max(4096, buffer.storage.count)
            lastCount = max(16, buffer.count)
            var batch = MQTTBatch()
            batch.reserve(bytes: lastBytes, messages: lastCount)
            swap(&batch, &buffer)
            // Wakes the buffered receiver if it waits for this (no system call when none does).
            lock.signal()
            return batch
        }
    }
}
