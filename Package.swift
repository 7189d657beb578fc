// swift-tools-version:6.1
// hearth: a smart-home sensor stack simulator and load-testing harness.
// The module map and the rules for what may import what are in DESIGN.md
// (shared with the team); arrows point down that table, never up.
import PackageDescription

/// The six built-in sensor kinds live outside Sources, like package-benchmark's
/// regular targets, so that a plugin reads as a plugin and not as core code.
let sensorPlugins: [(target: String, folder: String)] = [
    ("FireCOSensor", "FireCO"),
    ("LeakSensor", "Leak"),
    ("DoorWindowSensor", "DoorWindow"),
    ("ThermostatSensor", "Thermostat"),
    ("MotionSensor", "Motion"),
    ("GarageSensor", "Garage"),
]

let package = Package(
    name: "hearth",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "hearth", targets: ["hearth"]),
        // For sensor plugins built outside this package (see Plugins/Examples).
        .library(name: "SensorKit", targets: ["SensorKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // MARK: C libraries (Debian packages; nothing vendored)
        .systemLibrary(name: "CMosquitto", pkgConfig: "libmosquitto", providers: [.apt(["libmosquitto-dev"])]),
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        // MARK: Pure building blocks
        .target(name: "BlockingIO"),
        .target(name: "Fernet", dependencies: ["COpenSSL"]),
        .target(name: "SensorKit"),
        .target(
            name: "SensorCatalog",
            dependencies: ["SensorKit"] + sensorPlugins.map { .target(name: $0.target) }
        ),
        .target(name: "Scenario", dependencies: ["SensorKit", .product(name: "Yams", package: "Yams")]),

        // MARK: Clients over the C libraries (no C type in their public API)
        .target(name: "ServerURL"),
        .target(name: "MQTT", dependencies: ["CMosquitto", "BlockingIO", "ServerURL"]),
        .target(name: "Redis", dependencies: ["CHiredis", "BlockingIO", "ServerURL"]),
        .target(name: "Postgres", dependencies: ["CLibPQ", "BlockingIO"]),
        // The API's Redis client on SwiftNIO event loops (RESP in Swift, no C).
        .target(
            name: "RedisNIO",
            dependencies: [
                "Redis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .target(name: "Schema", dependencies: ["Postgres"]),
        .target(
            name: "Subscriber",
            dependencies: [
                "MQTT", "Redis", "Postgres", "Schema", "Fernet", "SensorKit", "SensorCatalog", "BlockingIO",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // MARK: The embedded stack
        .target(
            name: "Stack",
            dependencies: [
                "MQTT", "Redis", "Postgres", "BlockingIO",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // MARK: The HTTP API (Hummingbird)
        .target(
            name: "API",
            dependencies: [
                "Postgres", "Redis", "RedisNIO", "MQTT", "Fernet", "SensorKit", "SensorCatalog", "Schema", "Reports",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The dashboard's HTML, CSS and JavaScript, compiled into the
            // binary as byte arrays (see DashboardAssets.swift for why).
            resources: [.embedInCode("Dashboard/Web")]
        ),

        // MARK: The publisher (readings → Fernet → MQTT / Redis stream)
        .target(
            name: "Publisher",
            dependencies: [
                "MQTT", "Redis", "Postgres", "Schema", "Fernet", "SensorKit", "SensorCatalog", "Scenario", "BlockingIO",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // MARK: Reports and the harness around a run
        .target(name: "Reports", dependencies: [.product(name: "Histogram", package: "hdrhistogram-swift")]),
        .target(
            name: "Harness",
            dependencies: [
                "Reports", "Redis", "MQTT", "Postgres", "Scenario", "Fernet", "SensorKit", "SensorCatalog", "BlockingIO",
                "Stack", "Schema", "Publisher", "Subscriber",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // MARK: The command-line tool
        .executableTarget(
            name: "hearth",
            dependencies: [
                "Stack", "MQTT", "Redis", "Postgres", "Fernet", "SensorKit", "SensorCatalog", "Scenario", "Reports", "Harness", "Schema", "API",
                "Publisher",
                "Subscriber",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // MARK: Tests (Swift Testing)
        .testTarget(name: "FernetTests", dependencies: ["Fernet"]),
        .testTarget(
            name: "SensorKitTests",
            dependencies: ["SensorKit", "SensorCatalog"] + sensorPlugins.map { .target(name: $0.target) }
        ),
        .testTarget(name: "ScenarioTests", dependencies: ["Scenario", "SensorKit"]),
        .testTarget(name: "CLITests", dependencies: ["Stack"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", .product(name: "Histogram", package: "hdrhistogram-swift")]),
        .testTarget(name: "HarnessTests", dependencies: ["Harness", "Reports", "Scenario", "Stack", "Redis", "SensorCatalog", "Publisher", "Subscriber"]),
        .testTarget(
            name: "APITests",
            dependencies: [
                "API", "Stack", "Reports", "Postgres", "Redis", "Fernet", "Schema", "SensorKit", "SensorCatalog",
                "Publisher", "Subscriber", "Scenario", "MQTT",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ]
        ),
        .testTarget(name: "StackTests", dependencies: ["Stack", "MQTT", "Redis", "Postgres", "BlockingIO"]),
        .testTarget(
            name: "RedisNIOTests",
            dependencies: [
                "RedisNIO", "Redis", "Stack",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "PublisherTests",
            dependencies: ["Publisher", "Subscriber", "Stack", "MQTT", "Redis", "Postgres", "Fernet", "Scenario", "SensorKit", "SensorCatalog", "BlockingIO"]
        ),
        .testTarget(name: "SchemaTests", dependencies: ["Schema", "Postgres", "Stack"]),
        .testTarget(
            name: "SubscriberTests",
            dependencies: [
                "Subscriber", "Schema", "Stack", "MQTT", "Redis", "Postgres", "Fernet", "SensorKit", "SensorCatalog", "BlockingIO",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ] + sensorPlugins.map {
        .target(name: $0.target, dependencies: ["SensorKit"], path: "Plugins/Sensors/\($0.folder)")
    },
    swiftLanguageModes: [.v6]
)
