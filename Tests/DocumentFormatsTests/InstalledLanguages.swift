import DocumentFormats
import Foundation
import TextAnalysis
import WorkerKit

/// The language identifier the extractor worker builds, found the way it finds it: the profiles `make test`
/// installs next to the test executable (or `$DOCPIPE_LANGID_PROFILES`), else the function-word fallback.
let installedLanguages = LanguageIdentifier(
    table: InstalledModelFile.locate(
        NGramTableFile.fileName, environmentVariable: NGramTableFile.environmentVariable),
    profiles: InstalledModelFile.locate(
        NGramProfileFile.fileName, environmentVariable: NGramProfileFile.environmentVariable))

/// The person-name lists the extractor worker loads, found the same way (`$DOCPIPE_PERSON_NAMES` or beside the
/// test executable, where `make test` installs them), else none.
let installedPersonNames = PersonNames(
    located: InstalledModelFile.locate(PersonNames.fileName, environmentVariable: PersonNames.environmentVariable))

// The tests read documents as the extractor worker does, with the identifier above; these overloads keep
// the many calls short. Code outside the tests has no such default: it hands in the identifier it built.
extension DocumentExtractor {
    static func extract(
        bytes: Data, name: String?, contentTypeHint: String?, contentHash: String, limits: ArchiveLimits = .standard
    ) throws(ExtractionError) -> Extraction {
        try extract(
            bytes: bytes, name: name, contentTypeHint: contentTypeHint, contentHash: contentHash, limits: limits,
            languages: installedLanguages, names: installedPersonNames)
    }

    static func analyze(
        _ content: DocumentContent, kind: ContentKind, contentHash: String
    ) throws(ExtractionError) -> Extraction {
        try analyze(
            content, kind: kind, contentHash: contentHash, languages: installedLanguages, names: installedPersonNames)
    }
}
