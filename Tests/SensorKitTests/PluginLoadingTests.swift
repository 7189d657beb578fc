import Foundation
import Testing
import SensorKit
import SensorCatalog

/// Run-time loading, end to end: the example plugin under Plugins/Examples is
/// compiled into a shared library with its own copy of SensorKit (the case that
/// breaks Swift type identity), loaded with dlopen and put through the same
/// conformance checks as the built-in plugins. Building takes a few tens of
/// seconds, so the library is built once per test run.
@Suite("Run-time plugin loading", .serialized)
struct PluginLoadingTests {
    static let root = SchemaFileTests.root
    static let library = Result { try buildExamplePlugin() }

    @Test func loadsTheExamplePluginAndItConforms() throws {
        let path = try Self.library.get()
        let plugin = try SharedLibraryPlugin.load(path: path)
        #expect(plugin.kind == SensorKind("air_quality"))
        #expect(plugin.origin == path)
        #expect(plugin.descriptor.fields.map(\.name) == ["co2", "pm25", "air_quality"])
        try PluginConformanceTests.check(plugin)
    }

    @Test func loadedPluginJoinsTheCatalogueAndDrivesLikeABuiltIn() throws {
        let catalog = try SensorCatalog.loading(libraries: [try Self.library.get()])
        #expect(catalog.kinds == SensorKind.builtIn + [SensorKind("air_quality")])
        var drive = PluginDrive(try #require(catalog.plugin(for: SensorKind("air_quality"))))
        drive.run(for: 60, every: 30)
        try drive.apply("people", ["count": 12])
        let readings = drive.run(for: 3600, every: 30)
        let stuffy = try #require(readings.first { $0.alarms == ["stuffy"] })
        #expect(stuffy[field: "co2"]!.number! >= 1500)
        #expect(try Reading(payload: catalog.descriptor(for: SensorKind("air_quality"))!.encode(stuffy)) == stuffy)
        #expect(throws: SensorEventError.self) { try drive.apply("people", ["count": 300]) }
    }

    @Test func loadingTheSameKindTwiceIsRefused() throws {
        let path = try Self.library.get()
        do {
            _ = try SensorCatalog.loading(libraries: [path, path])
            Issue.record("loaded a kind twice")
        } catch {
            #expect(error.code == .duplicateKind)
        }
    }

    @Test func reportsLibrariesThatAreMissingOrNotPlugins() {
        #expect(Self.loadError("/nonexistent/libnothing.so") == .cannotOpen)
        #expect(Self.loadError("libm.so.6") == .noEntryPoint)
    }

    static func loadError(_ path: String) -> PluginLoadError.Code? {
        do {
            _ = try SharedLibraryPlugin.load(path: path)
            return nil
        } catch {
            return error.code
        }
    }

    /// Compiles SensorKit into a static library and the example plugin, linked
    /// against it, into a shared library, with swiftc directly (the example's own
    /// Package.swift does the same through SwiftPM, which is slower to start).
    static func buildExamplePlugin() throws -> String {
        // A folder per test process (runs may overlap); folders of finished runs are removed.
        let temporary = FileManager.default.temporaryDirectory
        let prefix = "hearth-example-plugin-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? [] where name.hasPrefix(prefix) {
            if let pid = Int32(name.dropFirst(prefix.count)), kill(pid, 0) != 0 {
                try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
            }
        }
        let work = temporary.appendingPathComponent("\(prefix)\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        func sources(_ folder: String) throws -> [String] {
            let directory = root.appendingPathComponent(folder)
            return try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".swift") }.sorted().map { directory.appendingPathComponent($0).path }
        }
        try swiftc([
            "-parse-as-library", "-module-name", "SensorKit", "-swift-version", "6",
            "-emit-library", "-static", "-emit-module", "-emit-module-path", work.appendingPathComponent("SensorKit.swiftmodule").path,
            "-o", work.appendingPathComponent("libSensorKit.a").path,
        ] + sources("Sources/SensorKit"))
        let library = work.appendingPathComponent("libAirQualityPlugin.so").path
        try swiftc([
            "-parse-as-library", "-module-name", "AirQualityPlugin", "-swift-version", "6", "-emit-library",
            "-I", work.path, "-L", work.path, "-lSensorKit", "-o", library,
        ] + sources("Plugins/Examples/AirQuality/Sources/AirQualityPlugin"))
        return library
    }

    static func swiftc(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swiftc"] + arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PluginBuildFailure(message: "swiftc failed (\(process.terminationStatus)): \(text)")
        }
    }
}

struct PluginBuildFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
