import Testing
@testable import MQTT

/// The reconnect schedule of hearth's own network threads, and its
/// translation into libmosquitto's whole seconds.
@Suite("Reconnect backoff")
struct ReconnectBackoffTests {
    @Test("the default doubles from 100 ms to a 1 s cap")
    func defaultSchedule() {
        var backoff = ReconnectBackoff(MQTTConfiguration(clientID: "backoff").reconnectDelay)
        var delays: [Duration] = []
        for _ in 0 ..< 6 {
            delays.append(backoff.delay)
            backoff.wait { true }  // stopping: no sleep, only the schedule moves on
        }
        #expect(delays == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1)])
    }

    @Test("a connection that lasted the cap starts the schedule over; one dropped at once does not")
    func connectionsThatLast() {
        var backoff = ReconnectBackoff((initial: .milliseconds(100), maximum: .seconds(1)))
        for _ in 0 ..< 3 { backoff.wait { true } }
        #expect(backoff.delay == .milliseconds(800))
        // Dropped 10 ms after CONNACK (a client id taken over): it waits 800 ms, then 1 s.
        backoff.connected(at: 5_000_000_000)
        backoff.wait(now: 5_010_000_000) { true }
        #expect(backoff.delay == .seconds(1))
        // Dropped after a minute: it waits 100 ms again.
        backoff.connected(at: 10_000_000_000)
        backoff.wait(now: 70_000_000_000) { true }
        #expect(backoff.delay == .milliseconds(200), "it waited the first delay, and doubled it for the next")
    }

    @Test("a cap below the first delay, or a zero delay, cannot make it spin")
    func degenerateDelays() {
        var capped = ReconnectBackoff((initial: .seconds(2), maximum: .milliseconds(10)))
        capped.wait { true }
        #expect(capped.delay == .seconds(2))
        #expect(ReconnectBackoff((initial: .zero, maximum: .zero)).delay == .milliseconds(1))
    }

    @Test("a wait is cut short when the thread is asked to stop")
    func stopEndsTheWait() {
        var backoff = ReconnectBackoff((initial: .seconds(30), maximum: .seconds(30)))
        var asked = 0
        backoff.wait { asked += 1; return asked > 1 }
        #expect(asked == 2, "it looked again after one 50 ms slice, not after 30 s")
    }

    @Test("libmosquitto's thread gets whole seconds, rounded up, at least 1")
    func wholeSeconds() {
        #expect(MQTTClient.wholeSecondsRoundedUp(.milliseconds(100)) == 1)
        #expect(MQTTClient.wholeSecondsRoundedUp(.seconds(1)) == 1)
        #expect(MQTTClient.wholeSecondsRoundedUp(.milliseconds(1_500)) == 2)
        #expect(MQTTClient.wholeSecondsRoundedUp(.zero) == 1)
    }
}
