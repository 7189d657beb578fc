@testable import API
import Foundation
import Hummingbird
import Testing
import Reports

extension APITests {
    /// The dashboard's files, its stream tickets, the run figures, and the
    /// house watch that feeds the streams, against real servers.
    @Suite("Live dashboard")
    struct LiveDashboardTests {
        @Test("the dashboard's pages come from the binary with a strict content policy; / leads to them")
        func files() async throws {
            try await TestAPI.run(seed: false) { api throws in
                let root = try await api.send(.get, "/")
                #expect(root.status == .found)
                #expect(root.headers[.location] == "/dashboard/")
                let index = try await api.send(.get, "/dashboard/")
                #expect(index.status == .ok)
                #expect(index.headers[.contentType] == "text/html; charset=utf-8")
                #expect(index.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'self'") == true)
                #expect(index.text.contains(#"<script src="session.js" defer></script>"#))
                for (name, type) in DashboardAssets.files.map({ ($0.key, $0.value.contentType) }) {
                    let reply = try await api.send(.get, "/dashboard/\(name)")
                    #expect(reply.status == .ok, "\(name)")
                    #expect(reply.headers[.contentType] == type, "\(name)")
                    #expect(reply.body == DashboardAssets.files[name]?.bytes, "\(name)")
                }
                let missing = try await api.send(.get, "/dashboard/../openapi.json")
                #expect(missing.status == .notFound)
                #expect(try await api.send(.get, "/dashboard/nothing.js").errorCode == "not_found")
            }
        }

        @Test("event tickets need credentials, open one stream once, and the stream still checks the house")
        func tickets() async throws {
            try await TestAPI.run { api throws in
                #expect(try await api.send(.post, "/events/ticket").status == .unauthorized)
                #expect(try await api.send(.get, "/houses/1/events").status == .unauthorized)
                #expect(try await api.send(.get, "/houses/1/events?ticket=0123456789abcdef").status == .unauthorized)
                // The JWT itself is no ticket.
                let token = try await api.token(for: TestAPI.Seeded.bob)
                #expect(try await api.send(.get, "/houses/1/events?ticket=\(token)").status == .unauthorized)

                // Carol's link to house 5 has ended: her ticket is good, the house is not hers.
                let issued = try await api.send(.post, "/events/ticket", as: .user(TestAPI.Seeded.carol))
                #expect(issued.status == .ok)
                #expect(issued.json["expires_in"].int == 30)
                let ticket = try #require(issued.json["ticket"].string)
                #expect(ticket.count == 32)
                #expect(try await api.send(.get, "/houses/5/events?ticket=\(ticket)").status == .notFound)
                #expect(try await api.send(.get, "/houses/5/events?ticket=\(ticket)").status == .unauthorized, "a ticket is spent once used")
            }
        }

        @Test("a 401 to the dashboard's own requests offers only the Bearer challenge, so the browser shows no login dialog")
        func noBasicChallengeForPages() async throws {
            try await TestAPI.run(seed: false) { api throws in
                let plain = try await api.send(.get, "/houses")
                #expect(plain.headers[values: .wwwAuthenticate].contains { $0.hasPrefix("Basic") })
                let page = try await api.send(.get, "/houses", headers: [ErrorMiddleware<APIRequestContext>.requestedWith: "hearth-dashboard"])
                #expect(page.status == .unauthorized)
                #expect(page.headers[values: .wwwAuthenticate] == [#"Bearer realm="hearth""#])
            }
        }

