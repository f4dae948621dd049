import Foundation
import Testing

/// `docs/ARCHITECTURE.md` is the map a newcomer reads first, so it must name exactly the targets
/// `Package.swift` declares; and no test may reach into the `docpipe` executable.
struct ArchitectureDocTests {
    static let root = TestPaths.repoRoot

    @Test func theTargetsTableNamesEveryTargetAndNothingElse() throws {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/ARCHITECTURE.md"), encoding: .utf8)
        let declared = Self.declaredTargets(manifest)
        let documented = Self.documentedTargets(doc)
        #expect(declared.count > 20, "the manifest reader found only \(declared.sorted())")
        #expect(
            declared.subtracting(documented).isEmpty,
            "targets missing from docs/ARCHITECTURE.md: \(declared.subtracting(documented).sorted())")
        #expect(
            documented.subtracting(declared).isEmpty,
            "docs/ARCHITECTURE.md names targets Package.swift lacks: \(documented.subtracting(declared).sorted())")
    }

    @Test func noTestImportsTheExecutable() throws {
        let tests = Self.root.appendingPathComponent("Tests")
        let files =
            FileManager.default.enumerator(at: tests, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(files.count > 50)
        let needle = "@testable import " + "docpipe\n"
        let offenders = try files.filter { try String(contentsOf: $0, encoding: .utf8).contains(needle) }
        #expect(offenders.isEmpty, "\(offenders.map(\.lastPathComponent))")
    }

    /// Every `name: "…"` of a `.target`, `.executableTarget`, `.testTarget` or `.systemLibrary`, and the
    /// `plugin("NAME", …)` calls, which make `docpipe-NAME`.
    static func declaredTargets(_ manifest: String) -> Set<String> {
        var names: Set<String> = []
        let kinds = [".target(", ".executableTarget(", ".testTarget(", ".systemLibrary("]
        for kind in kinds {
            var rest = manifest[...]
            while let start = rest.range(of: kind) {
                rest = rest[start.upperBound...]
                // The plugin(...) helper's own `name: "docpipe-\(name)"` is a template, not a target.
                if let name = Self.firstQuoted(after: "name:", in: rest), !name.contains("\\(") { names.insert(name) }
            }
        }
        var rest = manifest[...]
        while let start = rest.range(of: "\n        plugin(\"") {
            rest = rest[start.upperBound...]
            if let end = rest.firstIndex(of: "\"") { names.insert("docpipe-" + rest[..<end]) }
        }
        return names
    }

    /// The first column of the table under "## Targets", without its backticks.
    static func documentedTargets(_ doc: String) -> Set<String> {
        guard let section = doc.range(of: "\n## Targets\n") else { return [] }
        var names: Set<String> = []
        for line in doc[section.upperBound...].split(separator: "\n") {
            if line.hasPrefix("## ") { break }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false)
            guard cells.count > 2 else { continue }
            let cell = cells[1].trimmingCharacters(in: .whitespaces)
            guard cell.hasPrefix("`"), cell.hasSuffix("`"), cell.count > 2 else { continue }
            names.insert(String(cell.dropFirst().dropLast()))
        }
        return names
    }

    private static func firstQuoted(after label: String, in text: Substring) -> String? {
        guard let labelRange = text.range(of: label),
            text.distance(from: text.startIndex, to: labelRange.lowerBound) < 40,
            let open = text[labelRange.upperBound...].firstIndex(of: "\"")
        else { return nil }
        let afterOpen = text.index(after: open)
        guard let close = text[afterOpen...].firstIndex(of: "\"") else { return nil }
        return String(text[afterOpen..<close])
    }
}
