@testable import API
import Foundation
import Testing
import Reports

extension APITests {
    /// The live dashboard in Debian's headless Chromium, against the whole
    /// product: the embedded stack, the real subscriber and publisher, and
    /// a fire started by the scenario's `fire_start` event.
    @Suite(
        "Live dashboard in a real browser",
        .enabled(if: FileManager.default.isExecutableFile(atPath: HeadlessChromium.executable),
                 "needs \(HeadlessChromium.executable); scripts/install-deps.sh installs Debian's chromium")
    )
    struct DashboardBrowserTests {
        /// Two houses of one fire, one leak and one thermostat sensor each,
        /// every sensor reporting every second; a fire starts in house 1 at
        /// 2 s, and its CO alarm rises some seconds later as the fire grows.
        static let scenario = """
            version: 1
            name: dashboard-browser-test
            seed: 7
            estate: { houses: 2, owners: 2, sensors: { fire_co: 1, leak: 1, thermostat: 1 } }
            load: { rate: every 1s, duration: 3m, qos: 1, transport: mqtt }
            events:
              - { at: 2s, event: fire_start, houses: [1] }
            """
        static let residentID = 100

        @Test("an owner sees tiles fill in live, the fire banner within 2 s of the alarm, and acknowledges it; a resident sees no button and is refused",
              .timeLimit(.minutes(4)))
        func fireAlarm() async throws {
            let servers = try #require(TestServers.current)
            try await TestAPI.run(seed: false, live: true, beforeStart: { try await LivePipeline.seed(scenario: Self.scenario, postgresURL: $0) }) { api throws in
                let pipeline = try await LivePipeline(scenario: Self.scenario, api: api, mqttURL: servers.mqttURL)
                try await Self.addLogins(api)
                let artefacts = Self.artefactsDirectory()
                do {
                    try await HeadlessChromium.with(logFile: artefacts + "/chromium.log") { browser in
                        let base = "http://127.0.0.1:\(try #require(api.port))"
                        let owner = try await BrowserPage.open(in: browser)
                        try await Self.logIn(owner, base: base, email: "owner-1@hearth.invalid")
                        try await Self.openHouse(owner)
    
                        // Tiles fill in, then change while we watch: the page is live.
                        try await owner.waitUntil("document.querySelectorAll('.tile[data-seq]').length >= 2", timeout: 15, "tiles with readings")
                        let seq = try #require(try await owner.evaluate("Number(document.querySelector('.tile[data-seq]').dataset.seq)") as? Int)
                        try await owner.waitUntil("Number(document.querySelector('.tile[data-seq]').dataset.seq) > \(seq)", timeout: 10, "a tile updated live")
                        try await owner.screenshot(to: artefacts + "/dashboard-house-live.png")
    
                        // The fire: the banner, in words, within 2 s of the alarm.
                        try await owner.waitUntil("!document.getElementById('alarm-banner').hidden", timeout: 120, "the alarm banner")
                        let bannerSeen = Date()
                        let raised = try #require(try await api.scalar(Date.self, """
                            SELECT occurred_at FROM alarms WHERE house_id = 1 AND state = 'raised' ORDER BY id LIMIT 1
                            """), "the banner shows an alarm the database does not hold")
                        let delay = bannerSeen.timeIntervalSince(raised)
                        print("dashboard: alarm banner shown \(String(format: "%.2f", delay)) s after the alarm's reading")
                        #expect(delay <= 2.0, "the banner came \(delay) s after the alarm")
                        let banner = try await owner.evaluate("document.getElementById('alarm-banner').innerText") as? String ?? ""
                        #expect(banner.contains("FIRE / CO ALARM"), "\(banner)")
                        let redTile = try await owner.evaluate("""
                            [...document.querySelectorAll('.tile[data-status="alarm"]')].map(t => t.innerText).join('|')
                            """) as? String ?? ""
                        #expect(redTile.contains("ALARM:"), "the fire sensor's tile says ALARM in words: \(redTile)")
                        #expect(try await owner.evaluate("document.querySelectorAll('#timeline li.raised').length") as? Int ?? 0 >= 1)
                        // The layout fits a phone: nothing wider than the screen.
                        #expect(try await owner.evaluate("document.documentElement.scrollWidth") as? Int ?? 0 <= 375)
    
                        // Acknowledge: the button calls the API; the page shows it.
                        try await owner.click("button.acknowledge")
                        try await owner.waitUntil("document.getElementById('alarm-banner').innerText.includes('acknowledged')", timeout: 5, "the acknowledgement")
                        #expect(try await api.scalar(Int.self, "SELECT acknowledged_by FROM alarms WHERE house_id = 1 AND state = 'raised' ORDER BY id LIMIT 1") == 1)
                        let screenshot = artefacts + "/dashboard-fire-acknowledged.png"
                        try await owner.screenshot(to: screenshot)
                        print("dashboard: screenshot kept at \(screenshot)")
    
                        // A resident watches the same alarm, with no button, and a forced acknowledgement is refused.
                        let resident = try await BrowserPage.open(in: browser)
                        try await Self.logIn(resident, base: base, email: "resident@example.com")
                        try await Self.openHouse(resident)
                        try await resident.waitUntil("!document.getElementById('alarm-banner').hidden", timeout: 10, "the banner for the resident")
                        #expect(try await resident.evaluate("document.body.dataset.canAcknowledge") as? String == "false")
                        #expect(try await resident.evaluate("document.querySelectorAll('button.acknowledge').length") as? Int == 0)
                        let alarmID = try #require(try await api.scalar(Int.self, "SELECT id FROM alarms WHERE house_id = 1 AND state = 'raised' ORDER BY id LIMIT 1"))
                        let forced = try await resident.evaluate("""
                            api('/houses/1/alarms/\(alarmID)/acknowledge', { method: 'POST' }).then(() => 200, (error) => error.status)
                            """) as? Int
                        #expect(forced == 403)
                        try await resident.screenshot(to: artefacts + "/dashboard-resident.png")
                        #expect(browser.errorsSeen.isEmpty, "page errors: \(browser.errorsSeen)")
                    }
                } catch {
                    await pipeline.stop()
                    throw error
                }
                await pipeline.stop()
            }
        }

        @Test("the run page shows a run's figures live as hearth run publishes them, and says when no run is in progress",
              .timeLimit(.minutes(2)))
        func runPage() async throws {
            let feed = RunProgressFeed()
            try await TestAPI.run(live: true, runProgress: feed) { api throws in
                try await HeadlessChromium.with(logFile: Self.artefactsDirectory() + "/chromium-run.log") { browser in
                    let page = try await BrowserPage.open(in: browser)
                    try await Self.logIn(page, base: "http://127.0.0.1:\(try #require(api.port))", email: "alice@example.com", house: 5)
                    try await page.navigate("http://127.0.0.1:\(try #require(api.port))/dashboard/run.html")
                    try await page.waitUntil("document.getElementById('connection').textContent === 'live'", timeout: 10, "the run stream")
                    #expect(try await page.evaluate("document.getElementById('idle').hidden") as? Bool == false)

                    var snapshot = RunProgress(
                        scenario: "fire-alarm-demo", stage: "peak", elapsedSeconds: 20, remainingSeconds: 100, sentPerSecond: 980,
                        targetPerSecond: 1000, p99Milliseconds: 3.25, redisUsedBytes: 200 << 20, redisMaxBytes: 256 << 20,
                        evictedKeys: 12, outstandingReadings: 0, finished: false
                    )
                    feed.publish(snapshot)
                    try await page.waitUntil("document.getElementById('stage').textContent === 'peak'", timeout: 5, "the first snapshot")
                    #expect(try await page.evaluate("document.getElementById('finished').offsetParent === null") as? Bool == true, "not marked finished yet")
                    let figures = try await page.evaluate("document.getElementById('run').innerText") as? String ?? ""
                    for text in ["fire-alarm-demo", "980 / 1000 readings/s", "3.3 ms", "200.0 MiB / 256.0 MiB", "12", "0:20 / 1:40"] {
                        #expect(figures.contains(text), "\(text) in \(figures)")
                    }
                    snapshot.elapsedSeconds = 120
                    snapshot.remainingSeconds = 0
                    snapshot.finished = true
                    feed.publish(snapshot)
                    try await page.waitUntil("!document.getElementById('finished').hidden", timeout: 5, "the finished mark")
                    #expect(try await page.evaluate("document.documentElement.scrollWidth") as? Int ?? 0 <= 375)
                    try await page.screenshot(to: Self.artefactsDirectory() + "/dashboard-run.png")
                    #expect(browser.errorsSeen.isEmpty, "page errors: \(browser.errorsSeen)")
                }
            }
            // hearth serve: no run shares the server, and the page says so.
            try await TestAPI.run(live: true) { api throws in
                try await HeadlessChromium.with(logFile: Self.artefactsDirectory() + "/chromium-no-run.log") { browser in
                    let page = try await BrowserPage.open(in: browser)
                    try await Self.logIn(page, base: "http://127.0.0.1:\(try #require(api.port))", email: "alice@example.com", house: 5)
                    try await page.navigate("http://127.0.0.1:\(try #require(api.port))/dashboard/run.html")
                    try await page.waitUntil("document.getElementById('connection').textContent === 'no run in this server'", timeout: 10, "the none event")
                    #expect(try await page.evaluate("document.getElementById('idle').innerText") as? String == "No run in progress.")
                }
            }
        }

        /// The seeded owners get the test password; a resident of house 1 is added.
        static func addLogins(_ api: TestAPI) async throws {
            try await api.execute("UPDATE users SET password_hash = \(TestAPI.passwordHash)")
            try await api.execute("""
                INSERT INTO users (id, email, name, password_hash, role)
                VALUES (\(residentID), 'resident@example.com', 'Rita Resident', \(TestAPI.passwordHash), 'user')
                """)
            try await api.execute("""
                INSERT INTO house_users (house_id, user_id, role, start_date) VALUES (1, \(residentID), 'resident', current_date)
                """)
        }

        /// Logs in through the form (a wrong password first, which must say
        /// so), and waits for `house` in the list.
        static func logIn(_ page: BrowserPage, base: String, email: String, house: Int = 1) async throws {
            try await page.navigate(base + "/dashboard/")
            try await page.waitUntil("document.getElementById('login') && !document.getElementById('login').hidden", timeout: 10, "the login form")
            try await page.fill("#email", email)
            try await page.fill("#password", "not the password")
            try await page.click("#login button[type=submit]")
            try await page.waitUntil("document.getElementById('login-error').textContent.includes('wrong e-mail or password')", timeout: 10,
                                     "the login form's error for a wrong password")
            try await page.fill("#password", TestAPI.password)
            try await page.click("#login button[type=submit]")
            try await page.waitUntil("document.querySelector('a[href=\"house.html?id=\(house)\"]')", timeout: 10, "house \(house) in the list")
        }

        static func openHouse(_ page: BrowserPage) async throws {
            try await page.click("a[href=\"house.html?id=1\"]")
            try await page.waitUntil("location.pathname.endsWith('house.html') && document.querySelectorAll('.tile').length === 3",
                                     timeout: 10, "the house's three tiles")
        }

        /// `.build/test-artefacts` in the package (git-ignored), or `HEARTH_TEST_ARTEFACTS`.
        static func artefactsDirectory() -> String {
            let path = ProcessInfo.processInfo.environment["HEARTH_TEST_ARTEFACTS"]
                ?? FileManager.default.currentDirectoryPath + "/.build/test-artefacts"
            try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return path
        }
    }
}
