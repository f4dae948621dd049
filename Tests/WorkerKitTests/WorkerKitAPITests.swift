import Foundation
import Testing

/// WorkerKit's public API is its own types and DocProtocol's (plus swift-log's Logger and
/// swift-service-lifecycle's Service, the vocabulary of a program that embeds a worker): ZeroMQ and
/// swift-argument-parser stay implementation details, so a plugin imports WorkerKit and DocProtocol only.
/// With InternalImportsByDefault a module's types can only reach the public API through a `public import`
/// (or `@_exported`), so the imports say it all.
struct WorkerKitAPITests {
    static let sources: URL = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("Sources")
    }()

    @Test(arguments: ["WorkerKit", "WorkerKitTesting"])
    func onlyItsOwnAndDocProtocolsTypesArePublic(module: String) throws {
        let folder = Self.sources.appendingPathComponent(module)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        #expect(!files.isEmpty)
        let allowed: Set<String> = ["DocProtocol", "Foundation", "Logging", "ServiceLifecycle", "WorkerKit"]
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n")
            where line.hasPrefix("public import ") || line.hasPrefix("@_exported")
                || line.hasPrefix("package import ")
            {
                let imported = String(line.split(separator: " ").last ?? "")
                #expect(allowed.contains(imported), "\(module)/\(file): \(line)")
            }
        }
    }
}
