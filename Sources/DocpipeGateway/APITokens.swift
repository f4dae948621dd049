package import Foundation

/// The gateway's API tokens: who may call it, and as what.
///
/// The file (`--tokens FILE`) has one token a line — `NAME TOKEN ROLES` — with `#` comments and blank
/// lines ignored. ROLES is `client`, `operator` or both (`client,operator`), the same words as a CURVE key
/// file's `roles`: a client submits documents and reads jobs, documents and search; an operator reads and
/// steers the broker (status, workers, dead letters, metrics). A token must be at least 16 characters
/// (`openssl rand -hex 24` makes a good one) and appear once. Parsing is pure; `APITokenFile` re-reads.
package struct APITokens: Sendable, Equatable {
    package struct Holder: Sendable, Equatable {
        package var name: String
        package var client: Bool
        package var `operator`: Bool

        package init(name: String, client: Bool, operator: Bool) {
            (self.name, self.client, self.operator) = (name, client, `operator`)
        }
    }

    package struct ParseError: Error, CustomStringConvertible, Equatable {
        package var line: Int
        package var message: String
        package var description: String { "line \(line): \(message)" }
    }

    package static let minimumLength = 16

    private var holders: [String: Holder]

    package var count: Int { holders.count }

    package init(parsing text: String) throws {
        var holders: [String: Holder] = [:]
        var names: Set<String> = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            if words.isEmpty { continue }
            let number = index + 1
            guard words.count >= 3 else {
                throw ParseError(
                    line: number,
                    message: "want NAME TOKEN ROLES, e.g. `ci-uploader \(String(repeating: "x", count: 24)) client`")
            }
            let (name, token) = (words[0], words[1])
            guard token.count >= Self.minimumLength else {
                throw ParseError(
                    line: number,
                    message:
                        "the token of '\(name)' is shorter than \(Self.minimumLength) characters (try `openssl rand -hex 24`)"
                )
            }
            guard holders[token] == nil else {
                throw ParseError(line: number, message: "the token of '\(name)' is already used on another line")
            }
            guard names.insert(name).inserted else {
                throw ParseError(line: number, message: "the name '\(name)' appears twice")
            }
            var holder = Holder(name: name, client: false, operator: false)
            for role in words[2...].joined(separator: ",").split(separator: ",") {
                switch role {
                case "client": holder.client = true
                case "operator": holder.operator = true
                default:
                    throw ParseError(
                        line: number,
                        message: "unknown role '\(role)' for '\(name)': the gateway knows client and operator")
                }
            }
            holders[token] = holder
        }
        self.holders = holders
    }

    /// Who holds the token of an `Authorization: Bearer TOKEN` header, compared in constant time per token
    /// so the time a guess takes says nothing about how close it came.
    package func holder(ofBearer header: String?) -> Holder? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        let presented = Array(header.dropFirst(7).trimmingCharacters(in: .whitespaces).utf8)
        var found: Holder?
        for (token, holder) in holders where Self.equalInConstantTime(Array(token.utf8), presented) {
            found = holder
        }
        return found
    }

    package static func equalInConstantTime(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

/// The tokens file, re-read when it changes (its modification time or size), so adding or revoking a token
/// needs no restart. A file that turns unreadable or invalid keeps the last good tokens and says why once.
package final class APITokenFile: @unchecked Sendable {
    package let path: String
    private let lock = NSLock()
    private var tokens: APITokens
    private var stamp: Stamp
    private var lastError: String?
    private let warn: @Sendable (String) -> Void

    private struct Stamp: Equatable {
        package var modified: Date?
        package var size: Int?
    }

    package init(path: String, warn: @escaping @Sendable (String) -> Void) throws {
        self.path = path
        self.warn = warn
        stamp = Self.stamp(path)
        do {
            tokens = try APITokens(parsing: try String(contentsOfFile: path, encoding: .utf8))
        } catch let error as APITokens.ParseError {
            throw GatewayError("\(path): \(error)")
        } catch {
            throw GatewayError("cannot read the tokens file \(path): \(error.localizedDescription)")
        }
    }

    /// The current tokens, re-read first if the file changed.
    package func current() -> APITokens {
        lock.lock()
        defer { lock.unlock() }
        let now = Self.stamp(path)
        if now != stamp {
            stamp = now
            do {
                tokens = try APITokens(parsing: try String(contentsOfFile: path, encoding: .utf8))
                lastError = nil
            } catch {
                let message =
                    "\(path) changed but cannot be used (\(error)); keeping the \(tokens.count) tokens read before"
                if message != lastError { warn(message) }
                lastError = message
            }
        }
        return tokens
    }

    private static func stamp(_ path: String) -> Stamp {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return Stamp(modified: attributes?[.modificationDate] as? Date, size: attributes?[.size] as? Int)
    }
}

/// A gateway setting that cannot be used (a tokens file, a listen address); the CLI prints it as one line and exits non-zero.
package struct GatewayError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
