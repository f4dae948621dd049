import DocProtocol
import Foundation
import Testing

/// The Swift Codable types write the keys their schemas name, no more and no fewer, and every reason the
/// Swift code sends is in SPEC.md's reason table (generated from protocol/status_codes.json).
///
/// Keys: each golden example goes through its Swift type (decode, encode), and the encoding is walked along
/// the schema: at every object, each key written must be one of the schema's `properties`, and over all
/// examples every property must be written at least once. A property no example holds is filled in with a
/// value made from its schema first, so an optional field the Swift type drops is caught too. Where the
/// schema leaves an object open (no `properties`, e.g. StageResult `output`), the walk stops.
@Suite struct SchemaKeyTests {
    @Test func swiftTypesWriteExactlyTheSchemaProperties() throws {
        let schemas = try SchemaSet()
        var walk = KeyWalk(schemas: schemas)
        var inputs: [(file: String, name: String, value: JSONValue)] = []
        for file in ProtocolFiles.exampleNames {
            let name = ProtocolFiles.messageName(ofExample: file)
            inputs.append((file, name, try WireJSON.decode(JSONValue.self, from: ProtocolFiles.example(file))))
        }
        for input in inputs {
            try walk.roundTrip(input.value, schema: input.name, label: input.file)
        }
        // Properties no example holds: fill them into the examples whose objects lack them, and try again.
        let gaps = walk.gaps
        if !gaps.isEmpty {
            for input in inputs {
                let filled = walk.fill(
                    input.value, node: schemas.root(input.name), file: input.name, pointer: "", gaps: gaps)
                if filled != input.value {
                    try walk.roundTrip(
                        filled, schema: input.name, label: "\(input.file) with \(gaps.values.joined().sorted())")
                }
            }
        }
        for problem in walk.problems { Issue.record(Comment(rawValue: problem)) }
        for (node, missing) in walk.gaps.sorted(by: { $0.key < $1.key }) {
            Issue.record("\(node): the Swift type never writes \(missing.sorted()) (renamed or dropped?)")
        }
        #expect(walk.objectsSeen > 100, "the walk saw only \(walk.objectsSeen) objects")
    }

    /// The check above fails when a Swift key differs from its schema: a schema with one property renamed
    /// makes both of its directions complain.
    @Test func aRenamedKeyIsCaught() throws {
        var schemas = try SchemaSet()
        guard case .object(var root) = schemas.files["error_body"], case .object(var properties) = root["properties"]
        else {
            Issue.record("error_body.schema.json has no properties")
            return
        }
        properties["why"] = properties.removeValue(forKey: "reason")
        root["properties"] = .object(properties)
        schemas.files["error_body"] = .object(root)
        var walk = KeyWalk(schemas: schemas)
        try walk.roundTrip(
            try WireJSON.decode(JSONValue.self, from: ProtocolFiles.example("error_body.json")),
            schema: "error_body", label: "error_body.json")
        #expect(walk.problems.contains { $0.contains("'reason'") })
        #expect(walk.gaps["error_body#"] == ["why"])
    }

    @Test func everyReasonTheSwiftCodeSendsIsInTheSpec() throws {
        let documented = try SpecTables.reasons()
        let codes = try SpecTables.statusCodes()
        let sent = try SentReasons.collect()
        // The patterns below must keep finding what the code sends; a refactor that hides reasons from
        // them fails here rather than silently checking nothing.
        let expected: Set = [
            "busy", "shutting_down", "forbidden", "too_fast", "timeout", "worker_lost", "unreadable_document",
            "store_failed", "no_text", "bad_base64", "worker_error", "unauthorized", "bad_json",
        ]
        #expect(
            expected.isSubset(of: Set(sent.map(\.reason))), "not found: \(expected.subtracting(sent.map(\.reason)))")
        for use in sent {
            guard let statuses = documented[use.reason] else {
                Issue.record("\(use.file) sends reason '\(use.reason)', which SPEC.md's reason table lacks")
                continue
            }
            if let status = use.status {
                #expect(
                    statuses.contains(status),
                    "\(use.file) sends '\(use.reason)' with \(status); the SPEC says \(statuses)")
            }
        }
        for literal in try SentReasons.statusLiterals() {
            #expect(
                codes.contains(literal.code),
                "\(literal.file) uses StatusCode(\(literal.code)), not in SPEC's status table")
        }
    }

    @Test func specTablesMatchTheSwiftConstants() throws {
        let documented = try SpecTables.reasons()
        #expect(Set(documented.keys) == Set(StatusCode.documentedReasons.keys))
        for (reason, statuses) in StatusCode.documentedReasons {
            #expect(documented[reason] == statuses.map(\.rawValue), "\(reason)")
        }
        #expect(try SpecTables.statusCodes().isSuperset(of: [200, 202, 207, 400, 403, 404, 413, 422, 500, 503, 504]))
    }
}

