import ArgumentParser
import DocClient
import DocProtocol
import Foundation
import OperatorViews
import PluginTooling

extension Docpipe {
    /// `docpipe plugins`: installed plugins, and which of them have workers connected to the broker now.
    struct Plugins: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List installed plugins and whether workers for them are connected now.",
            discussion: """
                Reads every plugins/<name>/plugin.json (and plugins/<group>/<name>/plugin.json) and asks the \
                broker (MMI `mmi.service`) whether a worker serves each plugin's service. Warns about pipelines \
                in the broker config that name a service no installed plugin provides.

                EXAMPLES:
                  docpipe plugins
                  docpipe plugins --plugins /opt/docpipe/plugins --broker tcp://broker-host:5555
                  docpipe plugins --json | jq '.plugins[] | select(.connected)'
                """)

        @Option(name: .long, help: "Plugins folder. Default: ./plugins.") var plugins: String?
        @Option(name: .long, help: "Broker config with pipelines. Default: config.json in the data folder.")
        var config: String?
        @Flag(name: .long, help: "Print plugins, warnings and problems as JSON.") var json = false
        @OptionGroup var broker: BrokerOptions
        @OptionGroup var data: DataOptions

        struct Listing: Encodable {
            struct Entry: Encodable {
                var name, service, version, description: String
                var language: String?
                var folder: String
                var command, needs: [String]
                var concurrency: Int
                /// nil when the broker could not be asked.
                var connected: Bool?
            }

            var plugins: [Entry]
            var broker: String
            var brokerReachable: Bool
            var warnings: [String]
            var problems: [String]

            enum CodingKeys: String, CodingKey {
                case plugins, broker, warnings, problems
                case brokerReachable = "broker_reachable"
            }
        }

        func run() throws {
            let folder = PluginCatalog.folder(plugins)
            let scan = PluginCatalog.scan(folder)
            let connected = Self.connectedServices(Set(scan.plugins.map(\.manifest.service)), broker: broker)
            var warnings: [String] = []
            if scan.plugins.isEmpty { warnings.append("no plugins found under \(folder.path)") }
            do {
                let pipelines = try PluginPipelineCheck.pipelines(
                    configPath: config ?? data.configPath, journalPath: data.journalPath)
                warnings += PluginPipelineCheck.warnings(
                    pipelines: pipelines, provided: Set(scan.plugins.map(\.manifest.service)))
            } catch {
                warnings.append("cannot check pipelines: \(error)")
            }
            let listing = Listing(
                plugins: scan.plugins.map { plugin in
                    let m = plugin.manifest
                    return .init(
                        name: m.name, service: m.service, version: m.version, description: m.description,
                        language: m.language, folder: plugin.folder.path, command: m.command,
                        needs: m.needs, concurrency: m.concurrency, connected: connected?[m.service])
                },
                broker: broker.broker, brokerReachable: connected != nil, warnings: warnings, problems: scan.problems)
            if json { return try printJSON(listing) }
            print(Self.render(listing))
        }

        /// Service → has a worker, or nil when the broker does not answer (asking once, not per plugin).
        static func connectedServices(_ services: Set<String>, broker: BrokerOptions) -> [String: Bool]? {
            guard let client = try? DocpipeClient(broker: broker.broker, timeoutMs: broker.timeoutMs) else {
                return nil
            }
            // One probe first, so an absent broker costs one timeout, not one per plugin.
            guard (try? client.serviceAvailability(ServiceName.status)) != nil else { return nil }
            var answers: [String: Bool] = [:]
            for service in services.sorted() {
                guard let answer = try? client.serviceAvailability(service) else { return nil }
                answers[service] = answer == "200"
            }
            return answers
        }

        static func render(_ listing: Listing) -> String {
            var table = TextTable(
                "NAME", "SERVICE", "VERSION", "LANGUAGE", "CONNECTED", "DESCRIPTION",
                maxWidths: [24, 24, 10, 10, 9, 60])
            for entry in listing.plugins {
                let connected = entry.connected.map { $0 ? "yes" : "no" } ?? "?"
                table.add(entry.name, entry.service, entry.version, entry.language ?? "-", connected, entry.description)
            }
            var lines = [listing.plugins.isEmpty ? "(no plugins)" : table.render()]
            if !listing.brokerReachable {
                lines.append("\nbroker at \(listing.broker) did not answer: CONNECTED is unknown (?)")
            }
            lines += listing.warnings.map { "warning: \($0)" }
            lines += listing.problems.map { "problem: \($0)" }
            return lines.joined(separator: "\n")
        }
    }
}
