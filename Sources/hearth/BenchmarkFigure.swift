import Foundation

/// One line of a benchmark's output: hearth's figure next to the reference
/// measured in the same run, and their ratio. Noisy shared machines make an
/// absolute number meaningless on its own; the ratio is what BENCHMARKS.md and
/// the issue targets talk about.
struct BenchmarkFigure: Sendable {
    var name: String
    var unit: String
    var hearth: Double
    var reference: Double
    var referenceName: String
    /// The target ratio from the issue, e.g. 0.7 for "≥ 70% of the reference".
    var target: Double

    var ratio: Double { reference > 0 ? hearth / reference : 0 }
    var meetsTarget: Bool { ratio >= target }

    var line: String {
        func fmt(_ v: Double) -> String { v >= 100 ? String(Int(v.rounded())) : String(format: "%.2f", v) }
        let pct = String(format: "%.0f%%", ratio * 100)
        let verdict = meetsTarget ? "ok" : "BELOW TARGET"
        return "\(name): hearth \(fmt(hearth)) \(unit), \(referenceName) \(fmt(reference)) \(unit), ratio \(pct) (target ≥ \(Int(target * 100))%) \(verdict)"
    }
}