/// The schemas of protocol/schemas as JSON, with `$ref` resolution.
struct SchemaSet {
    var files: [String: JSONValue] = [:]

    init() throws {
        for name in ProtocolFiles.schemaNames {
            let url = ProtocolFiles.schemasDir.appendingPathComponent("\(name).schema.json")
            files[name] = try WireJSON.decode(JSONValue.self, from: Data(contentsOf: url))
        }
    }

    func root(_ name: String) -> JSONValue { files[name] ?? .null }

    /// Follows `$ref`s: `#/$defs/x` within `file`, `other.schema.json` to another file. Returns the node, its
    /// file and its JSON pointer, which together name the node in messages and in the coverage count.
    func resolve(_ node: JSONValue, file: String, pointer: String) -> (node: JSONValue, file: String, pointer: String) {
        var (node, file, pointer) = (node, file, pointer)
        while let ref = node["$ref"]?.stringValue {
            if ref.hasPrefix("#/") {
                pointer = String(ref.dropFirst())
                node = pointer.split(separator: "/").reduce(root(file)) { $0[String($1)] ?? .null }
            } else {
                file = String(ref.prefix { $0 != "#" }.dropLast(".schema.json".count))
                (node, pointer) = (root(file), "")
            }
        }
        return (node, file, pointer)
    }

    /// The branch of a `oneOf` a value takes: the first whose `const` properties it matches, else the first
    /// without any; the node itself when it has no `oneOf`.
    func branch(of node: JSONValue, for value: JSONValue, pointer: String) -> (node: JSONValue, pointer: String) {
        guard let branches = node["oneOf"]?.arrayValue else { return (node, pointer) }
        func consts(_ branch: JSONValue) -> [(String, JSONValue)] {
            (branch["properties"]?.objectValue ?? [:]).compactMap { key, prop in prop["const"].map { (key, $0) } }
        }
        let index =
            branches.indices.first { i in
                let pinned = consts(branches[i])
                return !pinned.isEmpty && pinned.allSatisfy { value[$0.0] == $0.1 }
            } ?? branches.indices.first { consts(branches[$0]).isEmpty } ?? 0
        return (branches[index], "\(pointer)/oneOf/\(index)")
    }
}

/// Walks encoded messages along their schemas, recording keys the schema lacks and properties never written.
struct KeyWalk {
    let schemas: SchemaSet
    var problems: [String] = []
    /// "file#pointer" → (the schema's properties there, the keys the Swift types wrote there).
    var coverage: [String: (properties: Set<String>, written: Set<String>)] = [:]
    var objectsSeen = 0

    init(schemas: SchemaSet) { self.schemas = schemas }

    /// Properties never written so far, by node.
    var gaps: [String: Set<String>] {
        coverage.compactMapValues { entry in
            let missing = entry.properties.subtracting(entry.written)
            return missing.isEmpty ? nil : missing
        }
    }

    mutating func roundTrip(_ value: JSONValue, schema: String, label: String) throws {
        guard let codec = MessageCodec.all[schema] else {
            problems.append("\(label): no Swift type registered for \(schema).schema.json")
            return
        }
        let encoded: Data
        do {
            encoded = try codec.roundTrip(try WireJSON.encode(value))
        } catch {
            problems.append("\(label): \(codec.typeName) does not decode it: \(error)")
            return
        }
        visit(
            try WireJSON.decode(JSONValue.self, from: encoded), node: schemas.root(schema), file: schema, pointer: "",
            path: label + ":")
    }

