@testable import Harness
import Testing

@Suite("LatestKeyLedger")
struct LatestKeyLedgerTests {
    @Test("records, grows for new ids, and samples only stored sensors")
    func recordAndSample() {
        let origin = ContinuousClock.now
        let ledger = LatestKeyLedger(expectedSensors: 4, origin: origin)
        ledger.record(sensor: 3, house: 1, at: origin + .seconds(1))
        ledger.record(sensor: 10, house: 2, at: origin + .seconds(2))
        ledger.record(sensor: 3, house: 1, at: origin + .seconds(5))
        #expect(ledger.count == 2)
        #expect(ledger.lastStored(sensor: 3)?.storedAt == origin + .seconds(5))
        #expect(ledger.lastStored(sensor: 10)?.key == "house:{2}:sensor:10:latest")
        #expect(ledger.lastStored(sensor: 4) == nil)
        var random = SystemRandomNumberGenerator()
        // Repeated: with sparse ids the draws alone missed a sensor about one time in eight.
        for _ in 0 ..< 200 {
            let sample = ledger.randomEntries(5, using: &random)
            #expect(Set(sample.map(\.sensor)) == [3, 10])
        }
    }
}
