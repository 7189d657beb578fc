// swift-tools-version:6.1
// An example sensor plugin built outside hearth and loaded at run time:
//
//     swift build -c release --package-path Plugins/Examples/AirQuality
//     hearth plugins list --plugin Plugins/Examples/AirQuality/.build/release/libAirQualityPlugin.so
//
// It links its own copy of SensorKit; everything it exchanges with hearth goes
// through the C entry point `hearth_sensor_plugin_entry` (see SensorPluginABI),
// so the two copies never need to agree on Swift type identity.
import PackageDescription

let package = Package(
    name: "AirQualityPlugin",
    products: [
        .library(name: "AirQualityPlugin", type: .dynamic, targets: ["AirQualityPlugin"]),
    ],
    dependencies: [
        .package(name: "hearth", path: "../../.."),
    ],
    targets: [
        .target(name: "AirQualityPlugin", dependencies: [.product(name: "SensorKit", package: "hearth")]),
    ],
    swiftLanguageModes: [.v6]
)
