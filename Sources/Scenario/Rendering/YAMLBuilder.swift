import Yams

/// Small constructors for the YAML that ``Scenario/resolvedYAML`` writes.
///
/// Free text is quoted when YAML would otherwise read it as something else
/// (`null`, `~`, blank, leading spaces), so that the rendered file reads
/// back to the same strings.
enum YAMLBuilder {
    static func mapping(_ pairs: [(String, Node)], flow: Bool = false) -> Node {
        .mapping(Node.Mapping(pairs.map { (Node($0.0), $0.1) }, .implicit, flow ? .flow : .block))
    }

    static func sequence(_ nodes: [Node], flow: Bool = false) -> Node {
        .sequence(Node.Sequence(nodes, .implicit, flow ? .flow : .block))
    }
}

extension Node {
    /// A scalar the parser reads by its form (numbers, durations, rates,
    /// enumeration values), written plainly.
    static func plain(_ text: String) -> Node {
        Node(text, .implicit, .plain)
    }

    static func bool(_ value: Bool) -> Node {
        plain(value ? "true" : "false")
    }

    /// Free text; quoted when asked, and whenever a plain scalar would not
    /// read back as the same text.
    static func text(_ text: String, quoted: Bool = false) -> Node {
        let ambiguous = ["", "~", "null", "Null", "NULL"].contains(text)
            || text.first?.isWhitespace == true || text.last?.isWhitespace == true
        if text.contains("\n"), !ambiguous {
            return Node(text, .implicit, .literal)
        }
        return Node(text, .implicit, quoted || ambiguous ? .doubleQuoted : .any)
    }
}
