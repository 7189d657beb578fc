// libFuzzer entry point for the scenario loader and validator.
//
// Every input must end in one of two ways: a list of diagnostics that each
// point at a line and column, or a scenario whose rendering loads back to
// the same rendering and whose rate schedule is sane. Anything else (a
// crash, a hang, a failed check below) is a bug for libFuzzer to report.
import Scenario

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenario(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: start, count: count)
    let text = String(decoding: bytes, as: UTF8.self)
    do {
        let scenario = try Scenario.parse(yaml: text, file: "fuzz.yaml")
        let rendered = scenario.resolvedYAML
        let again: Scenario
        do {
            again = try Scenario.parse(yaml: rendered, file: "rendered.yaml")
        } catch {
            fatalError("a valid scenario rendered to YAML that does not load:\n\(error)\n---\n\(rendered)")
        }
        precondition(again.resolvedYAML == rendered, "rendering is not stable:\n\(rendered)\n---\n\(again.resolvedYAML)")
        let schedule = scenario.rateSchedule
        precondition(schedule.totalCount.isFinite && schedule.totalCount >= 1, "a valid scenario sends nothing")
        precondition(schedule.intendedTime(ofSend: 0) != nil, "no time for the first send")
        let last = schedule.sendCount - 1
        if let time = schedule.intendedTime(ofSend: last) {
            precondition(time <= schedule.duration + 1e-6, "the last send is due after the run ends")
        }
        _ = scenario.summary
    } catch {
        precondition(!error.diagnostics.isEmpty, "an invalid scenario without diagnostics")
        for diagnostic in error.diagnostics {
            precondition(diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "diagnostic without a place: \(diagnostic)")
            precondition(!diagnostic.message.isEmpty && !diagnostic.message.contains("\n"), "bad message: \(diagnostic)")
        }
    }
    return 0
}
