public import DocStore
import Foundation
public import PostgresNIO

/// Turns a ``PostgresURL`` into postgres-nio's configurations: one for the pool every query uses, one
/// for the single connection that checks the server and migrates when the store opens.
package enum PostgresSettings {
    /// How long to wait for a TCP connection (and TLS handshake) before saying the server is unreachable.
    static let connectTimeout: Duration = .seconds(10)

    static func client(_ url: PostgresURL, maximumConnections: Int) throws -> PostgresClient.Configuration {
        let password = url.password()
        var configuration: PostgresClient.Configuration
        if let host = url.host {
            configuration = .init(
                host: host, port: url.port, username: url.user, password: password, database: url.database,
                tls: try clientTLS(url))
        } else {
            configuration = .init(
                unixSocketPath: url.socketPath!, username: url.user, password: password, database: url.database)
        }
        configuration.options.connectTimeout = connectTimeout
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = 0
        configuration.options.tlsServerName = serverName(url)
        return configuration
    }

    /// The name verify-full checks the certificate against. An IP address is no valid TLS server
    /// name (SNI), so for one none is given and the certificate is checked against the address itself.
    private static func serverName(_ url: PostgresURL) -> String? {
        guard url.sslMode == .verifyFull, let host = url.host else { return nil }
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1 { return nil }
        return host
    }

    package static func connection(_ url: PostgresURL) throws -> PostgresConnection.Configuration {
        let password = url.password()
        var configuration: PostgresConnection.Configuration
        if let host = url.host {
            let tls: PostgresConnection.Configuration.TLS =
                switch url.sslMode {
                case .disable: .disable
                case .prefer: .prefer(try NIOSSLContext(configuration: tlsConfiguration(url)))
                case .require, .verifyCA, .verifyFull: .require(try NIOSSLContext(configuration: tlsConfiguration(url)))
                }
            configuration = .init(
                host: host, port: url.port, username: url.user, password: password, database: url.database, tls: tls)
        } else {
            configuration = .init(
                unixSocketPath: url.socketPath!, username: url.user, password: password, database: url.database)
        }
        configuration.options.connectTimeout = .seconds(Int64(connectTimeout.components.seconds))
        configuration.options.tlsServerName = serverName(url)
        return configuration
    }

    private static func clientTLS(_ url: PostgresURL) throws -> PostgresClient.Configuration.TLS {
        switch url.sslMode {
        case .disable: .disable
        case .prefer: .prefer(try tlsConfiguration(url))
        case .require, .verifyCA, .verifyFull: .require(try tlsConfiguration(url))
        }
    }

    /// libpq's meaning of each sslmode: prefer and require encrypt without checking who answers;
    /// verify-ca checks the chain against `sslrootcert` (or the system roots); verify-full also
    /// checks that the certificate names the host.
    private static func tlsConfiguration(_ url: PostgresURL) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch url.sslMode {
        case .disable, .prefer, .require:
            tls.certificateVerification = .none
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
        case .verifyFull:
            tls.certificateVerification = .fullVerification
        }
        if let root = url.sslRootCert, url.sslMode == .verifyCA || url.sslMode == .verifyFull {
            guard FileManager.default.isReadableFile(atPath: root) else {
                throw DocStoreError.badLocation("sslrootcert \(root) cannot be read")
            }
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(root))
            } catch {
                throw DocStoreError.badLocation("sslrootcert \(root) is not a PEM certificate file: \(error)")
            }
        }
        return tls
    }
}
