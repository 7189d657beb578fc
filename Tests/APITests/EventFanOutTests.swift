@testable import API
import Testing

/// ``EventFanOut`` without servers: a slow listener never holds up others.
@Suite("Event fan-out")
struct EventFanOutTests {
    static func drain(_ stream: AsyncStream<Int>) async -> [Int] {
        var values: [Int] = []
        for await value in stream { values.append(value) }
        return values
    }

    @Test("a listener of changes that falls behind is disconnected; one that keeps up gets everything")
    func disconnectOnOverflow() async {
        let fanOut = EventFanOut<Int>(buffer: 2, overflow: .disconnect)
        let slow = fanOut.listen()
        var prompt = fanOut.listen().makeAsyncIterator()
        var received: [Int] = []
        for value in 1 ... 3 {
            fanOut.publish(value)
            if let next = await prompt.next() { received.append(next) }
        }
        #expect(received == [1, 2, 3])
        // The slow one got the newest two and then its stream ended (the page reconnects for a full snapshot).
        #expect(await Self.drain(slow) == [2, 3])
        #expect(fanOut.listenerCount == 1)
        fanOut.finishAll()
        #expect(await prompt.next() == nil)
    }

    @Test("a listener of whole snapshots that falls behind loses the oldest and stays connected")
    func dropOldest() async {
        let fanOut = EventFanOut<Int>(buffer: 2, overflow: .dropOldest)
        let slow = fanOut.listen()
        for value in 1 ... 5 { fanOut.publish(value) }
        #expect(fanOut.listenerCount == 1)
        fanOut.finishAll()
        #expect(await Self.drain(slow) == [4, 5])
    }
}
