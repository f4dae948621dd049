import Foundation

/// What to measure and how hard, from the command line.
///
/// Parsed by hand: this target does not depend on swift-argument-parser, and these flags do not need it.
struct BenchOptions: Equatable {
    var echoRequests = 50_000
    var echoWorkers = 2
    /// Credit each docpipe echo worker advertises (majortomo's MDP/0.2 workers are lock-step).
    var echoCredit = 64
    /// Echo runs through docpipe and through zmq_proxy, alternating; each broker's figure is its median run.
    var echoRounds = 3
    var connections = 4
    var inflight = 256
    /// Documents per cell of the pipeline matrix.
    var documents = 10_000
    var credits = [1, 16, 64]
    var workersPerStage = [1, 2, 8]
    var pipelineInflight = 1_024
    /// Batch sizes of `docpipe.submit` tried beyond single documents (the pipeline and journal phases).
    var submitBatches = [100]
    var latencySamples = 300
    var queueDocuments = 100_000
    var realDocuments = 300
    var extractors = [1, 2, 4]
    var operatorQueries = 200
    var textRounds = 100
    /// The text phase's one large plain text (the smoke run keeps it small: a debug build reads it).
    var textLargeBytes = 5 * 1024 * 1024
    /// Distinct new documents per store-upsert configuration (backend × writers).
    var storeDocuments = 2_000
    var storeWriters = [1, 2, 4]
    /// Documents in each backend's store for the search latency figures.
    var searchDocuments = 100_000
    var searchQueries = 200
    /// Workers per stage for the journal phase's cells (credit 16), each with both journals.
    var journalWorkersPerStage = [2, 8]
    /// Documents through the last stage before the failover run kills the active broker.
    var failoverDocuments = 3_000
    /// `POST /v1/documents` (and as many MDP submits) in the gateway phase, and how many callers at once.
    var gatewayRequests = 4_000
    var gatewayCallers = 8
    /// Upper bound on every wait, in seconds.
    var timeoutSeconds = 120
    var json = false
    var help = false
    /// One phase alone (`echo`, `pipeline`, `queue`, `store`, `journal`, `gateway`, `text`), its figures as JSON — for profiling one path.
    var only: String?

    /// A short smoke run (the integration test's): every phase, small counts.
    static let quick = BenchOptions(
        echoRequests: 2_000, echoWorkers: 2, echoRounds: 1, connections: 2, inflight: 64, documents: 200,
        credits: [1, 16],
        workersPerStage: [1, 2], pipelineInflight: 256, submitBatches: [50], latencySamples: 20, queueDocuments: 1_000,
        realDocuments: 10, extractors: [1, 2], operatorQueries: 10, textRounds: 1, textLargeBytes: 256 * 1024,
        storeDocuments: 100,
        storeWriters: [1, 2], searchDocuments: 1_000, searchQueries: 20, journalWorkersPerStage: [2],
        failoverDocuments: 100, gatewayRequests: 200, gatewayCallers: 4, timeoutSeconds: 30)

    static let usage = """
        USAGE: docpipe-bench [--quick] [--json] [options]

        Runs broker, workers and clients as separate processes on 127.0.0.1 (the real `docpipe broker`,
        this executable's echo-worker / noop-worker / serve-proxy, majortomo under python3) and reports:
          echo       req/s through docpipe, libzmq's zmq_proxy and majortomo (Python MDP/0.2), same
                     clients, window, 2.3 KB bodies and echo workers; the ratios docpipe/each
          pipeline   docs/s through 4 no-op stages with the durable journal, for each credit ×
                     workers-per-stage cell; one-in-flight latency; broker CPU µs and journal bytes per doc
          queue      the broker's peak RSS holding N queued documents with no workers
          workers    docs/s through the built-in worker executables on seeds/ with 1, 2, 4 extractors
          operator   status / workers / jobs round trips while a flood saturates the broker
          text       the built-in analysis per document, in process, one core
          store      the document store on a throwaway PostgreSQL server (fsync on; needs the postgresql
                     server programs, fails with the reason without them) and on SQLite: upserts/s of
                     new 2.3 KB documents with 1, 2, 4 writers (each its own store, like separate
                     storage-writer processes); search p50/p99 over 100,000 documents on both
          journal    the pipeline (credit 16) with the embedded journal and with the shared PostgreSQL
                     journal (`--journal postgres://…`, throwaway server, fsync on), same run; failover:
                     two brokers on one PostgreSQL journal, the active one SIGKILLed mid-run, time until
                     the standby is active and until documents come through it again
          gateway    POST /v1/documents through `docpipe gateway` next to docpipe.submit through MDP,
                     same broker, documents and callers: requests/s and p50/p99
        Run from the repository root (seeds/); needs docpipe and the plugins built next to this executable.

        OPTIONS:
          --quick                 a short smoke run with small counts
          --echo-requests N       echo requests per broker (default 50000)
          --echo-workers N        echo worker processes (default 2)
          --echo-credit N         credit each docpipe echo worker advertises (default 64)
          --echo-rounds N         docpipe and zmq_proxy echo runs, alternating; each figure is the median
                                  run (default 3): one run of each varies ±15 % on a shared machine
          --connections N         client connections sharing the window (default 4)
          --inflight N            echo requests in flight (default 256)
          --documents N           documents per pipeline cell (default 10000)
          --credits A,B           worker credits to try (default 1,16,64)
          --workers-per-stage A,B no-op workers per stage to try (default 1,2,8)
          --pipeline-inflight N   unfinished jobs at most (default 1024)
          --submit-batches A,B    documents per docpipe.submit tried besides 1: one more cell each at the
                                  highest credit and most workers per stage (default 100; 1 for none)
          --latency-samples N     one-in-flight jobs for the latency figure (default 300)
          --queue-documents N     documents queued for the RSS figure (default 100000)
          --real-documents N      documents through the built-in workers (default 300)
          --extractors A,B        extractor counts to try (default 1,2,4)
          --text-rounds N         passes over seeds/ in the text phase (default 100)
          --store-documents N     new documents per store upsert configuration (default 2000)
          --store-writers A,B     concurrent store writers to try on each backend (default 1,2,4)
          --search-documents N    documents in each store for the search figures (default 100000)
          --search-queries N      timed searches on each backend (default 200)
          --journal-workers A,B   workers per stage for the journal phase's cells (default 2,8)
          --failover-documents N  documents through before the failover run's kill (default 3000)
          --gateway-requests N    requests each way in the gateway phase (default 4000)
          --gateway-callers N     concurrent callers in the gateway phase (default 8)
          --timeout S             give up on any wait after S seconds (default 120)
          --json                  one JSON object with every figure instead of the table
          --only PHASE            run one phase (echo, pipeline, queue, store, journal, gateway, text), print its figures
                                  as JSON — to profile one path (`perf record -p $(pgrep -f 'docpipe broker')`);
                                  `--only store|journal` print their table instead unless --json
          -h, --help              show this help

        EXAMPLES:
          docpipe-bench                         # as `make bench` runs it
          docpipe-bench --quick --json          # the smoke run the integration test makes
          docpipe-bench --credits 16 --workers-per-stage 2 --documents 50000
          docpipe-bench --only echo --echo-requests 200000
          docpipe-bench --only store --json     # the document store's figures alone
          docpipe-bench --only journal          # PostgreSQL journal vs embedded, and failover
          docpipe-bench --only gateway          # HTTP submits next to MDP submits
          docpipe-bench --only text             # seeds through the analysis chain, and a 5 MB text
        """

