import NIOConcurrencyHelpers

/// Hands each published value to every listener without ever waiting for one.
///
/// Each listener reads its own `AsyncStream` with a bounded buffer, so a
/// slow client (a phone on a bad network, a stalled tab) costs memory for
/// at most `buffer` values and never holds up the others or the publisher.
/// What happens when a listener's buffer is full is the stream's policy:
/// - ``Overflow/dropOldest`` for streams whose every value is whole (a run
///   snapshot replaces the one before);
/// - ``Overflow/disconnect`` for streams of changes, where a lost change
///   would leave the page wrong: the listener's stream ends, and the page
///   reconnects and starts again from a full snapshot.
final class EventFanOut<Value: Sendable>: Sendable {
    enum Overflow: Sendable {
        case dropOldest
        case disconnect
    }

    private let buffer: Int
    private let overflow: Overflow
    private let listeners = NIOLockedValueBox<(next: Int, byID: [Int: AsyncStream<Value>.Continuation])>((0, [:]))

    init(buffer: Int, overflow: Overflow) {
        self.buffer = buffer
        self.overflow = overflow
    }

    /// A new listener's stream; it ends when the listener stops reading
    /// (its task is cancelled), on ``finishAll()``, or on overflow with
    /// ``Overflow/disconnect``.
    func listen() -> AsyncStream<Value> {
        let (stream, continuation) = AsyncStream.makeStream(of: Value.self, bufferingPolicy: .bufferingNewest(buffer))
        let id = listeners.withLockedValue { state in
            defer { state.next += 1 }
            state.byID[state.next] = continuation
            return state.next
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.listeners.withLockedValue { $0.byID.removeValue(forKey: id) }
        }
        return stream
    }

    var listenerCount: Int { listeners.withLockedValue { $0.byID.count } }

    func publish(_ value: Value) {
        let continuations = listeners.withLockedValue { Array($0.byID.values) }
        for continuation in continuations {
            if case .dropped = continuation.yield(value), overflow == .disconnect {
                continuation.finish()
            }
        }
    }

    /// Ends every listener's stream (shutdown).
    func finishAll() {
        let continuations = listeners.withLockedValue { Array($0.byID.values) }
        for continuation in continuations { continuation.finish() }
    }
}
