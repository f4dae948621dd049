import Foundation

/// Separate Linux network stacks on one machine: namespaces joined to a hub namespace by veth pairs,
/// made (and removed) by the test itself. Every address is in 10.200.0.0/16 and exists only inside
/// these namespaces, so no traffic can leave them.
final class NetworkNamespaces {
    static let ip = URL(fileURLWithPath: "/usr/sbin/ip").resolvingSymlinksInPath()

    /// Why namespaces cannot be made here, or nil when they can (tried once, by making and removing one).
    static let unavailableReason: String? = {
        guard FileManager.default.isExecutableFile(atPath: ip.path) else {
            return "no /usr/sbin/ip (install iproute2)"
        }
        let probe = "dpn-probe-\(getpid())"
        guard let added = try? runCommand(ip, ["netns", "add", probe], timeout: 10) else {
            return "`ip netns add` hung"
        }
        guard added.status == 0 else {
            return
                "`ip netns add` failed (needs root / CAP_SYS_ADMIN): \(added.errors.trimmingCharacters(in: .whitespacesAndNewlines))"
        }
        _ = try? runCommand(ip, ["netns", "del", probe], timeout: 10)
        return nil
    }()

    let prefix: String
    let hub: String
    private(set) var names: [String] = []
    /// Per spoke: the hub-side interface (cutting it cuts the spoke off) and the two addresses.
    private(set) var links: [String: (hubInterface: String, hubAddress: String, spokeAddress: String)] = [:]

    /// Makes the hub namespace; spokes come with `addSpoke`.
    init(hub: String) throws {
        prefix = "dpn\(String(UInt32.random(in: 0...0xffff), radix: 16))"
        self.hub = "\(prefix)-\(hub)"
        try add(self.hub)
    }

    func name(_ short: String) -> String { "\(prefix)-\(short)" }

    /// A namespace joined to the hub by its own veth pair and /24 (10.200.N.1 hub side, .2 spoke side).
    func addSpoke(_ short: String) throws {
        let spoke = name(short)
        try add(spoke)
        let subnet = links.count + 1
        // Interface names are at most 15 bytes: prefix (≤7) + "h"/"s" + subnet.
        let hubSide = "\(prefix)h\(subnet)"
        let spokeSide = "\(prefix)s\(subnet)"
        try ipCommand(["link", "add", hubSide, "type", "veth", "peer", "name", spokeSide])
        try ipCommand(["link", "set", hubSide, "netns", hub])
        try ipCommand(["link", "set", spokeSide, "netns", spoke])
        let hubAddress = "10.200.\(subnet).1"
        let spokeAddress = "10.200.\(subnet).2"
        try ipCommand(["-n", hub, "addr", "add", "\(hubAddress)/24", "dev", hubSide])
        try ipCommand(["-n", spoke, "addr", "add", "\(spokeAddress)/24", "dev", spokeSide])
        try ipCommand(["-n", hub, "link", "set", hubSide, "up"])
        try ipCommand(["-n", spoke, "link", "set", spokeSide, "up"])
        links[short] = (hubSide, hubAddress, spokeAddress)
    }

    /// Takes the spoke's link down (as a pulled cable: packets vanish, no connection is reset) or up.
    func setLink(_ short: String, up: Bool) throws {
        guard let link = links[short] else { throw TestFailure("no spoke \(short)") }
        try ipCommand(["-n", hub, "link", "set", link.hubInterface, up ? "up" : "down"])
    }

    /// The arguments that run `executable` inside namespace `short` (`ip netns exec` execs in place,
    /// so the pid is the program's own and killing it by pid works).
    func exec(in short: String, _ executable: URL, _ arguments: [String]) -> (URL, [String]) {
        (Self.ip, ["netns", "exec", name(short), executable.path] + arguments)
    }

    /// Removes every namespace made (their veth ends go with them). Safe to call twice.
    func remove() {
        for namespace in names.reversed() { _ = try? runCommand(Self.ip, ["netns", "del", namespace], timeout: 10) }
        names.removeAll()
    }

    deinit { remove() }

    private func add(_ namespace: String) throws {
        try ipCommand(["netns", "add", namespace])
        names.append(namespace)
        try ipCommand(["-n", namespace, "link", "set", "lo", "up"])
    }

    private func ipCommand(_ arguments: [String]) throws {
        let result = try runCommand(Self.ip, arguments, timeout: 10)
        guard result.status == 0 else {
            throw TestFailure("ip \(arguments.joined(separator: " ")) failed: \(result.errors)")
        }
    }
}