    mutating func visit(_ value: JSONValue, node: JSONValue, file: String, pointer: String, path: String) {
        let (resolved, file, at) = schemas.resolve(node, file: file, pointer: pointer)
        switch value {
        case .object(let members):
            let (branch, branchPointer) = schemas.branch(of: resolved, for: value, pointer: at)
            guard let properties = branch["properties"]?.objectValue else { return }
            objectsSeen += 1
            let id = "\(file)#\(branchPointer)"
            coverage[id, default: (Set(properties.keys), [])].written.formUnion(members.keys)
            for (key, member) in members {
                guard let property = properties[key] else {
                    problems.append("\(path) the Swift type writes '\(key)', which \(id) does not have")
                    continue
                }
                visit(
                    member, node: property, file: file, pointer: "\(branchPointer)/properties/\(key)",
                    path: "\(path).\(key)")
            }
        case .array(let items):
            guard let itemNode = resolved["items"] else { return }
            for (i, item) in items.enumerated() {
                visit(item, node: itemNode, file: file, pointer: "\(at)/items", path: "\(path).\(i)")
            }
        default:
            return
        }
    }

    /// `value` with the properties of `gaps` added wherever an object of such a node lacks them.
    func fill(_ value: JSONValue, node: JSONValue, file: String, pointer: String, gaps: [String: Set<String>])
        -> JSONValue
    {
        let (resolved, file, at) = schemas.resolve(node, file: file, pointer: pointer)
        switch value {
        case .object(var members):
            let (branch, branchPointer) = schemas.branch(of: resolved, for: value, pointer: at)
            guard let properties = branch["properties"]?.objectValue else { return value }
            for (key, member) in members {
                if let property = properties[key] {
                    members[key] = fill(
                        member, node: property, file: file, pointer: "\(branchPointer)/properties/\(key)", gaps: gaps)
                }
            }
            for key in gaps["\(file)#\(branchPointer)"] ?? [] where members[key] == nil {
                members[key] = example(of: properties[key] ?? .null, file: file)
            }
            return .object(members)
        case .array(let items):
            guard let itemNode = resolved["items"] else { return value }
            return .array(items.map { fill($0, node: itemNode, file: file, pointer: "\(at)/items", gaps: gaps) })
        default:
            return value
        }
    }

    /// A plausible value for a schema node: its const or first enum value, else one of its type.
    func example(of node: JSONValue, file: String, depth: Int = 0) -> JSONValue {
        let (node, file, _) = schemas.resolve(node, file: file, pointer: "")
        if let value = node["const"] { return value }
        if let first = node["enum"]?.arrayValue?.first { return first }
        if let first = node["oneOf"]?.arrayValue?.first { return example(of: first, file: file, depth: depth + 1) }
        let type =
            node["type"]?.stringValue ?? node["type"]?.arrayValue?.compactMap(\.stringValue).first { $0 != "null" }
        switch type {
        case "string": return "ab"
        case "integer": return .number(max(node["minimum"]?.doubleValue ?? 1, 1))
        case "number": return 1.5
        case "boolean": return true
        case "array":
            return depth > 4 ? [] : .array([example(of: node["items"] ?? .null, file: file, depth: depth + 1)])
        case "object":
            let properties = node["properties"]?.objectValue ?? [:]
            return .object(depth > 4 ? [:] : properties.mapValues { example(of: $0, file: file, depth: depth + 1) })
        default: return .null
        }
    }
}

/// SPEC.md's generated tables.
enum SpecTables {
    static func spec() throws -> String {
        try String(contentsOf: ProtocolFiles.protocolDir.appendingPathComponent("SPEC.md"), encoding: .utf8)
    }

    /// Reason → its statuses, from the rows `| \`reason\` | 400, 503 | ...` of the reason table.
    static func reasons() throws -> [String: [Int]] {
        let spec = try spec()
        guard let start = spec.range(of: "| reason | status | sent by | meaning |") else { return [:] }
        var reasons: [String: [Int]] = [:]
        for line in spec[start.upperBound...].split(separator: "\n") {
            guard line.hasPrefix("| `") else { if line.hasPrefix("<!--") { break } else { continue } }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2 else { continue }
            reasons[cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] =
                cells[1].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }
        return reasons
    }

