package import Foundation

extension PluginScaffold {
    /// A separate SwiftPM package depending on the docpipe checkout by path: a library with the worker
    /// (so tests can import it), a thin executable, and a test on WorkerKitTesting.
    package func swiftFiles() -> [String: String] {
        let type = typeName
        // SwiftPM names a path dependency after its folder; products are referred to by that identity.
        let identity = sdkRoot.lastPathComponent.lowercased()
        let manifestData = (try? manifest(command: [".build/debug/docpipe-\(name)"]).encoded()) ?? Data()
        return [
            "plugin.json": String(decoding: manifestData, as: UTF8.self),
            ".gitignore": ".build/\n.swiftpm/\nPackage.resolved\n",
            "Package.swift": """
            // swift-tools-version:6.1
            import PackageDescription

            // The docpipe plugin `\(name)`, scaffolded by `docpipe new-plugin`. It builds against the docpipe
            // checkout by path; use `.package(url: …)` instead when the plugin lives elsewhere.
            let docpipe = "\(identity)"

            let package = Package(
                name: "docpipe-\(name)",
                platforms: [.macOS(.v14)],
                dependencies: [.package(path: "\(sdkPathFromPlugin)")],
                targets: [
                    .target(
                        name: "\(type)Worker",
                        dependencies: [
                            .product(name: "WorkerKit", package: docpipe),
                            .product(name: "DocProtocol", package: docpipe),
                        ]
                    ),
                    .executableTarget(
                        name: "docpipe-\(name)",
                        dependencies: ["\(type)Worker", .product(name: "WorkerKit", package: docpipe)]
                    ),
                    .testTarget(
                        name: "\(type)WorkerTests",
                        dependencies: [
                            "\(type)Worker",
                            .product(name: "WorkerKitTesting", package: docpipe),
                            .product(name: "DocProtocol", package: docpipe),
                        ]
                    ),
                ],
                swiftLanguageModes: [.v6]
            )

            """,
            "Sources/\(type)Worker/\(type).swift": """
            import DocProtocol
            import WorkerKit

            /// The `\(name)` stage: counts the words and characters of the extractor's text.
            ///
            /// Replace the body of `process` with your stage's work. Throw `StageFailure` for a document that
            /// can never work (`retryable: false`) or for trouble that may pass (`retryable: true`).
            public struct \(type): DocpipeWorker {
                public let service = "\(name)"

                public init() {}

                public func process(_ request: StageRequest) async throws -> JSONValue {
                    let text = request.text
                    guard !text.isEmpty else {
                        throw StageFailure(.unprocessable, reason: "no_text", message: "the document has no text")
                    }
                    let words = text.split(whereSeparator: { $0.isWhitespace }).count
                    return ["words": .number(Double(words)), "characters": .number(Double(text.count))]
                }
            }

            """,
            "Sources/docpipe-\(name)/main.swift": """
            import \(type)Worker
            import WorkerKit

            await WorkerRunner.main(summary: "docpipe \(name): counts words and characters.") { _ in \(type)() }

            """,
            "Tests/\(type)WorkerTests/\(type)Tests.swift": """
            import DocProtocol
            import Testing
            import WorkerKitTesting
            import \(type)Worker

            @Test func countsWords() async throws {
                let output = try await WorkerTestKit.run(\(type)(), text: "one two three")
                #expect(output["words"]?.intValue == 3)
                #expect(output["characters"]?.intValue == 13)
            }

            @Test func emptyDocumentFailsForGood() async {
                let result = await WorkerTestKit.result(\(type)(), document: WorkerTestKit.document(""))
                #expect(result.error?.reason == "no_text")
                #expect(result.error?.retryable == false)
            }

            @Test(.timeLimit(.minutes(1))) func runsInAPipelineThroughARealBroker() async throws {
                try await TestBroker.with(pipelines: ["\(name)": ["\(name)"]], workers: [\(type)()]) { broker in
                    let job = try await broker.process(WorkerTestKit.document("a b c d"), pipeline: "\(name)")
                    #expect(job.state == .done)
                    #expect(job.results["\(name)"]?["words"]?.intValue == 4)
                }
            }

            """,
            "README.md": readme(
                build: "swift build                      # .build/debug/docpipe-\(name)\n",
                test: "swift test",
                run: ".build/debug/docpipe-\(name) --broker tcp://127.0.0.1:5555   # one worker"),
        ]
    }
}
