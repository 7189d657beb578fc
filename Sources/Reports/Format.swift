import Foundation

/// How reports write numbers for people: the same units and rounding in the
/// HTML page, the terminal and JUnit messages.
public enum Format {
    /// `12,345`.
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// `0.412ms`, `12.3ms`, `1.25s`: three significant digits.
    public static func milliseconds(_ value: Double) -> String {
        if value >= 1000 { return significant(value / 1000) + "s" }
        return significant(value) + "ms"
    }

    /// `45s`, `12m 30s`, `1h 05m`.
    public static func seconds(_ value: Double) -> String {
        let total = Int(value.rounded())
        if total < 60 { return value < 10 ? significant(value) + "s" : "\(total)s" }
        if total < 3600 { return "\(total / 60)m \(String(format: "%02d", total % 60))s" }
        return "\(total / 3600)h \(String(format: "%02d", (total % 3600) / 60))m"
    }

    /// `812 B`, `3.2 MiB`, `1.5 GiB` (powers of 1024, as Redis's maxmemory).
    public static func bytes(_ value: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var scaled = value
        var unit = 0
        while abs(scaled) >= 1024, unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        return unit == 0 ? "\(Int(scaled)) B" : significant(scaled) + " " + units[unit]
    }

    /// `0.02%` from a fraction.
    public static func percent(_ fraction: Double) -> String {
        significant(fraction * 100) + "%"
    }

    /// `4,950/s`.
    public static func rate(_ perSecond: Double) -> String {
        perSecond >= 100 ? count(Int(perSecond.rounded())) + "/s" : significant(perSecond) + "/s"
    }

    /// Three significant digits without exponent or trailing zeros.
    public static func significant(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "n/a" : (value > 0 ? "∞" : "-∞") }
        if value == 0 { return "0" }
        let magnitude = Int(floor(log10(abs(value))))
        let decimals = max(0, 2 - magnitude)
        var text = String(format: "%.\(decimals)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}
