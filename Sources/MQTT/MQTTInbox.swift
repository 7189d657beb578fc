import BlockingIO

/// Where libmosquitto's network thread leaves received messages for the one
/// consumer task.
///
/// One wake-up per message cost a prototype 15–25% of its throughput, so the
/// callback only appends under a lock and resumes the consumer if it is
/// parked. A woken consumer lingers briefly so that a batch can build up, and
/// then takes everything at once; only while messages arrive fast enough for
/// that to gather a batch (``BatchLingerPolicy``).
///
/// With hearth's buffered receiver the consumer also reads the socket itself
/// just before it takes a batch (``installRefill(_:)``), so the batch holds
/// what arrived while it handled the previous one. Before, the receive
/// thread read right after each take and then waited, so a message that
/// arrived during a batch's handling stayed in the socket until the next
/// take and waited a whole extra batch.
final class MQTTInbox: @unchecked Sendable {
    private let lock = Mutex()
    private var buffer = MQTTBatch()
    /// Capacity of the last batch handed out, so the next one rarely regrows.
    private var lastBytes = 64 * 1024
    private var lastCount = 256
    private var parked: CheckedContinuation<Void, Never>?
    private var finished = false
    /// Between a non-empty take and the consumer parking again: it will look
    /// for new messages by itself, so the receive thread need not read.
    private var consumerBusy = false
    /// Reads what the socket holds into the inbox, on the consumer's thread.
    private var refill: (@Sendable () -> Void)?
    /// Whether a woken consumer waits for its batch to fill; updated on every take.
    private var linger: BatchLingerPolicy
    /// Linger with `nanosleep` on the consumer's thread (`MQTTConfiguration.lingerBlocksThread`).
    private let lingerBlocksThread: Bool
    /// Lingers so far, for tests.
    private var lingers = 0
    var lingerCount: Int { lock.withLock { lingers } }

    init(lingerMicroseconds: Int, blocksThread: Bool = false) {
        linger = BatchLingerPolicy(lingerNanoseconds: UInt64(max(0, lingerMicroseconds)) * 1000)
        lingerBlocksThread = blocksThread
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

    /// Lets the consumer read the socket itself before each take (see the
    /// type's note). Set once, before the receive thread starts.
    func installRefill(_ body: @escaping @Sendable () -> Void) {
        lock.withLock { refill = body }
    }

    /// Blocks the calling network thread while the consumer works on a batch
    /// or has not yet taken what is buffered (at most `nanoseconds`, and not
    /// after the stream ends).
    ///
    /// The buffered receiver calls it between reads, so that while the
    /// consumer works on one batch the next one gathers in the socket and
    /// arrives with one `read` (the consumer's own, see ``installRefill(_:)``):
    /// reading each packet the moment it lands cost a wake-up and a `read`
    /// per packet and saved little over libmosquitto. The thread wakes when
    /// the consumer parks for want of messages. The bound keeps keep-alive
    /// going, and the socket drained into the inbox, when the consumer is stuck.
    func waitWhileConsumerBusy(atMostNanoseconds nanoseconds: UInt64) {
        let deadline = Mutex.Deadline(afterNanoseconds: nanoseconds)
        lock.withLock {
            while (consumerBusy || !buffer.isEmpty) && !finished {
                guard lock.wait(until: deadline) else { return }
            }
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
        let refill = lock.withLock { self.refill }
        refill?()
        if let batch = takeAll() { return batch }
        if lock.withLock({ finished }) { return nil }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = lock.withLock {
                    if !buffer.isEmpty || finished || Task.isCancelled { return true }
                    parked = continuation
                    // Nothing left to read by itself: the receive thread watches the socket now.
                    consumerBusy = false
                    lock.signal()
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
        let lingerNanoseconds: UInt64 = Task.isCancelled ? 0 : lock.withLock {
            guard linger.shouldLinger else { return 0 }
            lingers += 1
            return linger.lingerNanoseconds
        }
        if lingerNanoseconds > 0 {
            if lingerBlocksThread {
                sleepThread(nanoseconds: lingerNanoseconds)
            } else {
                try? await Task.sleep(nanoseconds: lingerNanoseconds)
            }
            // What came during the linger is still in the socket.
            refill?()
        }
        return takeAll() ?? (lock.withLock({ finished }) || Task.isCancelled ? nil : MQTTBatch())
    }

    private func takeAll() -> MQTTBatch? {
        lock.withLock {
            guard !buffer.isEmpty else { return nil }
            lastBytes = max(4096, buffer.storage.count)
            lastCount = max(16, buffer.count)
            linger.recordTake(count: buffer.count, at: monotonicNanoseconds())
            var batch = MQTTBatch()
            batch.reserve(bytes: lastBytes, messages: lastCount)
            swap(&batch, &buffer)
            // The receive thread keeps waiting: the consumer reads the socket itself next time.
            consumerBusy = true
            return batch
        }
    }
}
