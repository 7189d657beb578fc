/// The dashboard's files, compiled into the binary.
///
/// The HTML, CSS and JavaScript are ordinary files in `Dashboard/Web`, and
/// Package.swift embeds them with SwiftPM's `.embedInCode` resource rule,
/// which turns each into a `[UInt8]` constant of the generated
/// `PackageResources`. So they are edited as files, but the `hearth` binary
/// carries them: nothing to install beside it (a `.copy` bundle would have
/// to travel next to the executable, which a container image that copies
/// only the binary would miss), no network, no build step of our own.
enum DashboardAssets {
    struct Asset: Sendable {
        let bytes: [UInt8]
        let contentType: String
    }

    static let files: [String: Asset] = [
        "index.html": Asset(bytes: PackageResources.index_html, contentType: html),
        "house.html": Asset(bytes: PackageResources.house_html, contentType: html),
        "run.html": Asset(bytes: PackageResources.run_html, contentType: html),
        "dashboard.css": Asset(bytes: PackageResources.dashboard_css, contentType: "text/css; charset=utf-8"),
        "session.js": Asset(bytes: PackageResources.session_js, contentType: javaScript),
        "houses.js": Asset(bytes: PackageResources.houses_js, contentType: javaScript),
        "house.js": Asset(bytes: PackageResources.house_js, contentType: javaScript),
        "run.js": Asset(bytes: PackageResources.run_js, contentType: javaScript),
    ]

    private static let html = "text/html; charset=utf-8"
    private static let javaScript = "text/javascript; charset=utf-8"
}
