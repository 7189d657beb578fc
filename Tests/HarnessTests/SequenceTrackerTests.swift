import Testing
@testable import Harness

/// Counting by `seq` on the harness's side: new, repeated, late.
@Suite("SequenceTracker")
struct SequenceTrackerTests {
    @Test("in-order readings are new; a repeat of the latest or of an earlier one is a duplicate")
    func inOrderAndRepeats() {
        var tracker = SequenceTracker(sensors: 3)
        #expect((0 ..< 5).map { tracker.note(sensor: 1, seq: UInt64($0)) } == Array(repeating: .new, count: 5))
        #expect(tracker.note(sensor: 1, seq: 4) == .duplicate)
        #expect(tracker.note(sensor: 1, seq: 2) == .duplicate)
        // Sensors are independent.
        #expect(tracker.note(sensor: 2, seq: 4) == .new)
    }

    @Test("a reading behind a later one is out of order the first time and a duplicate after")
    func lateReadings() {
        var tracker = SequenceTracker(sensors: 1)
        #expect(tracker.note(sensor: 1, seq: 0) == .new)
        #expect(tracker.note(sensor: 1, seq: 3) == .new)
        #expect(tracker.note(sensor: 1, seq: 1) == .outOfOrder)
        #expect(tracker.note(sensor: 1, seq: 2) == .outOfOrder)
        #expect(tracker.note(sensor: 1, seq: 1) == .duplicate)
        #expect(tracker.note(sensor: 1, seq: 0) == .duplicate)
    }

    @Test("the 64-reading window slides: within it repeats are caught, beyond it a late reading is never called a duplicate")
    func windowEdges() {
        var tracker = SequenceTracker(sensors: 1)
        #expect(tracker.note(sensor: 1, seq: 100) == .new)
        #expect(tracker.note(sensor: 1, seq: 164) == .new)  // 100 is now exactly 64 behind
        #expect(tracker.note(sensor: 1, seq: 100) == .duplicate)
        #expect(tracker.note(sensor: 1, seq: 99) == .outOfOrder)  // 65 behind: beyond the window
        #expect(tracker.note(sensor: 1, seq: 99) == .outOfOrder)
        #expect(tracker.note(sensor: 1, seq: 400) == .new)  // a jump clears the window
        #expect(tracker.note(sensor: 1, seq: 399) == .outOfOrder)
        #expect(tracker.note(sensor: 1, seq: 399) == .duplicate)
    }

    @Test("sensor ids beyond the estate grow the table instead of crashing")
    func unknownSensor() {
        var tracker = SequenceTracker(sensors: 1)
        #expect(tracker.note(sensor: 50, seq: 0) == .new)
        #expect(tracker.note(sensor: 50, seq: 0) == .duplicate)
    }
}
