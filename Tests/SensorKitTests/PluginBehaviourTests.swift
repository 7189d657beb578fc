import Testing
import SensorKit
import FireCOSensor
import LeakSensor
import DoorWindowSensor
import ThermostatSensor
import MotionSensor
import GarageSensor

/// Each plugin behaves like its device: the specific dynamics the conformance
/// test cannot know about.
@Suite("Plugin behaviour")
struct PluginBehaviourTests {
    @Test func fireEscalatesOverSecondsAndAlarmsWithHysteresis() throws {
        var drive = PluginDrive(AnySensorPlugin(FireCOSensor()))
        let calm = drive.run(for: 600, every: 10)
        #expect(calm.allSatisfy { $0.alarms.isEmpty && $0[field: "smart_level"] == .text("Low") })
        #expect(calm.allSatisfy { ($0[field: "co_detection"]?.number ?? 99) < 10 })

        try drive.apply("fire_start")
        let fire = drive.run(for: 120, every: 1)
        let levels = fire.compactMap { $0[field: "smart_level"]?.text }
        let firstModerate = try #require(levels.firstIndex(of: "Moderate"))
        let firstHigh = try #require(levels.firstIndex(of: "High"))
        #expect(firstModerate > 2 && firstModerate < firstHigh, "smoke goes Low → Moderate → High over seconds")
        let coAlarm = try #require(fire.firstIndex { $0.alarms.contains("co") })
        #expect(coAlarm >= 5 && coAlarm <= 60, "CO alarm after \(coAlarm) s")
        #expect(fire[coAlarm][field: "co_detection"]!.number! >= 70)
        let temperatures = fire.compactMap { $0[field: "temperature"]?.number }
        #expect(temperatures.last! > temperatures.first! + 20, "heat rises")
        #expect(fire.suffix(10).allSatisfy { $0.alarms == ["co", "smoke"] })

        try drive.apply("fire_stop")
        let after = drive.run(for: 1800, every: 5)
        // Hysteresis: still alarmed while CO is between the clear (30) and raise (70) levels.
        #expect(after.contains { $0.alarms.contains("co") && $0[field: "co_detection"]!.number! < 70 })
        let cleared = try #require(after.firstIndex { !$0.alarms.contains("co") })
        #expect(after[cleared][field: "co_detection"]!.number! < 30)
        #expect(after[cleared...].allSatisfy { !$0.alarms.contains("co") })
        #expect(after.last!.alarms.isEmpty && after.last![field: "smart_level"] == .text("Low"))
    }

    @Test func leakWetsThenFloodsAndLatchesUntilReset() throws {
        var drive = PluginDrive(AnySensorPlugin(LeakSensor()))
        #expect(drive.run(for: 3600, every: 60).allSatisfy { $0[field: "leakage"] == .text("No Leak") && $0.alarms.isEmpty })
        try drive.apply("leak_start")
        let leaking = drive.run(for: 600, every: 5)
        let moisture = leaking.compactMap { $0[field: "moisture_detection_level"]?.text }
        let wet = try #require(moisture.firstIndex(of: "Wet"))
        let flood = try #require(moisture.firstIndex(of: "Flood"))
        #expect(wet < flood)
        #expect(leaking[flood][field: "leakage"] == .text("Major Leak") && leaking[flood].alarms == ["leak"])
        // The leak stops being fed only on reset; until then the alarm holds however long.
        #expect(drive.run(for: 6 * 3600, every: 600).allSatisfy { $0.alarms == ["leak"] && $0[field: "leakage"] == .text("Major Leak") })
        try drive.apply("leak_reset")
        let reset = drive.run(for: 600, every: 60)
        #expect(reset.allSatisfy { $0.alarms.isEmpty && $0[field: "leakage"] == .text("No Leak") && $0[field: "moisture_detection_level"] == .text("Dry") })
    }

