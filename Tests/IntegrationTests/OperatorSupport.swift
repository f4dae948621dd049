import DocClient
import DocProtocol
import Foundation
import Testing

/// Running the operator commands the way an operator does: the real `docpipe` executable, against a cluster.
extension TestCluster {
    /// `docpipe ARGS --broker <this cluster>`; bounded, like every wait in these tests.
    func docpipe(_ arguments: [String], timeout: Double = 20) throws -> (status: Int32, output: String, errors: String)
    {
        try runCommand(TestPaths.executable("docpipe"), arguments + ["--broker", endpoint], timeout: timeout)
    }

    /// `docpipe ARGS --json`, decoded; a non-zero exit is a test failure with the command's stderr.
    func docpipeJSON<T: Decodable>(_ arguments: [String], as type: T.Type) throws -> T {
        let run = try docpipe(arguments + ["--json"])
        guard run.status == 0 else {
            throw TestFailure("docpipe \(arguments.joined(separator: " ")) exited \(run.status): \(run.errors)")
        }
        return try JSONShape.decodeWire(type, from: run.output)
    }

    /// Submits `count` small distinct text documents to `pipeline` and returns their job ids.
    func submitDocuments(_ count: Int, pipeline: String, tag: String = "doc") throws -> [String] {
        let client = try client(timeoutMs: 5000)
        return try (0..<count).map { index in
            let document = Document(
                id: "\(tag)-\(index)", name: "\(tag)-\(index).txt",
                content: "Operator view test document \(index). It says little, on purpose.")
            return try client.submit(SubmitRequest(pipeline: pipeline, document: document)).jobID
        }
    }

    func stage(_ name: String) throws -> StageStats {
        guard let stage = try status().stages?.first(where: { $0.service == name }) else {
            throw TestFailure("no stage \(name) in docpipe.status")
        }
        return stage
    }
}
