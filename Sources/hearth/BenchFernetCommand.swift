import ArgumentParser
import Fernet
import Foundation

/// `hearth bench fernet`: encrypt and decrypt a 200-byte reading on one
/// thread, next to Python's `cryptography` Fernet timed in the same run.
///
/// Both sides encrypt the same payload under the same throw-away key, and
/// each decrypts a token the other made, so the run also proves interop.
/// Build with `swift build -c release` first; debug builds are many times slower.
struct BenchFernetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fernet",
        abstract: "Time Fernet encrypt+decrypt of a reading against Python's cryptography, same run.",
        discussion: """
            Prints per-operation times for hearth and for Python, and the ratio.
            Exits 3 if --min-ratio or --max-round-trip-us is given and missed,
            1 if Python or its cryptography package is missing or interop fails.
            """
    )

    @Option(help: "Plaintext size in bytes (a reading JSON padded to this size).")
    var payloadBytes = 200

    @Option(help: "Operations per timed loop in Swift.")
    var iterations = 50_000

    @Option(help: "Operations per timed loop in Python.")
    var pythonIterations = 3_000

    @Option(help: "Timed loops per operation. Figures and the ratio use the best loop, which on a shared machine is the one least disturbed by other work; medians are printed too.")
    var rounds = 15

    @Option(help: "The Python interpreter with the cryptography package.")
    var python = "python3"

    @Option(help: "The reference script (default: Tests/References/fernet_reference.py from the working directory or the source tree).")
    var referenceScript: String?

    @Option(help: "Fail with exit 3 if hearth is less than this many times faster than Python per round trip.")
    var minRatio: Double?

    @Option(help: "Fail with exit 3 if one encrypt+decrypt takes longer than this many microseconds.")
    var maxRoundTripUs: Double?

    func validate() throws {
        guard payloadBytes >= 0, iterations > 0, pythonIterations > 0, rounds > 0 else {
            throw ValidationError("sizes, iterations and rounds must be positive")
        }
    }

    func run() throws {
        #if DEBUG
        printError("warning: this is a debug build; for meaningful figures run `swift build -c release` and the release binary")
        #endif
        let key = try FernetKey.generate()
        let payload = BenchFernetCommand.reading(bytes: payloadBytes)
        let hearth = try FernetTimings.measure(key: key, payload: payload, iterations: iterations, rounds: rounds)
        let sample = try Fernet(key: key).encrypt(payload)
        let reference = try runReference(key: key, payload: payload, token: sample)
        let pythonTokenOK = (try? Fernet(key: key).decrypt(reference.token)) == payload

        let ratio = reference.roundTrip.best / hearth.roundTrip.best
        print("Fernet, \(payloadBytes)-byte reading, one thread, best of \(rounds) timed loops (median in brackets)")
        print(line("", "hearth (Swift)", "Python cryptography \(reference.cryptography)"))
        print(line("encrypt", format(hearth.encrypt), format(reference.encrypt)))
        print(line("decrypt", format(hearth.decrypt), format(reference.decrypt)))
        print(line("encrypt+decrypt", format(hearth.roundTrip), format(reference.roundTrip))
            + String(format: "ratio %.1fx (medians %.1fx)", ratio, reference.roundTrip.median / hearth.roundTrip.median))
        let figure = BenchmarkFigure(
            name: "fernet encrypt+decrypt", unit: "ops/s",
            hearth: 1e9 / hearth.roundTrip.best, reference: 1e9 / reference.roundTrip.best,
            referenceName: "python cryptography", target: minRatio ?? 20
        )
        print(figure.line)
        print("interop: hearth token decrypted by Python: \(reference.hearthTokenOK ? "ok" : "FAILED"); Python token decrypted by hearth: \(pythonTokenOK ? "ok" : "FAILED")")

        guard reference.hearthTokenOK, pythonTokenOK else {
            printError("Fernet interop with Python failed")
            throw ExitCode.runtimeError
        }
        var missed: [String] = []
        if let minRatio, ratio < minRatio {
            missed.append(String(format: "ratio %.1fx is below the required %.1fx", ratio, minRatio))
        }
        if let maxRoundTripUs, hearth.roundTrip.best / 1000 > maxRoundTripUs {
            missed.append(String(format: "%.2f µs per encrypt+decrypt is above the allowed %.2f µs", hearth.roundTrip.best / 1000, maxRoundTripUs))
        }
        if !missed.isEmpty {
            printError("gate failed: " + missed.joined(separator: "; "))
            throw ExitCode.gateFailed
        }
    }

    private func line(_ label: String, _ hearth: String, _ python: String) -> String {
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
        }
        return pad(label, 17) + pad(hearth, 22) + pad(python, 30)
    }

    private func format(_ timing: PerOperation) -> String {
        func micros(_ nanoseconds: Double) -> String {
            String(format: nanoseconds < 10_000 ? "%.3f" : "%.1f", nanoseconds / 1000)
        }
        return "\(micros(timing.best)) µs (\(micros(timing.median)))"
    }

    /// A fire/CO reading as the publishers send it, padded with a `note` to exactly `bytes`.
    static func reading(bytes: Int) -> [UInt8] {
        let reading = #"{"sensor_id":17,"sensor_name":"kitchen smoke","house_id":3,"kind":"fire_co","seq":48213,"#
            + #""timestamp":"2026-01-15T18:04:12.250Z","temperature":21.4,"humidity":43.0,"co_detection":false,"smart_level":0"#
        var json = Array(reading.utf8)
        let suffix = Array(#","note":""}"#.utf8)
        if json.count + suffix.count <= bytes {
            json += Array(suffix[..<(suffix.count - 2)])
            json += [UInt8](repeating: UInt8(ascii: "x"), count: bytes - json.count - 2)
            json += Array(#""}"#.utf8)
            return json
        }
        return Array(json.prefix(bytes))
    }

    /// Runs the Python reference with the key on stdin (never in argv).
    private func runReference(key: FernetKey, payload: [UInt8], token: [UInt8]) throws -> ReferenceTimings {
        let script = try locateReferenceScript()
        let request: [String: Any] = [
            "key": key.base64URLEncoded,
            "payload": Data(payload).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_"),
            "token": String(decoding: token, as: UTF8.self),
            "iterations": pythonIterations,
            "rounds": rounds,
        ]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        do {
            try process.run()
        } catch {
            printError("cannot run \(python) \(script): \(error.localizedDescription)")
            throw ExitCode.runtimeError
        }
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: request))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let timings = ReferenceTimings(json: data) else {
            printError("the Python reference failed (exit \(process.terminationStatus)); it needs Python 3 with `cryptography` (pip install cryptography)")
            throw ExitCode.runtimeError
        }
        return timings
    }

    private func locateReferenceScript() throws -> String {
        let script = referenceScript ?? repositoryFile("Tests/References/fernet_reference.py")
        guard FileManager.default.fileExists(atPath: script) else {
            printError("reference script not found at \(script); pass --reference-script PATH")
            throw ExitCode.badInput
        }
        return script
    }
}

