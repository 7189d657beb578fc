import Postgres
import Schema

extension EstateLayout {
    /// Writes the estate into PostgreSQL with the ids of this layout, after
    /// bringing the schema up to date: owners as users, houses with their
    /// owners, sensors with their houses and kinds. The subscriber and the API
    /// look sensors up there, so the publisher does this before it sends.
    ///
    /// Seeding is idempotent: a second publisher of the same scenario, or a
    /// restart, changes nothing.
    ///
    /// - Throws: ``PublisherError/Code/seedFailed`` if PostgreSQL cannot be
    ///   reached, or if the database already holds these ids with other owners,
    ///   houses or kinds (another scenario's estate): readings encrypted for
    ///   this layout's owners would not decrypt against those rows.
    @discardableResult
    public func seed(into pool: PostgresPool) async throws(PublisherError) -> EstateSeedReport {
        var sensors: [(id: Int, houseID: Int, kind: String, name: String)] = []
        sensors.reserveCapacity(sensorCount)
        forEachSensor { sensors.append(($0.id, $0.houseID, $0.kind.rawValue, $0.name)) }
        let houses = houses.map { (id: $0.id, ownerID: Optional($0.ownerID)) }
        let report: EstateSeedReport
        do {
            try await Schema.migrate(pool)
            report = try await Schema.seedEstate(pool, houses: houses, sensors: sensors, owners: Array(1 ... max(1, ownerCount)))
        } catch {
            throw PublisherError(.seedFailed, "could not write the estate to PostgreSQL: \(error)")
        }
        guard report.matchesRequest else {
            var conflicts: [String] = []
            if let house = report.housesWithOtherOwner.first {
                conflicts.append("\(report.housesWithOtherOwner.count) houses have another owner (first: house \(house))")
            }
            if let sensor = report.sensorsThatDiffer.first {
                conflicts.append("\(report.sensorsThatDiffer.count) sensors are in another house or of another kind (first: sensor \(sensor))")
            }
            throw PublisherError(.seedFailed, "the database already holds a different estate: \(conflicts.joined(separator: "; ")); use a fresh database (or the scenario that seeded it)")
        }
        return report
    }
}
