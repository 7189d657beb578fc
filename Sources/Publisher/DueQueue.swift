/// When each event-driven sensor is next due, ordered by time: a binary
/// min-heap of (due, sensor) with lazy deletion.
///
/// A sensor is rescheduled often (after every report, after every scenario
/// event) and an event may pull it earlier, so rather than finding and moving
/// its old heap entry, a new entry is pushed and `due[sensor]` remembers the
/// one that counts; entries that disagree with it are dropped when they reach
/// the top. Ties go to the lower sensor index, so the order is deterministic.
struct DueQueue: Sendable {
    private struct Entry: Sendable {
        var due: Int64
        var sensor: Int32

        func precedes(_ other: Entry) -> Bool {
            due != other.due ? due < other.due : sensor < other.sensor
        }
    }

    private var heap: [Entry] = []
    /// The due time that counts for each sensor; `Int64.max` means not scheduled.
    private var due: [Int64]

    init(sensorCount: Int) {
        due = Array(repeating: .max, count: sensorCount)
    }

    /// Schedules `sensor` at `time`, replacing any earlier schedule for it.
    mutating func schedule(_ sensor: Int, at time: Int64) {
        due[sensor] = time
        heap.append(Entry(due: time, sensor: Int32(sensor)))
        siftUp(heap.count - 1)
    }

    /// The earliest due time, if any sensor is scheduled.
    mutating func earliest() -> Int64? {
        dropStale()
        return heap.first?.due
    }

    /// Removes and returns the earliest sensor if it is due at or before
    /// `time`, with its due time; the sensor is then unscheduled.
    mutating func popDue(atOrBefore time: Int64) -> (sensor: Int, due: Int64)? {
        dropStale()
        guard let top = heap.first, top.due <= time else { return nil }
        removeTop()
        due[Int(top.sensor)] = .max
        return (Int(top.sensor), top.due)
    }

    /// How many heap entries are live (for tests: stale ones are not counted).
    var scheduledCount: Int { due.lazy.filter { $0 != .max }.count }

    private mutating func dropStale() {
        while let top = heap.first, due[Int(top.sensor)] != top.due {
            removeTop()
        }
    }

    private mutating func removeTop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(0)
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            let right = left + 1
            let smaller = right < heap.count && heap[right].precedes(heap[left]) ? right : left
            guard heap[smaller].precedes(heap[parent]) else { return }
            heap.swapAt(smaller, parent)
            parent = smaller
        }
    }
}
