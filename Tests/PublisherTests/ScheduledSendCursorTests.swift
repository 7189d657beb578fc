import Testing
import Scenario
@testable import Publisher

@Suite("Scheduled send cursor")
struct ScheduledSendCursorTests {
    private func schedule(rate: String, stages: String = "[ { warm_up: 1s }, { constant: 1s } ]") throws -> RateSchedule {
        let scenario = try PublisherFixtures.scenario(estate: "{ houses: 1, sensors: [leak] }", load: "{ rate: \(rate), stages: \(stages), qos: 0 }")
        return RateSchedule(stages: scenario.load.stages, sensorCount: 7)
    }

    @Test("workers' shares together are every send once, each in time order")
    func sharesCoverTheSchedule() throws {
        let schedule = try schedule(rate: "700/s")
        let period = 7
        let shares = [[0, 3, 6], [1, 4], [2, 5]]
        var all: [Int] = []
        for members in shares {
            var cursor = ScheduledSendCursor(schedule: schedule, period: period, members: members, endOffset: .max)
            var previous: ScheduledSendCursor.Send?
            while let send = cursor.next {
                #expect(send.number % period == members[send.member])
                #expect(send.round == send.number / period)
                if let previous {
                    #expect(send.number > previous.number)
                    #expect(send.intendedOffset >= previous.intendedOffset)
                }
                let seconds = try #require(schedule.intendedTime(ofSend: send.number))
                #expect(send.intendedOffset == Int64((seconds * 1e9).rounded()))
                all.append(send.number)
                previous = send
                cursor.advance()
            }
        }
        #expect(all.sorted() == Array(0 ..< schedule.sendCount))
    }

    @Test("nothing due at or after the end is sent")
    func endOffset() throws {
        let schedule = try schedule(rate: "100/s", stages: "[ { constant: 2s } ]")
        var cursor = ScheduledSendCursor(schedule: schedule, period: 7, members: Array(0..<7), endOffset: 500_000_000)
        var count = 0
        while let send = cursor.next {
            #expect(send.intendedOffset < 500_000_000)
            count += 1
            cursor.advance()
        }
        #expect(count == 50)
    }

    @Test("a worker without scheduled sensors has no sends")
    func emptyShare() throws {
        let cursor = ScheduledSendCursor(schedule: try schedule(rate: "10/s"), period: 7, members: [], endOffset: .max)
        #expect(cursor.next == nil)
    }
}