    @Test func doorReportsDebouncedChangesAndHeartbeats() throws {
        var drive = PluginDrive(AnySensorPlugin(DoorWindowSensor()), start: Timestamp(rfc3339: "2025-03-04T02:00:00Z")!)
        let first = drive.run(for: 1, every: 1)
        #expect(first.count == 1, "a device announces itself when it joins")
        try drive.apply("open")
        #expect(drive.run(for: 0.3, every: 0.1).isEmpty, "nothing before the debounce time")
        let opened = drive.run(for: 1, every: 0.1)
        #expect(opened.count == 1 && opened[0][field: "status"] == .text("Open"))
        // Opened and shut again within the debounce time: no report at all.
        try drive.apply("close")
        drive.run(for: 0.2, every: 0.1)
        try drive.apply("open")
        #expect(drive.run(for: 5, every: 0.1).isEmpty)
        // Quiet (scripted events hold residents off): only heartbeats, every 15 minutes.
        let quiet = drive.run(for: 1800, every: 1)
        #expect(quiet.count == 2 && quiet.allSatisfy { $0[field: "status"] == .text("Open") })
        #expect(quiet[1].timestamp.seconds(since: quiet[0].timestamp) == 900)
        #expect(quiet.map(\.seq) == [2, 3])
    }

    @Test func doorSchedulerCanSleepUntilDue() {
        let group = AnySensorPlugin(DoorWindowSensor()).makeGroup()
        group.addSensor(seed: 3, stream: 0, at: PluginDrive.start)
        var now = PluginDrive.start
        var readings: [Reading] = []
        // Waking only at nextDue, a day's activity comes through with few wake-ups.
        var wakeUps = 0
        while now < PluginDrive.start.adding(seconds: 86_400) {
            now = max(group.nextDue(0), now.adding(seconds: 0.001))
            wakeUps += 1
            if let reading = group.nextReading(0, at: now, identity: PluginDrive.identity) { readings.append(reading) }
        }
        let changes = zip(readings, readings.dropFirst()).filter { $0[field: "status"] != $1[field: "status"] }.count
        #expect(changes > 10, "residents open and close it during the day")
        #expect(wakeUps < readings.count * 2 + 10)
    }

    @Test func thermostatMovesGraduallyTowardsANewSetpoint() throws {
        var drive = PluginDrive(AnySensorPlugin(ThermostatSensor()), start: Timestamp(rfc3339: "2025-01-15T08:00:00Z")!)
        drive.run(for: 3600, every: 60)
        let before = drive.latest("temperature")!.number!
        let setpoint = drive.latest("setpoint")!.number!
        #expect(abs(before - setpoint) < 1.2, "holds its setpoint")
        try drive.apply("setpoint", ["value": setpoint + 4])
        let climb = drive.run(for: 3 * 3600, every: 60).compactMap { $0[field: "temperature"]?.number }
        #expect(climb[2] < before + 1.5, "does not jump")
        #expect(climb[2] > before, "starts heating")
        let reached = try #require(climb.firstIndex { $0 >= setpoint + 3.5 })
        #expect(reached > 5 && reached < 120, "reaches the new setpoint in \(reached) minutes")
        #expect(climb.suffix(60).allSatisfy { abs($0 - (setpoint + 4)) < 1.2 })
    }

    @Test func thermostatFollowsADailyCycle() {
        var drive = PluginDrive(AnySensorPlugin(ThermostatSensor()), start: Timestamp(rfc3339: "2025-01-15T00:00:00Z")!)
        let day = drive.run(for: 86_400, every: 600).compactMap { $0[field: "humidity"]?.number }
        #expect(day.max()! - day.min()! > 2, "humidity moves with the day")
    }

    @Test func motionComesInBurstsWhileOccupied() throws {
        // 03:00 UTC: nobody about. An occupancy burst brings movement in bursts.
        var drive = PluginDrive(AnySensorPlugin(MotionSensor()), start: Timestamp(rfc3339: "2025-03-04T03:00:00Z")!)
        try drive.apply("occupancy_burst", ["duration": 1200])
        let occupied = drive.run(for: 1200, every: 1).map { $0[field: "motion"] == .text("Detected") }
        #expect(occupied.first == true)
        let detected = occupied.filter { $0 }.count
        #expect(detected > 60 && detected < 1100, "moving part of the time: \(detected) s of 1200")
        let bursts = zip(occupied, occupied.dropFirst()).filter { !$0 && $1 }.count
        #expect(bursts >= 5, "several separate bursts, not one long one")
        let vibrationWhileMoving = drive.readings.filter { $0[field: "motion"] == .text("Detected") }.compactMap { $0[field: "vibration"]?.number }
        let vibrationStill = drive.readings.filter { $0[field: "motion"] != .text("Detected") }.compactMap { $0[field: "vibration"]?.number }
        let movingMean = vibrationWhileMoving.reduce(0, +) / Double(vibrationWhileMoving.count)
        let stillMean = vibrationStill.reduce(0, +) / Double(vibrationStill.count)
        #expect(movingMean > 2 * stillMean, "footsteps show as vibration")
    }

