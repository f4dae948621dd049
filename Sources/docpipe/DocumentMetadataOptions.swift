import ArgumentParser
import DocProtocol
import Foundation

/// `--language` and `--meta`: what the submitter knows about the documents, sent as their `metadata`.
///
/// Stages read these pairs: the extractor takes `language` as the language to OCR scans and images in
/// (ISO 639-1, or several: `de,en`), which spares it a first pass in English on documents known to be in
/// another language; any other pair is kept in the store with the document.
struct DocumentMetadataOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "The documents' language (ISO 639-1, e.g. de, or several: de,en): OCR reads scans and images in it.")
    var language: String?

    @Option(
        name: .long, help: "A KEY=VALUE pair to store with every document (repeatable), e.g. --meta source=Reuters.")
    var meta: [String] = []

    func validate() throws { _ = try Self.metadata(language: language, pairs: meta) }

    /// The metadata every document gets.
    var metadata: [String: String] { (try? Self.metadata(language: language, pairs: meta)) ?? [:] }

    /// Checks and merges the options; `--language` wins over a `--meta language=…`.
    static func metadata(language: String?, pairs: [String]) throws(ValidationError) -> [String: String] {
        var metadata: [String: String] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("--meta wants KEY=VALUE, got '\(pair)'")
            }
            metadata[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        if let language {
            guard LanguageHint.isValid(language) else {
                throw ValidationError(
                    "--language wants ISO 639-1 codes such as de or de,en (Tesseract names such as deu work too), "
                        + "got '\(language)'")
            }
            metadata[LanguageHint.key] = language
        }
        return metadata
    }
}

extension DocumentFiles {
    /// The inputs with `metadata` added to each document's own.
    static func tagged(_ inputs: [Input], with metadata: [String: String]) -> [Input] {
        guard !metadata.isEmpty else { return inputs }
        return inputs.map { input in
            var input = input
            input.document.metadata.merge(metadata) { _, given in given }
            return input
        }
    }
}
