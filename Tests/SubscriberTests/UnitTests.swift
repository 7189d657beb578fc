import Fernet
import MQTT
import SensorCatalog
import SensorKit
@testable import Subscriber
import Testing

@Suite("Topic addresses")
struct TopicAddressTests {
    @Test("reading topics parse; anything else does not")
    func parsing() {
        #expect(TopicAddress(topic: Array("houses/12/sensors/345".utf8)[...]) == TopicAddress(houseID: 12, sensorID: 345))
        for bad in ["houses/1/sensors/", "houses/01/sensors/2", "houses/1/sensors/2/x", "house/1/sensors/2",
                    "houses/-1/sensors/2", "houses/1/alarms", "", "houses/1234567890123456789/sensors/1"] {
            #expect(TopicAddress(topic: Array(bad.utf8)[...]) == nil, "\(bad)")
        }
    }

    @Test("the Redis key is DESIGN.md's, with the house as hash tag")
    func latestKey() {
        #expect(TopicAddress(houseID: 7, sensorID: 0).latestKey == "house:{7}:sensor:0:latest")
        #expect(TopicAddress(houseID: 7, sensorID: 1234).topic == "houses/7/sensors/1234")
    }
}

@Suite("Sequence window")
struct SequenceWindowTests {
    @Test("next, late, duplicate, too old, restarted")
    func verdicts() {
        let width = SequenceWindow.width
        var window = SequenceWindow(first: 100, tokenTime: 1000)
        #expect(window.admit(101, tokenTime: 1000) == .next)
        #expect(window.admit(101, tokenTime: 1000) == .duplicate)
        #expect(window.admit(100, tokenTime: 1000) == .duplicate)
        #expect(window.admit(150, tokenTime: 1001) == .next)
        #expect(window.admit(120, tokenTime: 1001) == .outOfOrder)
        #expect(window.admit(120, tokenTime: 1001) == .duplicate)
        // Hundreds late (a broker restart's interleaving) is still judged exactly.
        let far = 150 + width - 1
        #expect(window.admit(far, tokenTime: 1001) == .next)
        #expect(window.admit(150, tokenTime: 1001) == .duplicate)
        #expect(window.admit(151, tokenTime: 1001) == .outOfOrder)
        #expect(window.admit(149, tokenTime: 1001) == .tooOld)
        let next = far + 200
        #expect(window.admit(next, tokenTime: 1002) == .next)
        #expect(window.admit(far, tokenTime: 1002) == .duplicate)
        #expect(window.admit(next - width + 1, tokenTime: 1002) == .outOfOrder)
        #expect(window.admit(next - width, tokenTime: 1002) == .tooOld)
        #expect(window.admit(0, tokenTime: 1003) == .restarted)
        #expect(window.admit(0, tokenTime: 1003) == .duplicate)
        #expect(window.admit(1, tokenTime: 1003) == .next)
    }

