import DocProtocol
import DocpipeGateway
import Foundation
import NIOCore
import Testing

/// The gateway's pure parts, without sockets: tokens, access, uploads, submit answers, readiness, and the
/// route table against protocol/openapi.yaml.
struct GatewayLogicTests {
    @Test func aTokensFileNamesHoldersAndTheirRoles() throws {
        let tokens = try APITokens(
            parsing: """
                # comment line
                uploader  aaaaaaaaaaaaaaaaaaaa  client   # trailing comment
                ops       bbbbbbbbbbbbbbbbbbbb  client,operator

                watcher   cccccccccccccccccccc  operator
                """)
        #expect(tokens.count == 3)
        #expect(
            tokens.holder(ofBearer: "Bearer aaaaaaaaaaaaaaaaaaaa")
                == .init(name: "uploader", client: true, operator: false))
        #expect(tokens.holder(ofBearer: "bearer bbbbbbbbbbbbbbbbbbbb")?.operator == true)
        #expect(tokens.holder(ofBearer: "Bearer aaaaaaaaaaaaaaaaaaab") == nil)
        #expect(tokens.holder(ofBearer: "Basic aaaaaaaaaaaaaaaaaaaa") == nil)
        #expect(tokens.holder(ofBearer: nil) == nil)
    }

    @Test func aBadTokensFileSaysWhichLineAndWhy() {
        let cases: [(String, Int, String)] = [
            ("a short client", 1, "shorter"),
            ("a aaaaaaaaaaaaaaaaaaaa client\nb aaaaaaaaaaaaaaaaaaaa client", 2, "already used"),
            ("a aaaaaaaaaaaaaaaaaaaa client\na bbbbbbbbbbbbbbbbbbbb client", 2, "appears twice"),
            ("\n\na aaaaaaaaaaaaaaaaaaaa admin", 3, "unknown role 'admin'"),
            ("lonely", 1, "NAME TOKEN ROLES"),
        ]
        for (text, line, words) in cases {
            #expect(throws: APITokens.ParseError.self) { try APITokens(parsing: text) }
            do {
                _ = try APITokens(parsing: text)
            } catch let error as APITokens.ParseError {
                #expect(error.line == line, "\(text)")
                #expect(error.message.contains(words), "\(error)")
            } catch {}
        }
    }

    @Test func accessFollowsTheRouteRole() throws {
        let tokens = try APITokens(parsing: "c cccccccccccccccccccc client\no oooooooooooooooooooo operator")
        let client = "Bearer cccccccccccccccccccc"
        let op = "Bearer oooooooooooooooooooo"
        #expect(GatewayAccess.decide(.client, tokens: nil, authorization: nil) == .allowed(who: nil))
        #expect(GatewayAccess.decide(.open, tokens: tokens, authorization: nil) == .allowed(who: nil))
        #expect(GatewayAccess.decide(.client, tokens: tokens, authorization: nil) == .unauthenticated)
        #expect(GatewayAccess.decide(.client, tokens: tokens, authorization: client) == .allowed(who: "c"))
        #expect(GatewayAccess.decide(.operator, tokens: tokens, authorization: op) == .allowed(who: "o"))
        guard case .forbidden(let why) = GatewayAccess.decide(.operator, tokens: tokens, authorization: client) else {
            Issue.record("a client token on an operator route must be forbidden")
            return
        }
        #expect(why.contains("operator"))
        #expect(GatewayAccess.decide(.client, tokens: tokens, authorization: op) != .allowed(who: "o"))
    }

    @Test func aRawBodyIsOneDocumentAndMultipartOnePerPart() throws {
        let raw = try UploadParser.files(
            contentType: "text/html; charset=utf-8", filename: "dir/page.html",
            body: ByteBuffer(string: "<p>hi</p>"))
        #expect(raw == [UploadedFile(filename: "page.html", contentType: "text/html", bytes: Data("<p>hi</p>".utf8))])

        let body =
            "--b0\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a;b.txt\"\r\nContent-Type: text/plain\r\n\r\n"
            + "first\r\n--b0\r\nContent-Disposition: form-data; name=\"empty\"; filename=\"e.txt\"\r\n\r\n\r\n"
            + "--b0\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nsecond\r\n--b0--\r\n"
        let parts = try UploadParser.files(
            contentType: "multipart/form-data; boundary=\"b0\"", filename: nil,
            body: ByteBuffer(string: body))
        #expect(
            parts == [
                UploadedFile(filename: "a;b.txt", contentType: "text/plain", bytes: Data("first".utf8)),
                UploadedFile(filename: "note", contentType: nil, bytes: Data("second".utf8)),
            ])
    }

    @Test func unreadableUploadsAreRefusedWithAReason() {
        let cases: [(String?, String)] = [
            (nil, ""),
            ("multipart/form-data", "--x\r\n\r\nbody\r\n--x--\r\n"),
            ("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nno end"),
            ("multipart/form-data; boundary=x", "--x--\r\n"),
        ]
        for (type, body) in cases {
            #expect(throws: UploadParser.Refusal.self, "\(type ?? "-") \(body)") {
                try UploadParser.files(contentType: type, filename: nil, body: ByteBuffer(string: body))
            }
        }
    }

    @Test func filenamesLoseTheirPathsAndControlCharacters() {
        #expect(UploadParser.cleanName("../../etc/passwd") == "passwd")
        #expect(UploadParser.cleanName("C:\\Users\\me\\report.pdf") == "report.pdf")
        #expect(UploadParser.cleanName("bad\u{0}name\u{7}.txt") == "badname.txt")
        #expect(UploadParser.cleanName("..") == nil)
        #expect(UploadParser.cleanName("") == nil)
        #expect(MediaType(header: "Multipart/Form-Data; Boundary=\"a\\\"b\"").parameters["boundary"] == "a\"b")
    }

    @Test func submitAnswersFollowWhatTheBrokerSaid() {
        let file = UploadedFile(filename: "a.txt", contentType: "text/plain", bytes: Data("a".utf8))
        let busy = ErrorReply(status: .busy, reason: "busy", message: "too many unfinished jobs", retryAfterMs: 1500)
        let one = SubmitOutcome(files: [file], entries: [.accepted(jobID: "job-1", documentID: "doc-1")])
        #expect(one.status == .accepted && one.retryAfter == nil)
        #expect(one.body == .one(.init(filename: "a.txt", jobID: "job-1", documentID: "doc-1")))

        let refused = SubmitOutcome(files: [file], entries: [.refused(busy)])
        #expect(refused.status == .serviceUnavailable && refused.retryAfter == "2")
        #expect(refused.body == .refusal(busy))

        let mixed = SubmitOutcome(
            files: [file, file], entries: [.accepted(jobID: "job-1", documentID: "doc-1"), .refused(busy)])
        #expect(mixed.status == .accepted)
        guard case .many(let many) = mixed.body else {
            Issue.record("two files answer with every entry")
            return
        }
        #expect(many.accepted == 1 && many.refused == 1 && many.jobs[1].error == busy)

        let tooLarge = ErrorReply(status: .tooLarge, reason: "too_large", message: "over")
        let none = SubmitOutcome(files: [file, file], entries: [.refused(tooLarge), .refused(busy)])
        #expect(none.status == .contentTooLarge && none.retryAfter == nil)
        #expect(
            SubmitOutcome.retryAfterSeconds(1) == "1" && SubmitOutcome.retryAfterSeconds(1000) == "1"
                && SubmitOutcome.retryAfterSeconds(1001) == "2")
    }

    @Test func everyRouteIsInTheOpenAPIFileAndNothingElseIs() throws {
        let text = try String(
            contentsOf: TestPaths.repoRoot.appendingPathComponent("protocol/openapi.yaml"), encoding: .utf8)
        var documented: Set<String> = []
        var path: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if !line.hasPrefix(" ") {
                path = nil
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast().uppercased()
                if ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"].contains(method) {
                    documented.insert("\(method) \(path)")
                }
            }
        }
        let served = Set(GatewayRoute.all.map { "\($0.method.rawValue) \($0.path)" })
        #expect(
            served.subtracting(documented).isEmpty,
            "served but not in openapi.yaml: \(served.subtracting(documented).sorted())")
        #expect(
            documented.subtracting(served).isEmpty,
            "in openapi.yaml but not served: \(documented.subtracting(served).sorted())")
    }

    @Test func listenAddressesParse() {
        #expect(GatewayListen.parse("127.0.0.1:8080")! == ("127.0.0.1", 8080))
        #expect(GatewayListen.parse("[::1]:0")! == ("::1", 0))
        #expect(GatewayListen.parse(":9000")! == ("0.0.0.0", 9000))
        #expect(GatewayListen.parse("localhost") == nil)
        #expect(GatewayListen.parse("h:70000") == nil)
    }
}
