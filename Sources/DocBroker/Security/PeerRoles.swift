public import DocProtocol

/// What one authorized key may do, from the `roles` line of its key file.
///
/// `roles = "client, operator, worker:extractor"`: `client` submits documents, asks about jobs and
/// calls worker services that are not pipeline stages; `operator` reads and steers the broker (status,
/// workers, dead letters, reload, the job list); `worker` serves any service, `worker:NAME` only that one;
/// `call:NAME` (or `call`, any) may call a pipeline stage's service directly — without it nobody can hand the
/// storage writer a forged document. A key file without `roles` is a client and nothing more: least
/// privilege by default.
public struct PeerRoles: Sendable, Equatable, CustomStringConvertible {
    public var client: Bool
    public var `operator`: Bool
    /// Nil: may not be a worker; empty: any service; otherwise these services only.
    public var workerServices: Set<String>?
    /// Pipeline stage services it may call directly. Nil: none; empty: any; otherwise these.
    public var callServices: Set<String>?

    /// Everything: the broker without CURVE, where nobody is told apart.
    public static let unrestricted = PeerRoles(client: true, operator: true, workerServices: [], callServices: [])
    /// A key file without `roles`.
    public static let clientOnly = PeerRoles(client: true, operator: false, workerServices: nil)

    public init(client: Bool, operator: Bool, workerServices: Set<String>?, callServices: Set<String>? = nil) {
        self.client = client
        self.operator = `operator`
        self.workerServices = workerServices
        self.callServices = callServices
    }

    /// Parses the comma- or space-separated role list; nil with the offending word when unreadable.
    public static func parse(_ text: String) -> Result<PeerRoles, RolesError> {
        var roles = PeerRoles(client: false, operator: false, workerServices: nil)
        let words = text.split { $0 == "," || $0 == " " }.map(String.init)
        guard !words.isEmpty else { return .failure(RolesError(word: text)) }
        for word in words {
            switch word {
            case "client": roles.client = true
            case "operator": roles.operator = true
            case "worker": roles.workerServices = []
            case _ where word.hasPrefix("worker:") && word.count > 7:
                let service = String(word.dropFirst(7))
                // An empty set means "any service", so `worker` next to `worker:x` stays unrestricted.
                if roles.workerServices != [] { roles.workerServices = (roles.workerServices ?? []).union([service]) }
            case "call": roles.callServices = []
            case _ where word.hasPrefix("call:") && word.count > 5:
                let service = String(word.dropFirst(5))
                if roles.callServices != [] { roles.callServices = (roles.callServices ?? []).union([service]) }
            default:
                return .failure(RolesError(word: word))
            }
        }
        return .success(roles)
    }

    /// Broker services only an operator may call; everything else reserved is open to clients too.
    static let operatorServices: Set<String> = [
        ServiceName.status, ServiceName.deadLetters, ServiceName.reload, ServiceName.workers, ServiceName.jobs,
    ]

    /// Whether a peer with these roles may send `message`; `stageServices` are the services pipeline stages
    /// run on, which only `call` roles may call directly.
    public func permits(_ message: MDP.BrokerInbound, stageServices: Set<String> = []) -> Bool {
        switch message {
        case .clientRequest(let service, _):
            if Self.operatorServices.contains(service) { return self.operator }
            if service == ServiceName.submit { return client }
            if ServiceName.isReserved(service) { return client || self.operator }
            if stageServices.contains(service) {
                guard let callServices else { return false }
                return callServices.isEmpty || callServices.contains(service)
            }
            return client
        case .ready(let service, _):
            guard let workerServices else { return false }
            return workerServices.isEmpty || workerServices.contains(service)
        case .reply, .partial, .heartbeat, .disconnect:
            return workerServices != nil
        }
    }

    public var description: String {
        var words: [String] = []
        if client { words.append("client") }
        if self.operator { words.append("operator") }
        if let workerServices {
            words += workerServices.isEmpty ? ["worker"] : workerServices.sorted().map { "worker:\($0)" }
        }
        if let callServices {
            words += callServices.isEmpty ? ["call"] : callServices.sorted().map { "call:\($0)" }
        }
        return words.joined(separator: ",")
    }
}

/// A `roles` value with a word that is not a role.
public struct RolesError: Error, Sendable, Equatable, CustomStringConvertible {
    public var word: String
    public var description: String {
        "unknown role '\(word)' (expected client, operator, worker, worker:SERVICE, call or call:SERVICE)"
    }
}
