import ArgumentParser
import Fernet
import Foundation
import Logging
import MQTT
import Postgres
import Redis
import Stack

/// `hearth check`: brings up the embedded stack and sends one encrypted
/// reading through all three servers, the way the pipeline will: Fernet
/// encrypt → MQTT QoS 1 → receive → decrypt → Redis `SET … EX` → PostgreSQL.
/// It is the quickest proof that a machine can run hearth.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Start the embedded stack and run one encrypted round trip through MQTT, Redis and PostgreSQL."
    )

    @OptionGroup var stackOptions: EmbeddedStackOptions

    func run() async throws {
        let logger = Logger.hearth(label: "hearth.check")
        let started = ContinuousClock.now
        let stack = try await withCLIErrors { try await EmbeddedStack.start(stackOptions.configuration(), logger: logger) }
        print("stack up in \(milliseconds(since: started)) ms: \(stack.endpoints.mqtt!), \(stack.endpoints.redis!), \(stack.endpoints.postgres!)")
        do {
            try await roundTrip(stack.endpoints)
        } catch {
            await stack.stop()
            printError("round trip failed: \(error)")
            throw ExitCode.runtimeError
        }
        await stack.stop()
        print("stack stopped; round trip passed")
    }

    private func roundTrip(_ endpoints: StackEndpoints) async throws {
        let key = try FernetKey.generate()
        let fernet = try Fernet(key: key)
        let reading = #"{"sensor_id":1,"sensor_name":"Kitchen smoke","house_id":1,"kind":"fire_co","seq":0}"#
        let token = try fernet.encrypt(Array(reading.utf8))

        var step = ContinuousClock.now
        let subscriber = try MQTTClient(MQTTConfiguration(url: endpoints.mqtt!, clientID: "hearth-check-sub-\(getpid())"))
        let publisher = try MQTTClient(MQTTConfiguration(url: endpoints.mqtt!, clientID: "hearth-check-pub-\(getpid())"))
        try await subscriber.connect()
        try await subscriber.subscribe("houses/+/sensors/+", qos: .atLeastOnce)
        try await publisher.connect()
        try await publisher.publish(topic: "houses/1/sensors/1", payload: token, qos: .atLeastOnce)
        var received: MQTTMessage?
        for await message in subscriber.messages {
            received = message
            break
        }
        await publisher.disconnect()
        await subscriber.disconnect()
        guard let received, Array(received.payload) == token else { throw CheckError("the MQTT message did not arrive intact") }
        let plaintext = try received.payload.withUnsafeBytes { try fernet.decryptWithTimestamp($0, ttl: .seconds(60)).plaintext }
        guard plaintext == Array(reading.utf8) else { throw CheckError("the decrypted reading differs from the one sent") }
        print("mqtt      QoS 1 publish → receive → decrypt: ok (\(milliseconds(since: step)) ms)")

        step = ContinuousClock.now
        let redis = try await RedisConnection.connect(url: endpoints.redis!)
        let redisKey = "house:{1}:sensor:1:latest"
        try await redis.set(redisKey, token, expireSeconds: 3600)
        guard try await redis.get(redisKey) == token, let ttl = try await redis.ttl(redisKey), ttl > 3500 else {
            throw CheckError("Redis did not keep the token with its TTL")
        }
        print("redis     SET \(redisKey) EX 3600 → GET, TTL \(ttl) s: ok (\(milliseconds(since: step)) ms)")

        step = ContinuousClock.now
        let postgres = try await PostgresConnection.connect(url: endpoints.postgres!)
        _ = try await postgres.execute("CREATE TEMPORARY TABLE check_readings (sensor_id bigint, token text)")
        let tokenText = String(decoding: token, as: UTF8.self)
        _ = try await postgres.execute("INSERT INTO check_readings (sensor_id, token) VALUES (\(1), \(tokenText))")
        let rows = try await postgres.query("SELECT token FROM check_readings WHERE sensor_id = \(1)")
        guard rows.count == 1, try rows[0].decode(String.self, column: 0) == tokenText else {
            throw CheckError("PostgreSQL did not return the stored token")
        }
        await postgres.close()
        print("postgres  INSERT → SELECT (parameterised): ok (\(milliseconds(since: step)) ms)")
    }

    private func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }
}

struct CheckError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
