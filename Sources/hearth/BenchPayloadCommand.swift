import ArgumentParser
import Foundation
import SensorCatalog
import SensorKit

/// `hearth bench payload`: the per-reading CPU work on both sides of the
/// wire, without the network. The pipeline's CPU per message is too noisy
/// to show a 5% change (BENCHMARKS.md, seventh session); this is where such
/// changes are measured.
struct BenchPayloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payload",
        abstract: "Time making+encoding and decoding+validating a reading, against hearth's general JSON paths in the same run.",
        discussion: """
            The publisher's side: a plugin makes the reading, it is validated and
            written as JSON; the reference builds the same document as a JSONValue
            tree and writes it with the general tree writer. The subscriber's side:
            SensorCatalog.decode (the single-pass scanner, then validation); the
            reference is the strict parser it falls back to, then validation.
            Five periodic kinds, 100 sensors each. Figures are the median over
            --rounds timed loops; the ratio is the reference's time over hearth's.
            """
    )

    @Option(help: "Readings per timed loop.")
    var readings = 100_000

    @Option(help: "Timed loops per figure (the median is reported).")
    var rounds = 7

    func validate() throws {
        guard readings > 0, rounds > 0 else { throw ValidationError("--readings and --rounds must be positive") }
    }

    func run() throws {
        #if DEBUG
        printError("warning: this is a debug build; for meaningful figures run `swift build -c release` and the release binary")
        #endif
        var estate = PayloadEstate(catalog: .builtIn)
        var make: [Double] = [], makeReference: [Double] = [], decode: [Double] = [], decodeReference: [Double] = []
        for _ in 0 ..< rounds {
            make.append(estate.timeMaking(readings) { encoder, reading, buffer in try? encoder.encode(reading, into: &buffer) })
            makeReference.append(estate.timeMaking(readings) { _, reading, buffer in
                var writer = JSONWriter(capacity: 0)
                swap(&writer.bytes, &buffer)
                writer.value(Self.tree(reading))
                swap(&writer.bytes, &buffer)
            })
            decode.append(estate.timeDecoding(readings) { catalog, payload in (try? catalog.decode(payload: payload)) != nil })
            decodeReference.append(estate.timeDecoding(readings) { catalog, payload in
                guard let reading = try? Reading(payload: payload), let descriptor = catalog.descriptor(for: reading.kind) else { return false }
                return (try? descriptor.validate(reading)) != nil
            })
        }
        print("Per reading, median of \(rounds) loops of \(readings):")
        print(Self.line("make + validate + encode", make, "make + JSONValue tree writer", makeReference))
        print(Self.line("decode + validate", decode, "strict parser + validate", decodeReference))
    }

    private static func line(_ name: String, _ hearth: [Double], _ referenceName: String, _ reference: [Double]) -> String {
        let ours = median(hearth), theirs = median(reference)
        return String(format: "%@: hearth %.0f ns, %@ %.0f ns, ratio %.2fx", name, ours, referenceName, theirs, theirs / ours)
    }

    /// The payload's document as a `JSONValue` tree, for the general writer:
    /// the same members in the same order (numbers in shortest form).
    private static func tree(_ reading: Reading) -> JSONValue {
        var members: [JSONMember] = [
            JSONMember(Reading.Key.sensorID, .integer(Int64(reading.sensorID))),
            JSONMember(Reading.Key.sensorName, .string(reading.sensorName)),
            JSONMember(Reading.Key.houseID, .integer(Int64(reading.houseID))),
            JSONMember(Reading.Key.kind, .string(reading.kind.rawValue)),
            JSONMember(Reading.Key.seq, .integer(Int64(reading.seq))),
            JSONMember(Reading.Key.timestamp, .string(reading.timestamp.rfc3339)),
            JSONMember(Reading.Key.sentAt, .integer(reading.sentAt.nanosecondsSinceEpoch)),
        ]
        var units: [JSONMember] = []
        for field in reading.fields {
            switch field.value {
            case .number(let number): members.append(JSONMember(field.name, .number(number)))
            case .text(let text): members.append(JSONMember(field.name, .string(text)))
            }
            if let unit = field.unit { units.append(JSONMember(field.name, .string(unit))) }
        }
        members.append(JSONMember(Reading.Key.units, .object(units)))
        members.append(JSONMember(Reading.Key.alarms, .array(reading.alarms.map(JSONValue.string))))
        return .object(members)
    }
}

/// Sensors of the five periodic built-in kinds, and the payloads they made,
/// for `BenchPayloadCommand`'s timed loops.
private struct PayloadEstate {
    static let sensorsPerKind = 100
    static let keptPayloads = 10_000
    let catalog: SensorCatalog
    private var groups: [(group: any SensorGroup, encoder: ReadingEncoder)] = []
    private let identities: [SensorIdentity]
    private var simulatedTime = Int64(1_767_225_600) * 1_000_000_000
    /// What the publisher wrote, made before any timing: the decoding loops' input.
    private(set) var payloads: [[UInt8]] = []

    init(catalog: SensorCatalog) {
        self.catalog = catalog
        identities = (0 ..< Self.sensorsPerKind).map { SensorIdentity(houseID: $0 + 1, sensorID: $0 + 1, name: "sensor \($0 % 10)") }
        for kind in [SensorKind.fireCO, .leak, .thermostat, .motion, .garage] {
            guard let plugin = catalog.plugin(for: kind), let descriptor = catalog.descriptor(for: kind) else { continue }
            let group = plugin.makeGroup()
            for sensor in 0 ..< Self.sensorsPerKind {
                _ = group.addSensor(seed: 42, stream: UInt64(sensor), at: Timestamp(nanosecondsSinceEpoch: simulatedTime))
            }
            groups.append((group, ReadingEncoder(descriptor)))
        }
        var kept: [[UInt8]] = []
        forEachReading(Self.keptPayloads) { encoder, reading in
            var payload: [UInt8] = []
            if (try? encoder.encode(reading, into: &payload)) != nil { kept.append(payload) }
        }
        payloads = kept
    }

    /// Nanoseconds per reading made and passed to `write`.
    mutating func timeMaking(_ count: Int, _ write: (ReadingEncoder, Reading, inout [UInt8]) -> Void) -> Double {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(512)
        let start = DispatchTime.now().uptimeNanoseconds
        let made = forEachReading(count) { encoder, reading in
            buffer.removeAll(keepingCapacity: true)
            write(encoder, reading, &buffer)
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / Double(made)
    }

    /// Makes at least `count` readings, a second of simulated time at a
    /// time, and hands each to `body`; returns how many it made.
    @discardableResult
    private mutating func forEachReading(_ count: Int, _ body: (ReadingEncoder, Reading) -> Void) -> Int {
        var made = 0
        while made < count {
            simulatedTime += 1_000_000_000
            let now = Timestamp(nanosecondsSinceEpoch: simulatedTime)
            for (group, encoder) in groups {
                for (sensor, identity) in identities.enumerated() {
                    guard let reading = group.nextReading(sensor, at: now, identity: identity) else { continue }
                    body(encoder, reading)
                    made += 1
                }
            }
        }
        return made
    }

    /// Nanoseconds per payload passed to `decode` (cycling through the kept payloads).
    func timeDecoding(_ count: Int, _ decode: (SensorCatalog, [UInt8]) -> Bool) -> Double {
        var accepted = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for index in 0 ..< count where decode(catalog, payloads[index % payloads.count]) { accepted += 1 }
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        precondition(accepted == count, "a payload the publisher wrote was refused")
        return Double(elapsed) / Double(count)
    }
}
