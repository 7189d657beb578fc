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

    private static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

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
    let catalog: SensorCatalog
    private var groups: [(group: any SensorGroup, encoder: ReadingEncoder)] = []
    private var simulatedTime = Int64(1_767_225_600) * 1_000_000_000
    private(set) var payloads: [[UInt8]] = []

    init(catalog: SensorCatalog) {
        self.catalog = catalog
        for kind in [SensorKind.fireCO, .leak, .thermostat, .motion, .garage] {
            guard let plugin = catalog.plugin(for: kind), let descriptor = catalog.descriptor(for: kind) else { continue }
            let group = plugin.makeGroup()
            for sensor in 0 ..< Self.sensorsPerKind {
                _ = group.addSensor(seed: 42, stream: UInt64(sensor), at: Timestamp(nanosecondsSinceEpoch: simulatedTime))
            }
            groups.append((group, ReadingEncoder(descriptor)))
        }
    }

    /// Nanoseconds per reading made and passed to `write`; keeps up to
    /// 10,000 of the payloads for the decoding loops.
    mutating func timeMaking(_ count: Int, _ write: (ReadingEncoder, Reading, inout [UInt8]) -> Void) -> Double {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(512)
        var kept: [[UInt8]] = []
        var made = 0
        let start = DispatchTime.now().uptimeNanoseconds
        while made < count {
            simulatedTime += 1_000_000_000
            let now = Timestamp(nanosecondsSinceEpoch: simulatedTime)
            for (group, encoder) in groups {
                for sensor in 0 ..< Self.sensorsPerKind {
                    let identity = SensorIdentity(houseID: sensor + 1, sensorID: sensor + 1, name: "sensor \(sensor % 10)")
                    guard let reading = group.nextReading(sensor, at: now, identity: identity) else { continue }
                    buffer.removeAll(keepingCapacity: true)
                    write(encoder, reading, &buffer)
                    if kept.count < 10_000 { kept.append(buffer) }
                    made += 1
                }
            }
        }
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        if payloads.isEmpty { payloads = kept }
        return Double(elapsed) / Double(made)
    }

    /// Nanoseconds per payload passed to `decode` (cycling through the kept payloads).
    func timeDecoding(_ count: Int, _ decode: (SensorCatalog, [UInt8]) -> Bool) -> Double {
        precondition(!payloads.isEmpty, "timeMaking first")
        var accepted = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for index in 0 ..< count where decode(catalog, payloads[index % payloads.count]) { accepted += 1 }
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        precondition(accepted == count, "a payload the publisher wrote was refused")
        return Double(elapsed) / Double(count)
    }
}
