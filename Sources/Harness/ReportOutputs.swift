import Foundation
import Reports
import Scenario

/// Writes a run's reports where the scenario's `outputs:` says, one folder
/// per run as Reports/README.md describes: `<directory>/<scenario>-<UTC
/// start time>/` with `report.json`, `report.html` and `junit.xml`, each only
/// if its format is listed.
public enum ReportOutputs {
    /// The run's folder, e.g. `Reports/ci-gate-20260101T120000Z`.
    public static func folder(for report: RunReport, outputs: OutputSettings) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        var name = "\(report.scenario.name)-\(formatter.string(from: report.run.startedAt))"
        if let shard = report.run.shard { name += "-shard-" + shard.replacingOccurrences(of: "/", with: "-of-") }
        return (outputs.directory as NSString).appendingPathComponent(name)
    }

    /// Writes the listed formats; returns the paths written, in the order listed.
    @discardableResult
    public static func write(_ report: RunReport, outputs: OutputSettings) throws(ReportError) -> [String] {
        let folder = folder(for: report, outputs: outputs)
        var written: [String] = []
        for format in outputs.formats {
            switch format {
            case .json:
                let path = folder + "/report.json"
                try report.writeJSON(to: path)
                written.append(path)
            case .html:
                let path = folder + "/report.html"
                try HTMLReport.write(report, to: path)
                written.append(path)
            case .junit:
                let path = folder + "/junit.xml"
                try JUnitReport.write(report, to: path)
                written.append(path)
            }
        }
        return written
    }
}
