import DocProtocol
import Foundation

/// Turns command-line paths (files, folders, `-` for stdin) into documents to submit.
enum DocumentFiles {
    struct Input {
        var displayName: String
        var document: Document
    }

    static let maxBytes = 64 << 20

    /// Collects every regular, non-hidden file under the given paths, sorted, folders recursively.
    static func collect(_ paths: [String]) throws -> [Input] {
        var inputs: [Input] = []
        for path in paths {
            if path == "-" {
                let bytes = FileHandle.standardInput.readDataToEndOfFile()
                inputs.append(Input(displayName: "<stdin>", document: Document(bytes: bytes, name: "stdin")))
                continue
            }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw CLIError("\(path): no such file or folder")
            }
            let files = isFolder.boolValue ? try filesUnder(path) : [path]
            for file in files {
                let url = URL(fileURLWithPath: file)
                let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
                guard size <= maxBytes else {
                    throw CLIError("\(file): \(size) bytes is over the \(maxBytes >> 20) MiB limit")
                }
                let bytes = try Data(contentsOf: url)
                inputs.append(Input(displayName: file, document: Document(bytes: bytes, name: url.lastPathComponent)))
            }
        }
        return inputs
    }

    private static func filesUnder(_ folder: String) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            let name = URL(fileURLWithPath: relative).lastPathComponent
            if name.hasPrefix(".") {
                walker.skipDescendants()
                continue
            }
            let full = URL(fileURLWithPath: folder).appendingPathComponent(relative).path
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue {
                files.append(full)
            }
        }
        return files.sorted()
    }
}