    /// Reads `arguments` (without the program name); throws a message naming the bad flag.
    static func parse(_ arguments: [String]) throws(UsageError) -> BenchOptions {
        var options = arguments.contains("--quick") ? BenchOptions.quick : BenchOptions()
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            switch flag {
            case "-h", "--help": options.help = true
            case "--json": options.json = true
            case "--quick": break
            case "--echo-requests": options.echoRequests = try positive(flag, rest.popFirst())
            case "--echo-workers": options.echoWorkers = try positive(flag, rest.popFirst())
            case "--echo-credit": options.echoCredit = try positive(flag, rest.popFirst())
            case "--echo-rounds": options.echoRounds = try positive(flag, rest.popFirst())
            case "--connections": options.connections = try positive(flag, rest.popFirst())
            case "--inflight": options.inflight = try positive(flag, rest.popFirst())
            case "--documents": options.documents = try positive(flag, rest.popFirst())
            case "--credits": options.credits = try list(flag, rest.popFirst())
            case "--workers-per-stage": options.workersPerStage = try list(flag, rest.popFirst())
            case "--pipeline-inflight": options.pipelineInflight = try positive(flag, rest.popFirst())
            case "--submit-batches": options.submitBatches = try list(flag, rest.popFirst())
            case "--latency-samples": options.latencySamples = try positive(flag, rest.popFirst())
            case "--queue-documents": options.queueDocuments = try positive(flag, rest.popFirst())
            case "--real-documents": options.realDocuments = try positive(flag, rest.popFirst())
            case "--extractors": options.extractors = try list(flag, rest.popFirst())
            case "--text-rounds": options.textRounds = try positive(flag, rest.popFirst())
            case "--store-documents": options.storeDocuments = try positive(flag, rest.popFirst())
            case "--store-writers": options.storeWriters = try list(flag, rest.popFirst())
            case "--search-documents": options.searchDocuments = try positive(flag, rest.popFirst())
            case "--search-queries": options.searchQueries = try positive(flag, rest.popFirst())
            case "--journal-workers": options.journalWorkersPerStage = try list(flag, rest.popFirst())
            case "--failover-documents": options.failoverDocuments = try positive(flag, rest.popFirst())
            case "--gateway-requests": options.gatewayRequests = try positive(flag, rest.popFirst())
            case "--gateway-callers": options.gatewayCallers = try positive(flag, rest.popFirst())
            case "--timeout": options.timeoutSeconds = try positive(flag, rest.popFirst())
            case "--only":
                guard let phase = rest.popFirst(),
                    ["echo", "pipeline", "queue", "store", "journal", "gateway", "text"].contains(phase)
                else {
                    throw UsageError(
                        message: "--only wants one of echo, pipeline, queue, store, journal, gateway, text")
                }
                options.only = phase
            default: throw UsageError(message: "unknown argument '\(flag)'")
            }
        }
        return options
    }

    private static func positive(_ flag: String, _ value: String?) throws(UsageError) -> Int {
        guard let value else { throw UsageError(message: "\(flag) needs a value") }
        guard let number = Int(value.replacingOccurrences(of: "_", with: "")), number > 0 else {
            throw UsageError(message: "\(flag) wants a positive whole number, not '\(value)'")
        }
        return number
    }

    private static func list(_ flag: String, _ value: String?) throws(UsageError) -> [Int] {
        guard let value else { throw UsageError(message: "\(flag) needs a value") }
        var numbers: [Int] = []
        for part in value.split(separator: ",") { numbers.append(try positive(flag, String(part))) }
        guard !numbers.isEmpty else { throw UsageError(message: "\(flag) wants numbers like 1,2,8") }
        return numbers
    }
}

/// A command line that cannot be run; the message says which argument is wrong.
struct UsageError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