    @Test func motionFollowsOccupancyPatternsAndDaylight() {
        var drive = PluginDrive(AnySensorPlugin(MotionSensor()), seed: 11, start: Timestamp(rfc3339: "2025-03-04T00:00:00Z")!)
        let week = drive.run(for: 7 * 86_400, every: 30)
        func share(_ hours: Range<Double>) -> Double {
            let slice = week.filter { hours.contains(Physics.hour($0.timestamp)) }
            return Double(slice.filter { $0[field: "motion"] == .text("Detected") }.count) / Double(slice.count)
        }
        #expect(share(17..<23) > 3 * share(1..<5), "evenings are busier than nights")
        let noon = week.filter { (11..<13).contains(Physics.hour($0.timestamp)) }.compactMap { $0[field: "light"]?.number }
        let night = week.filter { (1..<4).contains(Physics.hour($0.timestamp)) }.compactMap { $0[field: "uv"]?.number }
        #expect(noon.allSatisfy { $0 > 50 } && night.allSatisfy { $0 == 0 })
    }

    @Test func garageTravelsTakesTimeAndAlarmsWhenLeftOpen() throws {
        var drive = PluginDrive(AnySensorPlugin(GarageSensor()))
        drive.run(for: 10, every: 10)
        #expect(drive.latest("status") == .text("Door Close"))
        try drive.apply("garage_open")
        let travel = drive.run(for: 30, every: 1).compactMap { $0[field: "position"]?.number }
        let full = try #require(travel.firstIndex(of: 100))
        #expect(full >= 11 && full <= 19, "travel takes \(full + 1) s")
        #expect(travel[3] > 0 && travel[3] < 50)
        let open = drive.run(for: 700, every: 10)
        #expect(open.allSatisfy { $0[field: "status"] == .text("Door Open") })
        let alarmAt = try #require(open.firstIndex { $0.alarms.contains("open_too_long") })
        #expect((560...600).contains(Double(alarmAt * 10)), "open_too_long after ten minutes")
        try drive.apply("garage_close")
        drive.run(for: 30, every: 1)
        #expect(drive.latest("status") == .text("Door Close") && drive.readings.last!.alarms.isEmpty)
    }

    @Test func obstructionLeavesTheDoorPartWay() throws {
        var drive = PluginDrive(AnySensorPlugin(GarageSensor()))
        drive.run(for: 10, every: 10)
        try drive.apply("garage_open")
        drive.run(for: 30, every: 1)
        // Something in the beam while the door is up: the next close stops half-way.
        try drive.apply("obstruction")
        try drive.apply("garage_close")
        let closing = drive.run(for: 60, every: 1)
        #expect(closing.last![field: "position"] == .number(50))
        #expect(closing.last![field: "status"] == .text("Door Open"))
        #expect(closing.last!.alarms.contains("obstruction"))
        // Obstructed while moving: it stops where it is.
        try drive.apply("garage_close")
        drive.run(for: 3, every: 1)
        try drive.apply("obstruction")
        let stuck = drive.run(for: 60, every: 1).compactMap { $0[field: "position"]?.number }
        #expect(Set(stuck).count == 1 && stuck[0] > 0 && stuck[0] < 50)
        // A stuck door waits for a person; left long enough it is also open too long.
        #expect(drive.run(for: 900, every: 60).last!.alarms == ["open_too_long", "obstruction"])
    }

    @Test("state fits the memory budget", arguments: [
        MemoryLayout<FireCOSensor.State>.size, MemoryLayout<LeakSensor.State>.size, MemoryLayout<DoorWindowSensor.State>.size,
        MemoryLayout<ThermostatSensor.State>.size, MemoryLayout<MotionSensor.State>.size, MemoryLayout<GarageSensor.State>.size,
    ])
    func stateIsSmall(_ size: Int) {
        #expect(size <= 96, "a million sensors at \(size) bytes each")
    }
}
