// swift-tools-version:6.1
import PackageDescription

// One settings list for every target (house style): Swift 6 language mode everywhere.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let log = Target.Dependency.product(name: "Logging", package: "swift-log")
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let grdb = Target.Dependency.product(name: "GRDB", package: "GRDB.swift")
let lifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let zip = Target.Dependency.product(name: "ZIPFoundation", package: "ZIPFoundation")
let unixSignals = Target.Dependency.product(name: "UnixSignals", package: "swift-service-lifecycle")
let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")

/// A built-in plugin: WorkerKit and DocProtocol (every plugin is a worker speaking the protocol) plus the
/// targets it imports itself, and nothing else, so a plugin links only what it uses.
func plugin(_ name: String, _ imports: [Target.Dependency] = [], resources: [Resource]? = nil) -> Target {
    .executableTarget(
        name: "docpipe-\(name)",
        dependencies: ["WorkerKit", "DocProtocol"] + imports,
        path: "plugins/\(name)",
        exclude: ["plugin.json"],
        resources: resources,
        swiftSettings: swiftSettings
    )
}

let package = Package(
    name: "docpipe",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "docpipe", targets: ["docpipe"]),
        .library(name: "WorkerKit", targets: ["WorkerKit"]),
        .library(name: "DocProtocol", targets: ["DocProtocol"]),
        .library(name: "WorkerKitTesting", targets: ["WorkerKitTesting"]),
        .executable(name: "docpipe-extractor", targets: ["docpipe-extractor"]),
        .executable(name: "docpipe-classifier", targets: ["docpipe-classifier"]),
        .executable(name: "docpipe-summarizer", targets: ["docpipe-summarizer"]),
        .executable(name: "docpipe-storage-writer", targets: ["docpipe-storage-writer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // The HTTP gateway (`docpipe gateway`): Hummingbird 2 on SwiftNIO (already here for postgres-nio), and
        // Vapor's multipart parser for `multipart/form-data` uploads.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        // Already in the graph through swift-nio; BrokerCore's queues use its Deque.
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        .systemLibrary(name: "CZeroMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CZlibChecksum", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"], swiftSettings: swiftSettings),
        .target(
            name: "DocProtocol",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            path: "protocol/swift",
            swiftSettings: swiftSettings
        ),
        // Pure text analysis (language, tokens, sentences, dates, entities, keywords, summaries, topics):
        // no file formats and no file lookups; model files are read by the programs and handed in.
        .target(name: "TextAnalysis", swiftSettings: swiftSettings),
        // Format detection and the readers of text, HTML, Markdown, JSON, CSV, e-mail, RTF, DOCX, ODT, PDF
        // text and OCR output, feeding TextAnalysis.
        .target(name: "DocumentFormats", dependencies: ["TextAnalysis", zip], swiftSettings: swiftSettings),
        .target(name: "DocStore", dependencies: [grdb], swiftSettings: swiftSettings),
        .target(
            name: "DocStorePostgres",
            dependencies: ["DocStore", .product(name: "PostgresNIO", package: "postgres-nio"), nioCore, log],
            swiftSettings: swiftSettings
        ),
        .target(name: "PostgresTesting", swiftSettings: swiftSettings),
        .target(name: "DocClient", dependencies: ["ZeroMQ", "DocProtocol"], swiftSettings: swiftSettings),
        .target(name: "DocLogging", dependencies: [log], swiftSettings: swiftSettings),
        .target(
            name: "BrokerCore",
            dependencies: [
                "DocProtocol", .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DocBroker",
            dependencies: [
                "BrokerCore", "ZeroMQ", "DocProtocol", "CZlibChecksum", grdb, log, lifecycle, unixSignals,
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DocBrokerPostgres",
            dependencies: [
                "DocBroker", "BrokerCore", "DocProtocol", "DocStore", "DocStorePostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"), nioCore, log,
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WorkerKit",
            dependencies: ["ZeroMQ", "DocProtocol", "DocLogging", log, lifecycle, argumentParser],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WorkerKitTesting",
            dependencies: ["WorkerKit", "DocProtocol", "DocBroker", "DocClient", "BrokerCore", log, lifecycle],
            swiftSettings: swiftSettings
        ),
        // What the `docpipe` command is made of, as libraries the tests import (never the executable):
        // the operator views (status, top, health checks, Prometheus text, the CLI's one JSON shape) ...
        .target(
            name: "OperatorViews", dependencies: ["DocProtocol", "DocStore", "DocClient"], swiftSettings: swiftSettings
        ),
        // ... plugin manifests, the plugins folder and `new-plugin`'s scaffolds ...
        .target(
            name: "PluginTooling", dependencies: ["DocProtocol", "DocBroker", "BrokerCore"],
            swiftSettings: swiftSettings
        ),
        // ... `docpipe up`'s process supervision (worker plan, backoff, children stopped by pid) ...
        .target(
            name: "Supervisor", dependencies: ["PluginTooling", "OperatorViews", lifecycle],
            swiftSettings: swiftSettings
        ),
        // ... and the HTTP gateway with its dashboard (also `docpipe metrics --listen`).
        .target(
            name: "DocpipeGateway",
            dependencies: [
                "OperatorViews", "DocClient", "DocProtocol", "DocStore", "DocStorePostgres", log,
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                nioCore,
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "docpipe",
            dependencies: [
                "DocBroker", "DocBrokerPostgres", "BrokerCore", "DocClient", "DocStore", "DocStorePostgres",
                "DocProtocol",
                "TextAnalysis", "WorkerKit", // WorkerKit: the model-file lookup the workers use (docpipe language)
                "DocLogging", argumentParser, log, lifecycle, "ZeroMQ",
                "OperatorViews", "PluginTooling", "Supervisor", "DocpipeGateway",
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "docpipe-bench",
            dependencies: [
                "DocBroker", "BrokerCore", "DocClient", "WorkerKit", "DocProtocol", "ZeroMQ", "TextAnalysis", log,
                "DocumentFormats", "DocStore", "DocStorePostgres", "PostgresTesting", "DocBrokerPostgres",
            ],
            swiftSettings: swiftSettings
        ),
        plugin("extractor", ["TextAnalysis", "DocumentFormats", log]),
        plugin("classifier", ["TextAnalysis", log], resources: [.copy("training")]),
        plugin("summarizer", ["TextAnalysis"]),
        plugin("storage-writer", ["DocStore", "DocStorePostgres"]),

        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ"], swiftSettings: swiftSettings),
        .testTarget(name: "DocProtocolTests", dependencies: ["DocProtocol"], swiftSettings: swiftSettings),
        // WorkerKit: the tests find the installed language profiles the way the workers do.
        .testTarget(
            name: "TextAnalysisTests", dependencies: ["TextAnalysis", "WorkerKit"], swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DocumentFormatsTests", dependencies: ["DocumentFormats", "TextAnalysis", "WorkerKit", zip],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DocStoreTests", dependencies: ["DocStore", "DocStorePostgres", "PostgresTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BrokerCoreTests", dependencies: ["BrokerCore", "DocProtocol"], swiftSettings: swiftSettings),
        .testTarget(
            name: "DocBrokerTests",
            dependencies: [
                "DocBroker", "DocBrokerPostgres", "BrokerCore", "DocProtocol", "DocStore", "ZeroMQ", grdb, log,
                "PostgresTesting",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WorkerKitTestingTests",
            dependencies: ["WorkerKitTesting", "WorkerKit", "DocProtocol"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WorkerKitTests", dependencies: ["WorkerKit", "DocProtocol", "ZeroMQ", log, lifecycle],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "DocClient", "DocProtocol", "DocStore", "DocStorePostgres", "PostgresTesting", "ZeroMQ", "DocLogging",
                "OperatorViews", "PluginTooling", "DocpipeGateway", nioCore,
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
