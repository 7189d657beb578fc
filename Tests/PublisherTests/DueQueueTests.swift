import Testing
@testable import Publisher

@Suite("Due queue of event-driven sensors")
struct DueQueueTests {
    @Test("sensors come out in due order, ties by index, only once due")
    func order() {
        var queue = DueQueue(sensorCount: 5)
        for (sensor, due) in [(3, 30), (1, 10), (4, 10), (0, 50), (2, 20)] { queue.schedule(sensor, at: Int64(due)) }
        #expect(queue.earliest() == 10)
        #expect(queue.popDue(atOrBefore: 9) == nil)
        var popped: [Int] = []
        while let next = queue.popDue(atOrBefore: 30) { popped.append(next.sensor) }
        #expect(popped == [1, 4, 2, 3])
        #expect(queue.earliest() == 50)
        #expect(queue.scheduledCount == 1)
    }

    @Test("rescheduling replaces the earlier entry, earlier or later")
    func reschedule() {
        var queue = DueQueue(sensorCount: 3)
        queue.schedule(0, at: 100)
        queue.schedule(1, at: 200)
        queue.schedule(0, at: 300)
        queue.schedule(1, at: 50)
        #expect(queue.scheduledCount == 2)
        #expect(queue.popDue(atOrBefore: 1_000)?.sensor == 1)
        #expect(queue.popDue(atOrBefore: 1_000).map { [$0.sensor, Int($0.due)] } == [0, 300])
        #expect(queue.popDue(atOrBefore: 1_000) == nil)
        #expect(queue.earliest() == nil)
    }

    @Test("a sensor scheduled twice at one time comes out once")
    func duplicates() {
        var queue = DueQueue(sensorCount: 1)
        queue.schedule(0, at: 7)
        queue.schedule(0, at: 7)
        #expect(queue.popDue(atOrBefore: 7)?.sensor == 0)
        #expect(queue.popDue(atOrBefore: 7) == nil)
    }
}
