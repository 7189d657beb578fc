/// The messages of all of a client's subscriptions, as an AsyncSequence.
///
/// Each `next()` is served from a local batch, so the consumer suspends only
/// when the batch runs out, not once per message. Use `batches()` to handle a
/// whole batch at a time (the subscriber does, to pipeline its Redis writes).
/// A client has one message stream; iterate it from one task.
public struct MQTTMessageStream: AsyncSequence, Sendable {
    public typealias Element = MQTTMessage
    let inbox: MQTTInbox

    public struct AsyncIterator: AsyncIteratorProtocol {
        let inbox: MQTTInbox
        var batch = MQTTBatch()
        var index = 0

        public mutating func next() async -> MQTTMessage? {
            while index == batch.count {
                guard let next = await inbox.nextBatch() else { return nil }
                if Task.isCancelled && next.isEmpty { return nil }
                batch = next
                index = 0
            }
            defer { index += 1 }
            return batch[index]
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(inbox: inbox) }

    /// The same messages, a batch at a time.
    public func batches() -> MQTTBatchStream { MQTTBatchStream(inbox: inbox) }
}

/// The messages of all subscriptions, one non-empty batch at a time.
public struct MQTTBatchStream: AsyncSequence, Sendable {
    public typealias Element = MQTTBatch
    let inbox: MQTTInbox

    public struct AsyncIterator: AsyncIteratorProtocol {
        let inbox: MQTTInbox
        public mutating func next() async -> MQTTBatch? {
            while true {
                guard let batch = await inbox.nextBatch() else { return nil }
                if !batch.isEmpty { return batch }
                if Task.isCancelled { return nil }
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(inbox: inbox) }
}