/// Nanoseconds per operation over several timed loops.
private struct PerOperation {
    var best: Double
    var median: Double

    init(samples: [Double]) {
        let sorted = samples.sorted()
        best = sorted[0]
        median = sorted[sorted.count / 2]
    }

    init?(json: Any?) {
        guard let object = json as? [String: Any],
              let best = (object["best"] as? NSNumber)?.doubleValue,
              let median = (object["median"] as? NSNumber)?.doubleValue
        else { return nil }
        self.best = best
        self.median = median
    }
}

/// hearth's side, timed like the Python reference times its side.
private struct FernetTimings {
    var encrypt: PerOperation
    var decrypt: PerOperation
    var roundTrip: PerOperation

    /// The calls go into the Fernet module, which the optimiser cannot see
    /// through, so the loops need no black hole to survive optimisation.
    static func measure(key: FernetKey, payload: [UInt8], iterations: Int, rounds: Int) throws -> FernetTimings {
        let fernet = try Fernet(key: key)
        let token = try fernet.encrypt(payload)
        func time(_ operation: () throws -> Void) rethrows -> PerOperation {
            var samples: [Double] = []
            for _ in 0..<rounds {
                let start = ContinuousClock.now
                for _ in 0..<iterations {
                    try operation()
                }
                let elapsed = ContinuousClock.now - start
                samples.append((Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9) / Double(iterations))
            }
            return PerOperation(samples: samples)
        }
        _ = try time { _ = try fernet.decrypt(fernet.encrypt(payload)) }
        return FernetTimings(
            encrypt: try time { _ = try fernet.encrypt(payload) },
            decrypt: try time { _ = try fernet.decrypt(token) },
            roundTrip: try time { _ = try fernet.decrypt(fernet.encrypt(payload)) }
        )
    }
}

/// The reference script's answer (see Tests/References/fernet_reference.py).
private struct ReferenceTimings {
    var cryptography: String
    var encrypt: PerOperation
    var decrypt: PerOperation
    var roundTrip: PerOperation
    var hearthTokenOK: Bool
    var token: String

    init?(json: Data) {
        guard let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any],
              let cryptography = object["cryptography"] as? String,
              let encrypt = PerOperation(json: object["encrypt_ns"]),
              let decrypt = PerOperation(json: object["decrypt_ns"]),
              let roundTrip = PerOperation(json: object["round_trip_ns"]),
              let hearthTokenOK = object["hearth_token_ok"] as? Bool,
              let token = object["token"] as? String
        else { return nil }
        self.cryptography = cryptography
        self.encrypt = encrypt
        self.decrypt = decrypt
        self.roundTrip = roundTrip
        self.hearthTokenOK = hearthTokenOK
        self.token = token
    }
}