    /// The codes of the status table's rows `| 200 | ok | ... |`.
    static func statusCodes() throws -> Set<Int> {
        let spec = try spec()
        guard let start = spec.range(of: "| code | name | used for |") else { return [] }
        return Set(
            spec[start.upperBound...].split(separator: "\n").prefix { $0.hasPrefix("|") }.compactMap { line in
                Int(line.split(separator: "|").first?.trimmingCharacters(in: .whitespaces) ?? "")
            })
    }
}

/// The reasons the Swift code sends, found by the patterns it builds them with.
enum SentReasons {
    struct Use {
        let reason: String
        let status: Int?
        let file: String
    }

    static let folders = ["Sources", "plugins", "protocol/swift"]

    /// `ErrorReply(status: .busy, reason: "busy"`, `ErrorBody(code: .internalError, reason: "…"`,
    /// `StageFailure(.unprocessable, reason: "…"` (group 1: the status, group 2: the reason); the router's
    /// `busy("counter", reason: "…"` and its default `reason: String = "busy"`; the gateway's
    /// `problem(.forbidden, "forbidden"` (an HTTP status, not checked); and the extractor's
    /// `static func reason(_ error:)`, whose string literals are reasons.
    static let constructions = [
        #"(?:ErrorReply|ErrorBody)\(\s*(?:status|code):\s*([^,]+),\s*reason:\s*"([^"\\]+)""#,
        #"StageFailure\(\s*([^,]+),\s*reason:\s*"([^"\\]+)""#,
        #"()\bbusy\("[^"]*",\s*reason:\s*"([^"\\]+)""#,
        #"()\breason: String = "([^"\\]+)""#,
        #"()\bproblem\(\s*\.[^"]*?,\s*"([^"\\]+)""#,
    ]

    static func collect() throws -> [Use] {
        let constants = try namedCodes()
        var uses: [Use] = []
        for (file, text) in try swiftFiles() {
            for pattern in constructions {
                for groups in matches(pattern, in: text) {
                    uses.append(Use(reason: groups[1], status: status(groups[0], constants), file: file))
                }
            }
            for body in matches(#"func reason\([^)]*\)[^{]*\{([\s\S]*?)\n    \}"#, in: text) {
                for literal in matches(#""([a-z][a-z0-9_]*)""#, in: body[0]) {
                    uses.append(Use(reason: literal[0], status: nil, file: file))
                }
            }
        }
        return uses
    }

    static func statusLiterals() throws -> [(code: Int, file: String)] {
        try swiftFiles().flatMap { file, text in
            matches(#"StatusCode\((\d+)\)"#, in: text).compactMap { Int($0[0]).map { ($0, file) } }
        }
    }

    /// `.busy` → 503, from the generated constants; `StatusCode(504)` → 504; anything else unknown (nil).
    static func status(_ expression: String, _ constants: [String: Int]) -> Int? {
        let expression = expression.trimmingCharacters(in: .whitespacesAndNewlines)
        if expression.hasPrefix("."), let code = constants[String(expression.dropFirst())] { return code }
        if let literal = matches(#"^StatusCode\((\d+)\)$"#, in: expression).first { return Int(literal[0]) }
        return nil
    }

    static func namedCodes() throws -> [String: Int] {
        let url = ProtocolFiles.protocolDir.appendingPathComponent("swift/StatusCode+Generated.swift")
        let text = try String(contentsOf: url, encoding: .utf8)
        return Dictionary(
            matches(#"static let (\w+) = StatusCode\((\d+)\)"#, in: text).map { ($0[0], Int($0[1]) ?? 0) },
            uniquingKeysWith: { first, _ in first })
    }

    static func swiftFiles() throws -> [(String, String)] {
        var files: [(String, String)] = []
        for folder in folders {
            let base = ProtocolFiles.root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(atPath: base.path) else { continue }
            for case let path as String in walker where path.hasSuffix(".swift") {
                let text = try String(contentsOf: base.appendingPathComponent(path), encoding: .utf8)
                files.append(("\(folder)/\(path)", text))
            }
        }
        return files
    }

    /// The capture groups of every match of `pattern` in `text`.
    static func matches(_ pattern: String, in text: String) -> [[String]] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).map { match in
            (1..<match.numberOfRanges).map { i in
                Range(match.range(at: i), in: text).map { String(text[$0]) } ?? ""
            }
        }
    }
}
