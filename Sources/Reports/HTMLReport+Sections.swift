/// The sections of `report.html`, each a `<section>` with a heading, so a
/// screen reader can jump between them.
extension HTMLReport {
    static func gateSection(_ report: RunReport) -> String {
        var html = #"<section id="gates"><h2>Gates</h2>"# + "\n"
        guard !report.gates.isEmpty else {
            return html + "<p>The scenario sets no gates, so nothing was judged.</p></section>\n"
        }
        let failed = report.gates.filter { !$0.passed }.count
        html += "<p>\(report.gates.count - failed) of \(report.gates.count) gates held.</p>\n"
        html += table(
            caption: "Each gate: what the scenario demands and what the run measured",
            header: ["Gate", "Threshold", "Observed", "Result"],
            rows: report.gates.map { gate in
                let result = gate.passed ? "✔ PASSED" : "✘ FAILED"
                var observed = escape(gate.observedText)
                if let note = gate.note { observed += #"<br><span class="note">\#(escape(note))</span>"# }
                return [escape(gate.metric + (gate.stage.map { " (stage \($0))" } ?? "")), escape(gate.threshold), observed,
                        #"<span class="\#(gate.passed ? "pass" : "fail")">\#(result)</span>"#]
            }
        )
        return html + "</section>\n"
    }

    static func chartSection(_ charts: [ChartSpec]) -> String {
        var html = #"<section id="charts"><h2>Over time</h2>"# + "\n"
        if charts.isEmpty { html += "<p>No time series were recorded.</p>\n" }
        for chart in charts {
            html += #"<figure><canvas id="chart-\#(chart.id)" width="900" height="260" role="img" aria-label="\#(escape(chart.description))"></canvas>"#
            html += "<figcaption><strong>\(escape(chart.title))</strong>: \(escape(chart.description))</figcaption></figure>\n"
        }
        return html + "</section>\n"
    }

    static func countsSection(_ report: RunReport) -> String {
        let c = report.counts
        var rows: [[String]] = [
            ["sent", Format.count(c.sent)], ["received", Format.count(c.received)], ["stored", Format.count(c.stored)],
            ["lost", "\(Format.count(c.lost)) (\(Format.percent(c.lossFraction)))"],
            ["duplicates", Format.count(c.duplicates)], ["out of order", Format.count(c.outOfOrder)],
            ["evictions", Format.count(c.evictions)], ["dead-lettered", Format.count(c.deadLetteredTotal)],
            ["throughput (measured stages)", Format.rate(report.measuredThroughput)],
        ]
        rows += c.deadLettered.map { ["dead-lettered: \(escape($0.reason))", Format.count($0.count)] }
        var html = #"<section id="counts"><h2>Messages</h2>"# + "\n"
        html += table(caption: "Totals over the measured stages", header: ["Figure", "Value"], rows: rows)
        if !report.stages.isEmpty {
            html += table(
                caption: "Per stage",
                header: ["Stage", "Window", "Measured", "Planned", "Sent", "Stored", "Lost", "Duplicates", "Throughput"],
                rows: report.stages.map { stage in
                    [escape(stage.name), "\(Format.seconds(stage.startSeconds))–\(Format.seconds(stage.endSeconds))",
                     stage.measured ? "yes" : "no", Format.rate(stage.plannedRatePerSecond), Format.count(stage.counts.sent),
                     Format.count(stage.counts.stored), Format.count(stage.counts.lost), Format.count(stage.counts.duplicates),
                     Format.rate(stage.throughput)]
                }
            )
        }
        return html + "</section>\n"
    }

    static func latencySection(_ report: RunReport) -> String {
        var html = #"<section id="latency"><h2>Latency</h2>"# + "\n"
        guard !report.latency.isEmpty else { return html + "<p>No latency was recorded.</p></section>\n" }
        let ordered = report.latency.sorted { ($0.kind ?? "", $0.stage ?? "", $0.span.rawValue) < ($1.kind ?? "", $1.stage ?? "", $1.span.rawValue) }
        html += table(
            caption: "Percentiles per span; the end-to-end span from the intended send time is the one gates judge",
            header: ["Span", "Stage", "Kind", "Count", "p50", "p90", "p99", "p99.9", "max"],
            rows: ordered.map { record in
                let s = record.summary
                return [escape(record.span.label), escape(record.stage ?? "measured"), escape(record.kind ?? "all"), Format.count(s.count),
                        Format.milliseconds(s.p50Ms), Format.milliseconds(s.p90Ms), Format.milliseconds(s.p99Ms),
                        Format.milliseconds(s.p999Ms), Format.milliseconds(s.maxMs)]
            }
        )
        return html + "</section>\n"
    }

    static func alarmSection(_ report: RunReport) -> String {
        let alarms = report.alarms
        var html = #"<section id="alarms"><h2>Alarms</h2>"# + "\n"
        let latencies = [("alarm reading → MQTT alarm message", alarms.toMQTT), ("alarm reading → PostgreSQL alarm row", alarms.toPostgres)]
            .compactMap { name, record in record.map { (name, $0.summary) } }
        if !latencies.isEmpty {
            html += table(caption: "Alarm latency", header: ["Path", "Count", "p50", "p99", "max"], rows: latencies.map { name, s in
                [name, Format.count(s.count), Format.milliseconds(s.p50Ms), Format.milliseconds(s.p99Ms), Format.milliseconds(s.maxMs)]
            })
        }
        guard !alarms.timeline.isEmpty else { return html + "<p>No alarm was raised during the run.</p></section>\n" }
        let shown = alarms.timeline.prefix(500)
        html += table(
            caption: "Alarm timeline" + (alarms.timeline.count > shown.count ? " (first \(shown.count) of \(Format.count(alarms.timeline.count)))" : ""),
            header: ["Time", "House", "Sensor", "Kind", "Alarm", "State", "Set off by", "To MQTT", "To PostgreSQL"],
            rows: shown.map { entry in
                [Format.seconds(entry.t), "\(entry.house)", "\(entry.sensor)", escape(entry.kind), escape(entry.alarm), entry.state.rawValue,
                 entry.cause.map { escape($0) + (entry.sinceCauseSeconds.map { ", " + Format.seconds($0) + " before" } ?? "") } ?? "–",
                 entry.mqttMs.map(Format.milliseconds) ?? "not seen", entry.postgresMs.map(Format.milliseconds) ?? "not seen"]
            }
        )
        return html + "</section>\n"
    }

    static func lostKeysSection(_ report: RunReport) -> String {
        let lost = report.lostLatestKeys
        var html = #"<section id="lost-keys"><h2>Latest keys lost before their TTL</h2>"# + "\n"
        guard lost.total > 0 else { return html + "<p>None: every sampled latest key lived out its TTL.</p></section>\n" }
        html += "<p>\(Format.count(lost.total)) sensors had their latest value evicted while it was still fresh.</p>\n"
        html += table(caption: "Sensors whose latest key vanished early", header: ["Key", "Found missing at", "Stored before"],
                      rows: lost.sensors.prefix(100).map { [escape($0.key), Format.seconds($0.detectedAt), Format.seconds($0.storedSecondsBefore)] })
        return html + "</section>\n"
    }

    static func fernetSection(_ report: RunReport) -> String {
        guard !report.fernet.isEmpty else { return "" }
        var html = #"<section id="fernet"><h2>Fernet cost</h2>"# + "\n"
        html += table(caption: "Per sensor kind", header: ["Kind", "Messages", "Encrypt", "Decrypt", "Plaintext", "Token", "Token / plaintext"],
                      rows: report.fernet.map { cost in
                          [escape(cost.kind), Format.count(cost.messages), Format.significant(cost.encryptMicroseconds) + " µs",
                           Format.significant(cost.decryptMicroseconds) + " µs", Format.bytes(cost.plaintextBytes), Format.bytes(cost.tokenBytes),
                           Format.significant(cost.expansion) + "×"]
                      })
        return html + "</section>\n"
    }

    static func processSection(_ report: RunReport) -> String {
        guard !report.processes.isEmpty else { return "" }
        var html = #"<section id="processes"><h2>Processes</h2>"# + "\n"
        html += table(caption: "CPU in percent of one core; memory is resident set size", header: ["Process", "PID", "Mean CPU", "Peak CPU", "Peak RSS"],
                      rows: report.processes.map { process in
                          [escape(process.name), "\(process.pid)", Format.significant(process.meanCPUPercent) + "%",
                           Format.significant(process.peakCPUPercent) + "%", Format.bytes(Double(process.peakRSSBytes))]
                      })
        return html + "</section>\n"
    }

    static func scenarioSection(_ report: RunReport) -> String {
        var html = #"<section id="scenario"><h2>Scenario</h2>"# + "\n"
        if !report.scenario.summary.isEmpty { html += "<p>\(escape(report.scenario.summary))</p>\n" }
        if !report.scenario.description.isEmpty { html += "<p>\(escape(report.scenario.description))</p>\n" }
        if !report.scenario.yaml.isEmpty {
            html += "<details><summary>The scenario with every default filled in</summary><pre>\(escape(report.scenario.yaml))</pre></details>\n"
        }
        return html + "</section>\n"
    }

    /// A table whose cells are already escaped HTML.
    static func table(caption: String, header: [String], rows: [[String]]) -> String {
        var html = "<table><caption>\(escape(caption))</caption>\n<thead><tr>"
        html += header.map { #"<th scope="col">\#(escape($0))</th>"# }.joined()
        html += "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr>" + row.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        return html + "</tbody></table>\n"
    }
}