    @Test("a shift by a word boundary and across words keeps every bit")
    func multiWordShift() {
        var window = SequenceWindow(first: 0, tokenTime: 1)
        for seq in stride(from: UInt64(2), through: 700, by: 7) { #expect(window.admit(seq, tokenTime: 1) == .next) }
        for seq in stride(from: UInt64(2), through: 700, by: 7) { #expect(window.admit(seq, tokenTime: 1) == .duplicate) }
        #expect(window.admit(0, tokenTime: 1) == .duplicate)
        #expect(window.admit(1, tokenTime: 1) == .outOfOrder)
        #expect(window.admit(759, tokenTime: 1) == .next)  // a shift of exactly 64
        #expect(window.admit(695, tokenTime: 1) == .duplicate)
        #expect(window.admit(696, tokenTime: 1) == .outOfOrder)
    }
}

@Suite("Alarm transitions")
struct AlarmTransitionTests {
    @Test("raised and cleared by comparing active alarms")
    func between() {
        let reading = TestReadings.fireCO(house: 1, sensor: 2, seq: 9, burning: true)
        #expect(Set(reading.alarms) == ["co", "smoke"])
        let raised = AlarmTransition.between([], reading.alarms, reading: reading, seq: 9)
        #expect(raised.map(\.state) == [.raised, .raised])
        let cleared = AlarmTransition.between(["co", "smoke"], ["smoke"], reading: reading, seq: 10)
        #expect(cleared.map(\.alarm) == ["co"] && cleared.map(\.state) == [.cleared])
        #expect(AlarmTransition.between(["co"], ["co"], reading: reading, seq: 11).isEmpty)
    }

    @Test("the JSON announcement reads back, and a torn line does not")
    func json() {
        let transition = AlarmTransition(houseID: 3, sensorID: 4, kind: .fireCO, alarm: "smoke", state: .raised, seq: 77,
                                         occurredAt: Timestamp(nanosecondsSinceEpoch: 1_700_000_000_250_000_000))
        let json = transition.json
        #expect(String(decoding: json, as: UTF8.self)
            == #"{"house_id":3,"sensor_id":4,"kind":"fire_co","alarm":"smoke","state":"raised","seq":77,"occurred_at":"\#(transition.occurredAt.rfc3339)"}"#)
        #expect(AlarmTransition(json: json) == transition)
        #expect(AlarmTransition(json: json.dropLast(5)) == nil)
    }
}

@Suite("Dead-letter samples")
struct DeadLetterSampleTests {
    @Test("a sample never shows a payload that is not a Fernet token, and cleans the topic")
    func noPlaintext() {
        let plaintext = DeadLetterSample(topic: Array("houses/1/sensors/2".utf8)[...], payload: Array(#"{"secret":1}"#.utf8)[...],
                                         reason: .badBase64, at: 0)
        #expect(plaintext.tokenPrefix == nil && plaintext.size == 12)
        let token = DeadLetterSample(topic: Array("houses/1/\u{1b}[2J".utf8)[...], payload: Array("gAAAAABlZXhhbXBsZXRva2Vu".utf8)[...],
                                     reason: .badHMAC, at: 0)
        #expect(token.tokenPrefix == "gAAAAABlZXhh")
        #expect(token.topic == "houses/1/?[2J")
    }

    @Test("statistics keep the newest samples, oldest first")
    func ring() {
        let statistics = SubscriberStatistics(sampleCapacity: 3)
        let samples = (0..<5).map { DeadLetterSample(topic: "t\($0)", reason: .duplicate, size: 1, timeNanoseconds: Int64($0), tokenPrefix: nil) }
        statistics.recordDeadLetters(samples)
        #expect(statistics.deadLetterSamples.map(\.topic) == ["t2", "t3", "t4"])
        #expect(statistics.counters.deadLetters[.duplicate] == 5 && statistics.counters.duplicates == 5)
    }
}

@Suite("HistoryQueue")
struct HistoryQueueTests {
    private func rows(_ count: Int, from first: Int = 0) -> [[String?]] { (first ..< first + count).map { [String($0)] } }

    @Test("rows beyond the limit drop the oldest and are counted; the front stays until removed")
    func limit() {
        let queue = HistoryQueue(flushRows: 2, limit: 5)
        #expect(queue.append(rows(3)) == 0)
        #expect(queue.append(rows(4, from: 3)) == 2)
        #expect(queue.count == 5)
        #expect(queue.front(2) == rows(2, from: 2))
        #expect(queue.count == 5)
        queue.removeFront(2)
        #expect(queue.front(10) == rows(3, from: 4))
    }

    @Test("a full batch wakes the waiting writer; a wake-up that came before the wait is not lost")
    func wakeUps() async {
        let queue = HistoryQueue(flushRows: 3, limit: 100)
        let waiter = Task { await queue.waitForBatch(cancelled: { false }) }
        try? await Task.sleep(nanoseconds: 20_000_000)
        _ = queue.append(rows(3))
        await waiter.value  // returns: the append woke it
        queue.removeFront(3)
        queue.wakeUp()  // nobody waits yet, as when the interval's timer fires first
        await queue.waitForBatch(cancelled: { false })  // returns at once
        #expect(queue.count == 0)
    }
}
