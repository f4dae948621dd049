import ArgumentParser
import DocBroker
import Foundation
import ZeroMQ

extension Docpipe {
    /// `docpipe keygen NAME`: a CURVE key pair for the broker, a worker machine or a client.
    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a CURVE key pair: NAME.key (public, share it) and NAME.key_secret (keep it).",
            discussion: """
                The files use the ZPL layout of czmq's zcert and pyzmq's zmq.auth, so other ZeroMQ tools \
                read them. NAME.key_secret is created readable by its owner only (mode 600).

                The broker's pair is called "server": `docpipe broker` finds DATA/keys/server.key_secret \
                by itself when it binds a network address. Every client and worker gets a pair of its own; \
                copy its NAME.key into the broker's authorized-keys folder (DATA/authorized_keys) to let it \
                in, delete the file to shut it out again. --roles limits what a key may do.

                EXAMPLES:
                  docpipe keygen server --data /var/lib/docpipe          # the broker's pair, in DATA/keys
                  docpipe keygen worker-b --out /etc/docpipe             # on a worker machine
                  docpipe keygen feeder --roles client                   # may submit, nothing else
                  docpipe keygen ocr-box --roles worker:ocr,worker:extractor
                """)

        @Argument(
            help: "Key name: letters, digits, '-', '_' or '.'; it names the files and shows in the broker's logs.")
        var name: String

        @Option(name: .long, help: "Folder to write the files to. Default: DATA/keys (see --data).")
        var out: String?

        @Option(name: .long, help: "Limit the key: client, operator, worker, worker:SERVICE (comma-separated).")
        var roles: String?

        @OptionGroup var data: DataOptions

        func validate() throws {
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
            guard !name.isEmpty, !name.hasPrefix("."), name.unicodeScalars.allSatisfy(allowed.contains) else {
                throw ValidationError(
                    "key name '\(name)' must be letters, digits, '-', '_' or '.', not starting with '.'")
            }
            if let roles, case .failure(let error) = PeerRoles.parse(roles) {
                throw ValidationError("--roles: \(error)")
            }
        }

        func run() throws {
            guard Curve.isAvailable else { throw CLIError("this libzmq was built without CURVE support") }
            let (base, certificate) = try Self.writePair(name: name, roles: roles, folder: out ?? data.path("keys"))
            print("public key:  \(base).key")
            print("secret key:  \(base).key_secret  (mode 600)")
            print("Z85 public:  \(certificate.publicKey)")
            if name == "server" {
                print("\nGive \(base).key to every client and worker (--server-key FILE or $DOCPIPE_SERVER_KEY).")
            } else {
                print(
                    "\nOn the broker machine: copy \(name).key into DATA/authorized_keys/. Here: --key \(base).key_secret "
                        + "(or $DOCPIPE_KEY).")
            }
        }

        /// Writes NAME.key_secret (mode 600) and NAME.key into `folder`; refuses to overwrite either.
        /// Returns the path without extension and the new certificate.
        static func writePair(name: String, roles: String?, folder: String) throws -> (base: String, CurveCertificate) {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            var metadata = ["name": name]
            if let roles { metadata["roles"] = roles }
            let certificate = try CurveCertificate.generate(metadata: metadata)
            let base = URL(fileURLWithPath: folder).appendingPathComponent(name).path
            let made =
                "docpipe CURVE key \"\(name)\", made by `docpipe keygen` on \(ISO8601DateFormatter().string(from: Date()))"
            try CurveCertificate.writeNewFile(
                certificate.text(
                    includingSecret: true, comment: "\(made)\nSECRET: keep this file to this machine (mode 600)."),
                to: base + ".key_secret", mode: 0o600)
            try CurveCertificate.writeNewFile(
                certificate.text(
                    includingSecret: false,
                    comment: "\(made)\nPublic: copy it into the broker's authorized_keys folder to let \(name) in."),
                to: base + ".key", mode: 0o644)
            return (base, certificate)
        }
    }
}
