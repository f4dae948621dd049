import Foundation

/// What to measure and how hard, from the command line.
///
/// Parsed by hand: this target does not depend on swift-argument-parser, and five flags do not need it.
struct BenchOptions: Equatable {
    /// Echo requests sent through the broker in the throughput run.
    var requests = 20_000
    /// Documents submitted to the 4-stage pipeline.
    var documents = 2_000
    /// Echo workers, and no-op workers per pipeline stage.
    var workers = 2
    /// Echo requests, and unfinished pipeline jobs, kept in flight at once.
    var inflight = 128
    /// Upper bound on each phase, in seconds; a phase that runs longer is reported as an error.
    var timeoutSeconds = 20
    /// Passes over seeds/ in the text-analysis phase.
    var textRounds = 200
    var json = false
    /// Also run the echo phase over CURVE, to measure what encryption and authentication cost.
    var curve = true
    var help = false

    static let usage = """
        USAGE: docpipe-bench [--requests N] [--documents K] [--workers N] [--inflight N] [--timeout S] [--text-rounds N] [--no-curve] [--json]

        Measures an in-process docpipe broker on loopback TCP:
          MDP echo   requests/s with a 2.3 KB body through the broker to N echo workers, plus
                     p50/p99 round trip of one request at a time (unloaded); then the same over
                     CURVE with ZAP authentication, as a networked deployment runs it.
          pipeline   documents/s and p50/p99 submit-to-last-stage latency through 4 no-op stages,
                     with the broker journalling every transition to SQLite.
          operator   p50/p99/max of docpipe.status, docpipe.workers and docpipe.jobs round trips
                     while a client floods submits until the broker answers 503 busy.
          text       documents/s on one core for extraction, language ID, topic and summary
                     over the files in ./seeds (run from the repository root), and p50/p99 of
                     the whole chain per document.

        OPTIONS:
          --requests N     echo requests in the throughput run (default 20000)
          --documents K    documents pushed through the pipeline (default 2000)
          --workers N      echo workers, and no-op workers per pipeline stage (default 2)
          --inflight N     requests / unfinished jobs kept in flight (default 128)
          --timeout S      give up on a phase after S seconds (default 20)
          --text-rounds N  passes over ./seeds in the text phase (default 200)
          --no-curve       skip the CURVE echo run
          --json           print one JSON object with every figure instead of the table
          -h, --help       show this help

        EXAMPLES:
          docpipe-bench                                  # the defaults, as `make bench` runs them
          docpipe-bench --requests 100000 --workers 4    # a longer echo run with more workers
          docpipe-bench --documents 500 --json           # a quick run, machine-readable
        """

    /// Reads `arguments` (without the program name); throws a message naming the bad flag.
    static func parse(_ arguments: [String]) throws(UsageError) -> BenchOptions {
        var options = BenchOptions()
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            switch flag {
            case "-h", "--help": options.help = true
            case "--json": options.json = true
            case "--no-curve": options.curve = false
            case "--requests": options.requests = try positive(flag, rest.popFirst())
            case "--documents": options.documents = try positive(flag, rest.popFirst())
            case "--workers": options.workers = try positive(flag, rest.popFirst())
            case "--inflight": options.inflight = try positive(flag, rest.popFirst())
            case "--timeout": options.timeoutSeconds = try positive(flag, rest.popFirst())
            case "--text-rounds": options.textRounds = try positive(flag, rest.popFirst())
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
}

/// A command line that cannot be run; the message says which argument is wrong.
struct UsageError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
