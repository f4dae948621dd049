import DocProtocol
import Foundation
import OperatorViews
import Testing

/// Roles and failover in the operator views (status, --check, --json, top, metrics), on fixed snapshots.
struct BrokerRoleViewTests {
    static let now = 1_800_000_000.0

    static func status(_ endpoint: String, role: BrokerRole?, journal: String = "postgres") -> BrokerStatus {
        var status = OperatorViewTests.snapshot(stages: [OperatorViewTests.stage("extractor")])
        status.endpoint = endpoint
        status.role = role
        status.failover = FailoverStatus(
            journal: journal, roleSince: now - 125, activeEndpoint: "tcp://b:5555",
            activeSince: now - 125, leaseEpoch: 4, failovers: 2, lastFailoverAt: now - 125)
        return status
    }

    static let probes = [
        BrokerProbe(endpoint: "tcp://a:5555", status: status("tcp://a:5555", role: .standby)),
        BrokerProbe(endpoint: "tcp://b:5555", status: status("tcp://b:5555", role: .active)),
        BrokerProbe(endpoint: "tcp://c:5555", error: "no reply"),
    ]

    @Test func theBrokersSectionShowsEachEndpointsRoleAndFailovers() {
        let lines = FailoverView.brokers(Self.probes, now: Self.now)
        #expect(lines[0] == "Brokers")
        let table = lines[1].split(separator: "\n").map(String.init)
        #expect(table[0].hasPrefix("ENDPOINT"))
        #expect(table[1].hasPrefix("tcp://a:5555  standby      2m05s ago  4      2          2m05s ago"), "\(table[1])")
        #expect(table[2].hasPrefix("tcp://b:5555  active "))
        #expect(table[3].hasPrefix("tcp://c:5555  unreachable  -"))
        #expect(lines.count == 2)
        let none = FailoverView.brokers([Self.probes[0], Self.probes[2]], now: Self.now)
        #expect(none.last == "no broker is active (a failover may be under way)")
    }

    @Test func oneBrokerShowsItsRoleOnlyWithASharedJournal() {
        let role = FailoverView.roleLine(Self.status("tcp://a:5555", role: .standby), now: Self.now)
        #expect(
            role == "role: standby for 2m05s · active is tcp://b:5555 (for 2m05s) · lease epoch 4 · "
                + "2 failovers, last 2m05s ago")
        #expect(
            FailoverView.roleLine(Self.status("tcp://b:5555", role: .active), now: Self.now)
                == "role: active for 2m05s · lease epoch 4 · 2 failovers, last 2m05s ago")
        // A journal file (one broker) or an older broker: the header is as it always was.
        #expect(FailoverView.roleLine(Self.status("tcp://b:5555", role: .active, journal: "log")) == nil)
        let plain = OperatorViewTests.snapshot(stages: [])
        #expect(StatusView.header(plain).count == StatusView.header(Self.status("x", role: nil, journal: "log")).count)
        #expect(StatusView.header(Self.status("tcp://b:5555", role: .active))[1].hasPrefix("role: active for "))
    }

    @Test func theCheckIsCriticalWhenNoBrokerIsActiveAndUnknownWhenNoneAnswered() throws {
        let limits = HealthThresholds()
        let healthy = try #require(HealthCheck.evaluate(Self.probes, limits))
        #expect(healthy.isHealthy)
        #expect(healthy.line.hasPrefix("OK: active tcp://b:5555, 1 worker(s)"))
        let noneActive = try #require(HealthCheck.evaluate([Self.probes[0], Self.probes[2]], limits))
        #expect(noneActive.exitCode == HealthReport.criticalCode)
        #expect(noneActive.line == "CRITICAL: no active broker (tcp://a:5555 standby, tcp://c:5555 unreachable)")
        #expect(HealthCheck.evaluate([Self.probes[2]], limits) == nil)
        // One endpoint that is a standby is no active broker either.
        let single = HealthCheck.evaluate(Self.status("tcp://a:5555", role: .standby), limits)
        #expect(
            single.problems == ["the broker at tcp://a:5555 is a standby; the journal names tcp://b:5555 as active"])
        #expect(HealthCheck.evaluate(OperatorViewTests.snapshot(stages: []), limits).isHealthy)
    }

    @Test func statusJSONPutsTheBrokersBesideTheActiveStatus() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(StatusWithBrokers(status: Self.probes[1].status, brokers: Self.probes))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["endpoint"] as? String == "tcp://b:5555")
        #expect(object["role"] as? String == "active")
        let brokers = try #require(object["brokers"] as? [[String: Any]])
        #expect(brokers.map { $0["role"] as? String } == ["standby", "active", "unreachable"])
        #expect(brokers[2]["error"] as? String == "no reply")
        #expect((brokers[0]["failover"] as? [String: Any])?["failovers"] as? Int == 2)
        #expect(brokers[0]["status"] == nil)
    }

    @Test func metricsSayWhichBrokerIsActiveAndCountFailovers() {
        let several = PrometheusText.render(status: Self.probes[1].status, workers: nil, brokers: Self.probes)
        let lines = Set(several.split(separator: "\n").map(String.init))
        #expect(lines.contains(#"docpipe_broker_active{endpoint="tcp://a:5555"} 0"#))
        #expect(lines.contains(#"docpipe_broker_active{endpoint="tcp://b:5555"} 1"#))
        #expect(!several.contains("tcp://c:5555"))
        #expect(lines.contains("# TYPE docpipe_broker_failovers_total counter"))
        #expect(lines.contains("docpipe_broker_failovers_total 2"))
        let standby = PrometheusText.render(status: Self.status("tcp://a:5555", role: .standby), workers: nil)
        #expect(standby.contains("docpipe_broker_active 0\n"))
        let old = PrometheusText.render(status: OperatorViewTests.snapshot(stages: []), workers: nil)
        #expect(old.contains("docpipe_broker_active 1\n"))
        #expect(!old.contains("docpipe_broker_failovers_total"))
        #expect(!PrometheusText.render(status: nil, workers: nil).contains("docpipe_broker_active"))
    }

    @Test func topsHeaderNamesTheActiveBrokerAndTheLastFailover() {
        var screen = TopScreen(columns: 80, rows: 24, endpoint: "tcp://b:5555", interval: 1, clock: "12:00:00")
        screen.now = Self.now
        let lines = screen.render(
            status: Self.status("tcp://b:5555", role: .active), workers: nil,
            history: TopHistory(), error: nil)
        #expect(lines.count == 24)
        #expect(lines[1] == "active tcp://b:5555 for 2m05s · 2 failovers, last 2m05s ago")
        let plain = screen.render(
            status: OperatorViewTests.snapshot(stages: []), workers: nil, history: TopHistory(),
            error: nil)
        #expect(plain[1].hasPrefix("in "))
    }
}
