import Foundation
import Postgres

/// COPY throughput of hearth's `PostgresConnection.copyIn` against
/// `psql -c "\copy … from 'file'"` loading the same rows into an identical
/// table on the same server, in the same run.
///
/// psql is the reference because it is libpq's own COPY path with no Swift in
/// it: the ratio shows what the Swift side (escaping, chunking, the actor hop
/// to the connection's thread) costs. Each side runs `rounds` times and keeps
/// its fastest run, since noise on a shared machine only ever adds time. psql's
/// time includes starting the process and reading the file, as it would for
/// anyone who uses it; hearth's includes encoding the rows into COPY text.
func benchmarkPostgresCopy(url: String, rows: Int) async throws -> BenchmarkFigure {
    precondition(rows > 0, "the COPY benchmark needs at least one row")
    let rounds = 5
    let columns = ["house_id", "sensor_id", "kind", "seq", "ts", "payload"]
    let hearthTable = "hearth_bench_copy_hearth"
    let psqlTable = "hearth_bench_copy_psql"
    let psql = try ExternalProgram.locate("psql", package: "postgresql-client")
    let readings = benchmarkReadingRows(count: rows)
    let file = FileManager.default.temporaryDirectory
        .appendingPathComponent("hearth-bench-copy-\(ProcessInfo.processInfo.processIdentifier).tsv")

    let connection = try await PostgresConnection.connect(url: url)
    do {
        for table in [hearthTable, psqlTable] {
            try await connection.executeScript(unsafeSQL: """
                DROP TABLE IF EXISTS \(table);
                CREATE TABLE \(table) (
                    house_id int NOT NULL, sensor_id int NOT NULL, kind text NOT NULL,
                    seq bigint NOT NULL, ts timestamptz NOT NULL, payload text NOT NULL
                )
                """)
        }
        // The rows hold no tab, newline or backslash (see benchmarkReadingRows),
        // so joining them is already valid COPY text.
        let text = readings.map { $0.map { $0 ?? "\\N" }.joined(separator: "\t") }.joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: file)

        let clock = ContinuousClock()
        func timeHearth() async throws -> Duration {
            try await clock.measure {
                let copied = try await connection.copyIn(table: hearthTable, columns: columns, rows: readings)
                guard copied == rows else { throw BenchmarkError("hearth's COPY stored \(copied) of \(rows) rows") }
            }
        }
        func timePsql() async throws -> Duration {
            try await clock.measure {
                let run = try await ExternalProgram.run(psql, [
                    "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url,
                    "-c", "\\copy \(psqlTable) (\(columns.joined(separator: ", "))) from '\(file.path)'",
                ])
                guard run.status == 0 else { throw BenchmarkError("psql \\copy failed (status \(run.status)): \(run.output)") }
            }
        }
        var hearthBest = Duration.seconds(Int64.max)
        var psqlBest = Duration.seconds(Int64.max)
        for round in 0..<rounds {
            try await connection.executeScript(unsafeSQL: "TRUNCATE \(hearthTable), \(psqlTable)")
            // Alternate who goes first, so neither side always meets a server
            // that is still writing out the other's rows.
            if round % 2 == 0 {
                hearthBest = min(hearthBest, try await timeHearth())
                psqlBest = min(psqlBest, try await timePsql())
            } else {
                psqlBest = min(psqlBest, try await timePsql())
                hearthBest = min(hearthBest, try await timeHearth())
            }
        }
        let psqlRows = try await connection.query("SELECT count(*) FROM \(identifier: psqlTable)")
            .first?.decode(Int.self, column: 0) ?? 0
        guard psqlRows == rows else { throw BenchmarkError("psql's \\copy stored \(psqlRows) of \(rows) rows") }

        try? await connection.executeScript(unsafeSQL: "DROP TABLE \(hearthTable), \(psqlTable)")
        await connection.close()
        try? FileManager.default.removeItem(at: file)
        return BenchmarkFigure(
            name: "PostgreSQL COPY of \(rows) readings",
            unit: "rows/s",
            hearth: Double(rows) / hearthBest.inSeconds,
            reference: Double(rows) / psqlBest.inSeconds,
            referenceName: "psql \\copy",
            target: 0.8
        )
    } catch {
        try? await connection.executeScript(unsafeSQL: "DROP TABLE IF EXISTS \(hearthTable), \(psqlTable)")
        await connection.close()
        try? FileManager.default.removeItem(at: file)
        throw error
    }
}

/// Readings-shaped rows: house, sensor, kind, per-sensor sequence, a
/// timestamp, and a 200-byte payload of base64url characters like the
/// Fernet token a stored reading carries. Deterministic, so every run copies
/// the same bytes.
func benchmarkReadingRows(count: Int) -> [[String?]] {
    let kinds = ["fire_co", "leak", "door_window", "thermostat", "motion", "garage"]
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    return (0..<count).map { index in
        var payload = ""
        payload.reserveCapacity(200)
        for _ in 0..<200 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            payload.append(alphabet[Int(state >> 58)])
        }
        let millis = index * 5
        let seconds = millis / 1000 % 86_400
        let ts = String(
            format: "2024-05-01 %02ld:%02ld:%02ld.%03ld+00",
            seconds / 3600, seconds / 60 % 60, seconds % 60, millis % 1000
        )
        let sensor = index % 1000
        return [String(sensor / 10), String(sensor), kinds[sensor % kinds.count], String(index / 1000), ts, payload]
    }
}

extension Duration {
    fileprivate var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