        @Test("/run says no run is in progress without a feed, and shows the latest snapshot with one")
        func runStatus() async throws {
            try await TestAPI.run { api throws in
                #expect(try await api.send(.get, "/run").status == .unauthorized)
                let idle = try await api.send(.get, "/run", as: .user(TestAPI.Seeded.bob))
                #expect(idle.json["in_progress"].bool == false)
                #expect(idle.json["snapshot"].isNull)
            }
            let feed = RunProgressFeed()
            try await TestAPI.run(runProgress: feed) { api throws in
                #expect(try await api.send(.get, "/run", as: .user(TestAPI.Seeded.bob)).json["snapshot"].isNull)
                var snapshot = RunProgress(
                    scenario: "peak", stage: "ramp", elapsedSeconds: 12, remainingSeconds: 48, sentPerSecond: 990, targetPerSecond: 1000,
                    p99Milliseconds: nil, redisUsedBytes: 3 << 20, redisMaxBytes: 256 << 20, evictedKeys: 0, outstandingReadings: 0, finished: false
                )
                feed.publish(snapshot)
                let running = try await api.send(.get, "/run", as: .user(TestAPI.Seeded.bob))
                #expect(running.json["in_progress"].bool == true)
                #expect(running.json["snapshot"]["stage"].string == "ramp")
                #expect(running.json["snapshot"]["target_per_second"].int == 1000)
                #expect(running.json["snapshot"]["p99_milliseconds"].isNull)
                #expect(running.json["snapshot"]["redis_max_bytes"].int == 256 << 20)
                snapshot.finished = true
                snapshot.p99Milliseconds = 4.5
                feed.publish(snapshot)
                let done = try await api.send(.get, "/run", as: .user(TestAPI.Seeded.bob))
                #expect(done.json["in_progress"].bool == false)
                #expect(done.json["snapshot"]["p99_milliseconds"].double == 4.5)
            }
        }

        @Test("a house watch sends every tile first, then only the tiles that changed, and the alarms when they change")
        func houseWatch() async throws {
            try await TestAPI.run(configure: { $0.staleAfter = .seconds(600) }) { api throws in
                let writer = ReadingWriter(api: api)
                try await writer.write(house: 1, sensor: 1, kind: "fire_co", owner: 1)
                try await writer.write(house: 1, sensor: 2, kind: "leak", owner: 1)
                let (current, stream) = api.services.houseWatchers.listen(house: 1, services: api.services)
                #expect(current.isEmpty, "nothing is known before the first poll")
                var events = stream.makeAsyncIterator()

                let first = try #require(await Self.next(&events, named: "sensors"))
                #expect(first["sensor_ids"].array.compactMap(\.int) == [1, 2, 3, 4, 5])
                #expect(first["sensors"].array.count == 5)
                #expect(first["sensors"][0]["status"].string == "fresh")
                #expect(first["sensors"][2]["status"].string == "missing")
                let alarms = try #require(await Self.next(&events, named: "alarms"))
                #expect(alarms["active"].array.isEmpty)

                // Only sensor 2 changes: only its tile is sent.
                try await writer.write(house: 1, sensor: 2, kind: "leak", owner: 1, age: -1)
                let changed = try #require(await Self.next(&events, named: "sensors"))
                #expect(changed["sensors"].array.compactMap { $0["sensor_id"].int } == [2])

                try await AlarmsTests.insertTransitions(api)
                let raised = try #require(await Self.next(&events, named: "alarms"))
                #expect(raised["active"].array.compactMap { $0["id"].int } == [3])
                #expect(raised["recent"].array.count == 3)
                // A second page gets the whole house at once.
                let (late, _) = api.services.houseWatchers.listen(house: 1, services: api.services)
                #expect(late.count == 2)
                api.services.houseWatchers.stopAll()
            }
        }

        /// The data of the next event called `name`, skipping others (keep-alives); nil if the stream ends.
        static func next(_ events: inout AsyncStream<ServerSentEvent>.Iterator, named name: String) async -> JSONValue? {
            while let event = await events.next() {
                let text = String(buffer: event.frame)
                guard text.hasPrefix("event: \(name)\n"), let data = text.split(separator: "\n").first(where: { $0.hasPrefix("data: ") }) else { continue }
                return JSONValue(parsing: Array(data.dropFirst(6).utf8))
            }
            return nil
        }
    }
}
