import Foundation
import TextAnalysis
import WorkerKit

/// The language profiles `docpipe language` uses: the extractor worker's, found the same way (next to the
/// executables, or `$DOCPIPE_LANGID_PROFILES`), so the command answers what the pipeline would.
enum LanguageProfiles {
    static func identifier() -> LanguageIdentifier {
        LanguageIdentifier(
            table: InstalledModelFile.locate(
                NGramTableFile.fileName, environmentVariable: NGramTableFile.environmentVariable),
            profiles: InstalledModelFile.locate(
                NGramProfileFile.fileName, environmentVariable: NGramProfileFile.environmentVariable))
    }
}

/// Reads labelled examples for `docpipe train` and `docpipe evaluate` from a file or a folder.
enum LabeledData {
    /// A `.jsonl`/`.tsv`/`.tab` file (see `LabeledCorpus.parse`), or a folder with one subfolder per
    /// label holding that label's documents as text files (the 20 Newsgroups / Reuters layout).
    static func load(_ path: String) throws -> [LabeledText] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw CLIError("no such file or folder: \(path)")
        }
        guard isFolder.boolValue else {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
                throw CLIError("\(path) is not text")
            }
            do {
                return try LabeledCorpus.parse(text)
            } catch {
                throw CLIError("\(path): \(error)")
            }
        }
        var examples: [LabeledText] = []
        let root = URL(fileURLWithPath: path)
        let labels = try FileManager.default.contentsOfDirectory(atPath: path).filter { !$0.hasPrefix(".") }.sorted()
        for label in labels {
            let folder = root.appendingPathComponent(label)
            var isLabelFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isLabelFolder),
                isLabelFolder.boolValue
            else { continue }
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            where !name.hasPrefix(".") {
                let data = try Data(contentsOf: folder.appendingPathComponent(name))
                let text = String(decoding: data, as: UTF8.self)
                examples.append(LabeledText(label: label, text: text))
            }
        }
        return examples
    }

    /// Loads a model file written by `docpipe train`.
    static func model(_ path: String) throws -> TrainedClassifier {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("cannot read model file \(path)")
        }
        do {
            return try TrainedClassifier.load(data)
        } catch {
            throw CLIError("\(path): \(error)")
        }
    }
}
