import Foundation

/// One tab of ``HeadlessChromium``, sized like a phone, with the few things
/// a test does to a page: open a URL, run JavaScript, wait for something to
/// be true, click, and take a screenshot.
struct BrowserPage: Sendable {
    let browser: HeadlessChromium
    let session: String

    /// A new tab, `width` CSS pixels wide (375: a phone).
    static func open(in browser: HeadlessChromium, width: Int = 375, height: Int = 812) async throws -> BrowserPage {
        let target = try await browser.send("Target.createTarget", ["url": "about:blank"])
        guard let targetID = target["targetId"] as? String else { throw HeadlessChromium.ProtocolError(description: "no targetId") }
        let attached = try await browser.send("Target.attachToTarget", ["targetId": targetID, "flatten": true])
        guard let session = attached["sessionId"] as? String else { throw HeadlessChromium.ProtocolError(description: "no sessionId") }
        let page = BrowserPage(browser: browser, session: session)
        _ = try await browser.send("Page.enable", session: session)
        _ = try await browser.send("Runtime.enable", session: session)
        _ = try await browser.send("Emulation.setDeviceMetricsOverride",
                                   ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": true], session: session)
        return page
    }

    func navigate(_ url: String) async throws {
        _ = try await browser.send("Page.navigate", ["url": url], session: session)
    }

    /// The value of a JavaScript expression (promises are awaited); JSON
    /// types come back as Foundation values.
    func evaluate(_ expression: String) async throws -> Any? {
        let result = try await browser.send("Runtime.evaluate", [
            "expression": expression, "awaitPromise": true, "returnByValue": true,
        ], session: session)
        if let exception = result["exceptionDetails"] as? [String: Any] {
            let text = (exception["exception"] as? [String: Any])?["description"] as? String ?? "\(exception)"
            throw HeadlessChromium.ProtocolError(description: "\(expression): \(text)")
        }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// Waits until `expression` is truthy; how long it took, in seconds.
    /// Polls every 50 ms, so the time is exact to that.
    @discardableResult
    func waitUntil(_ expression: String, timeout: Double, _ what: String) async throws -> Double {
        let start = Date()
        while true {
            if let value = try? await evaluate("Boolean(\(expression))") as? Bool, value { return Date().timeIntervalSince(start) }
            if Date().timeIntervalSince(start) > timeout {
                let body = (try? await evaluate("location.href + ' ' + document.documentElement.outerHTML") as? String) ?? ""
                throw HeadlessChromium.ProtocolError(description: """
                    waited \(timeout) s for \(what) (\(expression)); page errors: \(browser.errorsSeen); page: \(body.prefix(1500))
                    """)
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
    }

    /// Clicks the first element matching `selector`, as a user's tap does.
    func click(_ selector: String) async throws {
        let clicked = try await evaluate("""
            (() => { const node = document.querySelector(\(Self.quoted(selector))); if (!node) return false; node.click(); return true; })()
            """) as? Bool
        guard clicked == true else { throw HeadlessChromium.ProtocolError(description: "nothing to click at \(selector)") }
    }

    /// Types into an input by setting its value.
    func fill(_ selector: String, _ text: String) async throws {
        _ = try await evaluate("document.querySelector(\(Self.quoted(selector))).value = \(Self.quoted(text))")
    }

    /// A PNG of the whole page, written to `path`.
    func screenshot(to path: String) async throws {
        let result = try await browser.send("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true], session: session)
        guard let base64 = result["data"] as? String, let png = Data(base64Encoded: base64) else {
            throw HeadlessChromium.ProtocolError(description: "no screenshot data")
        }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try png.write(to: URL(fileURLWithPath: path))
    }

    /// `text` as a JavaScript string literal.
    static func quoted(_ text: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [text])
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
}
