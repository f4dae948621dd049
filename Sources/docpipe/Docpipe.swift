import ArgumentParser
import DocProtocol

/// The `docpipe` command: operate a broker, push documents through it, and read what was stored.
@main
struct Docpipe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docpipe",
        abstract: "Process documents through a pipeline of worker programs fed by a ZeroMQ broker.",
        discussion: """
            All state (journal, store, config) lives in one data folder: --data DIR, else $DOCPIPE_HOME, \
            else ./docpipe-data.

            EXAMPLES:
              docpipe run seeds/                   # all-in-one: broker + workers, process, print results
              docpipe broker --bind tcp://0.0.0.0:5555 --insecure
              docpipe submit reports/ --wait
              docpipe status --json
              docpipe top                          # live: rates, queues, stages, workers
              docpipe status --check --max-oldest 300s --min-workers extractor=2
              docpipe search "founding act"
              docpipe show doc-1a2b3c4d5e6f7a8b
              docpipe up --only extractor=2,classifier,summarizer,storage-writer
              docpipe new-plugin word-count --language python
              docpipe call echo.upper --text hello
            """,
        version: ProtocolVersion.release,
        subcommands: [
            Run.self, BrokerCommand.self, Submit.self, Status.self, Top.self, Workers.self, Jobs.self, JobCommand.self,
            Metrics.self, Gateway.self, DeadLetters.self, Reload.self, Search.self, Show.self, Export.self, Import.self,
            Train.self, Evaluate.self, Language.self, Summarize.self, Up.self, Plugins.self, NewPlugin.self, Call.self,
            Keygen.self,
        ]
    )
}
