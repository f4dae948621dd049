public import Foundation

/// Text and metadata from the two ZIP-of-XML word-processing formats: Word's DOCX (Office Open
/// XML, `word/document.xml` + `docProps/core.xml`) and OpenDocument's ODT (`content.xml` + `meta.xml`).
/// The file's creation and modification dates go to `metadata` (`created`, `modified`), never among
/// the dates the text mentions: they are often a template's, years older than the text.
public enum OfficeDocumentText {
    /// A DOCX document's paragraphs (tables and lists included) and core properties.
    public static func docx(_ bytes: Data, limits: ArchiveLimits = .standard) throws(ExtractionError) -> DocumentContent
    {
        let package = try ZipPackage(bytes, format: "DOCX", limits: limits)
        guard let body = try package.read("word/document.xml") else {
            throw .malformed(format: "DOCX", detail: "word/document.xml is missing")
        }
        let text = paragraphs(
            in: body, paragraph: ["w:p"], text: ["w:t"], tab: ["w:tab"], lineBreak: ["w:br", "w:cr"],
            skip: ["w:instrText", "w:delText"])
        var content = DocumentContent(text: text)
        if let core = try package.read("docProps/core.xml") {
            let properties = leafValues(in: core)
            content.title = PropertyTitle.clean(properties["dc:title"])
            content.author = nonEmpty(properties["dc:creator"])
            content.metadata["created"] = nonEmpty(properties["dcterms:created"])
            content.metadata["modified"] = nonEmpty(properties["dcterms:modified"])
            content.metadata["last_modified_by"] = nonEmpty(properties["cp:lastModifiedBy"])
            content.metadata["subject"] = nonEmpty(properties["dc:subject"])
            content.metadata["keywords"] = nonEmpty(properties["cp:keywords"])
        }
        if content.title == nil {
            content.title = OfficeHeadings.docxTitle(body: body, styles: try package.read("word/styles.xml"))
        }
        return content
    }

    /// An ODT document's headings and paragraphs and its meta.xml properties.
    public static func odt(_ bytes: Data, limits: ArchiveLimits = .standard) throws(ExtractionError) -> DocumentContent
    {
        let package = try ZipPackage(bytes, format: "ODT", limits: limits)
        guard let body = try package.read("content.xml") else {
            throw .malformed(format: "ODT", detail: "content.xml is missing")
        }
        let text = paragraphs(
            in: body, paragraph: ["text:p", "text:h"], text: [], tab: ["text:tab"], lineBreak: ["text:line-break"],
            skip: ["text:note-citation", "office:annotation"], spaces: "text:s")
        var content = DocumentContent(text: text)
        if let meta = try package.read("meta.xml") {
            let properties = leafValues(in: meta)
            content.title = PropertyTitle.clean(properties["dc:title"])
            content.author = nonEmpty(properties["meta:initial-creator"]) ?? nonEmpty(properties["dc:creator"])
            content.metadata["created"] = nonEmpty(properties["meta:creation-date"])
            content.metadata["modified"] = nonEmpty(properties["dc:date"])
            content.metadata["subject"] = nonEmpty(properties["dc:subject"])
            content.metadata["keywords"] = nonEmpty(properties["meta:keyword"])
        }
        if content.title == nil { content.title = OfficeHeadings.odtTitle(content: body) }
        return content
    }

    /// Collects text per paragraph element. `text` lists the elements whose character data is
    /// document text (empty: all character data inside a paragraph is); paragraphs are separated
    /// by blank lines as everywhere else in docpipe.
    static func paragraphs(
        in xml: Data, paragraph: Set<String>, text: Set<String>, tab: Set<String>, lineBreak: Set<String>,
        skip: Set<String>, spaces: String? = nil
    ) -> String {
        var paragraphs: [String] = []
        var current = ""
        var depth = 0
        var inText = 0
        var skipping = 0
        XMLScanner.scan([UInt8](xml)) { event in
            switch event {
            case .start(let name, let attributes, _):
                if paragraph.contains(name) {
                    // A nested paragraph (a text box, a footnote) is flushed on its own.
                    if depth > 0, !current.isEmpty {
                        paragraphs.append(current)
                        current = ""
                    }
                    depth += 1
                } else if skip.contains(name) {
                    skipping += 1 // the scanner sends an end for a self-closing tag too
                } else if text.contains(name) {
                    inText += 1
                } else if tab.contains(name) {
                    current += "\t"
                } else if lineBreak.contains(name) {
                    current += "\n"
                } else if name == spaces {
                    current += String(repeating: " ", count: min(Int(attributes["text:c"] ?? "1") ?? 1, 100))
                }
            case .end(let name):
                if paragraph.contains(name) {
                    depth = max(0, depth - 1)
                    let trimmed = current.trimmingSpaces()
                    if !trimmed.isEmpty { paragraphs.append(trimmed) }
                    current = ""
                } else if skip.contains(name) {
                    skipping = max(0, skipping - 1)
                } else if text.contains(name) {
                    inText = max(0, inText - 1)
                }
            case .text(let value):
                if depth > 0, skipping == 0, text.isEmpty || inText > 0 { current += value }
            }
        }
        return paragraphs.joined(separator: "\n\n")
    }

    /// Every element that holds only text, by qualified name (first occurrence wins).
    static func leafValues(in xml: Data) -> [String: String] {
        var values: [String: String] = [:]
        var stack: [(name: String, text: String)] = []
        XMLScanner.scan([UInt8](xml)) { event in
            switch event {
            case .start(let name, _, _): stack.append((name, ""))
            case .text(let value): if !stack.isEmpty { stack[stack.count - 1].text += value }
            case .end(let name):
                guard let last = stack.popLast(), last.name == name else { return }
                if values[name] == nil { values[name] = last.text.trimmingCharacters(in: .whitespacesAndNewlines) }
            }
        }
        return values
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
