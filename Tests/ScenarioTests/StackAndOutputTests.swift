import Testing
@testable import Scenario

@Suite("Stack, outputs and API")
struct StackAndOutputTests {
    @Test("defaults: everything embedded, Redis at 256mb allkeys-lru with a 1h TTL")
    func defaults() throws {
        let scenario = try Fixture.scenario(Fixture.minimal)
        #expect(scenario.stack == StackSettings())
        #expect(scenario.stack.isFullyEmbedded)
        #expect(scenario.stack.redis.maxMemory == .megabytes(256))
        #expect(scenario.stack.redis.evictionPolicy == .allKeysLRU)
        #expect(scenario.stack.redis.latestTTL == .seconds(3600))
        #expect(scenario.stack.tcpNoDelay && !scenario.stack.tls)
        #expect(scenario.stack.mqtt.protocolVersion == .v311)
        #expect(scenario.outputs == OutputSettings(formats: [.json, .html, .junit], directory: "Reports"))
        #expect(scenario.api == APISettings())
        #expect(!scenario.api.enabled)
        #expect(scenario.seed == 1)
    }

    @Test("external servers by URL, with Redis limits and MQTT 5")
    func external() throws {
        let scenario = try Fixture.scenario(Fixture.minimal(plus: """
            stack:
              mqtt: { url: "mqtts://broker.test:8883", protocol: 5 }
              redis:
                url: redis://:secret@cache.test:6380/0
                maxmemory: 1gb
                maxmemory_policy: volatile-ttl
                latest_ttl: 90s
              postgres: postgres://hearth@db.test/hearth
              tcp_nodelay: false
              tls: true
            """))
        let stack = scenario.stack
        guard case .external(let broker) = stack.mqtt.endpoint, case .external(let cache) = stack.redis.endpoint,
              case .external(let database) = stack.postgres.endpoint else {
            Issue.record("expected external endpoints")
            return
        }
        #expect(broker.host == "broker.test" && broker.port == 8883 && broker.impliesTLS)
        #expect(cache.port == 6380 && !cache.impliesTLS && cache.text == "redis://:secret@cache.test:6380/0")
        #expect(database.host == "db.test" && database.port == nil)
        #expect(stack.mqtt.protocolVersion == .v5)
        #expect(stack.redis.maxMemory == .gigabytes(1))
        #expect(stack.redis.evictionPolicy == .volatileTTL)
        #expect(stack.redis.latestTTL == .seconds(90))
        #expect(!stack.tcpNoDelay && stack.tls && !stack.isFullyEmbedded)
    }

    @Test("stack: embedded is the whole default")
    func embeddedShorthand() throws {
        #expect(try Fixture.scenario(Fixture.minimal(plus: "stack: embedded")).stack == StackSettings())
    }

    @Test("mistakes in the stack", arguments: [
        ("stack: docker", "stack must be 'embedded' or a mapping"),
        ("stack: { mqtt: \"http://x\" }", "has scheme 'http'; use mqtt:// or mqtts://"),
        ("stack: { redis: { url: \"redis://\" } }", "names no host"),
        ("stack: { redis: { url: \"redis://h:99999\" } }", "ports run from 1 to 65535"),
        ("stack: { redis: { maxmemory: 256 } }", "'256' needs a unit"),
        ("stack: { redis: { maxmemory: 512kb } }", "a size from 1mb to 1tb"),
        ("stack: { redis: { maxmemory: 2tb } }", "a size from 1mb to 1tb"),
        ("stack: { redis: { maxmemory_policy: lru } }", "must be one of noeviction, allkeys-lru"),
        ("stack: { redis: { latest_ttl: 1.5s } }", "must be whole seconds"),
        ("stack: { redis: { latest_ttl: 60d } }", "from 1s to 30d"),
        ("stack: { mqtt: { protocol: 4 } }", "must be \"3.1.1\" or \"5\""),
        ("stack: { tls: sometimes }", "stack.tls must be true or false"),
    ])
    func stackMistakes(section: String, fragment: String) {
        let messages = Fixture.messages(Fixture.minimal(plus: section))
        #expect(messages.anyContains(fragment), "\(messages)")
    }

    @Test("outputs and API settings")
    func outputs() throws {
        let scenario = try Fixture.scenario(Fixture.minimal(plus: """
            outputs: { formats: [junit, json, junit], directory: out/ci }
            api: { port: 0 }
            dashboard: true
            """))
        #expect(scenario.outputs.formats == [.junit, .json])
        #expect(scenario.outputs.directory == "out/ci")
        #expect(scenario.api == APISettings(enabled: true, host: "127.0.0.1", port: 0, dashboard: true))
        let single = try Fixture.scenario(Fixture.minimal(plus: "outputs: { formats: html }\ndashboard: true"))
        #expect(single.outputs.formats == [.html])
        #expect(single.api.enabled)
    }

    @Test("mistakes in outputs and API", arguments: [
        ("outputs: { formats: [pdf] }", "must be one of json, html, junit; got 'pdf'"),
        ("outputs: { formats: [] }", "is empty; list at least one"),
        ("api: false\ndashboard: true", "dashboard is served by the API"),
        ("api: { port: 70000 }", "from 0 to 65,535"),
        ("api: maybe", "api must be true or false"),
        ("version: 2", "version must be a whole number from 1 to 1"),
        ("description: [x]", "description must be text"),
    ])
    func outputMistakes(section: String, fragment: String) {
        let messages = Fixture.messages(Fixture.minimal(plus: section))
        #expect(messages.anyContains(fragment), "\(messages)")
    }
}
