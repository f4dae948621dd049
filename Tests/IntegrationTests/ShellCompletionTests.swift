import Foundation
import Testing

/// The completion scripts the README tells users to install are there, for every shell it names, and know
/// the subcommands.
@Suite struct ShellCompletionTests {
    @Test(.timeLimit(.minutes(1)), arguments: ["bash", "zsh", "fish"])
    func docpipeWritesACompletionScript(shell: String) throws {
        let result = try runCommand(
            TestPaths.executable("docpipe"), ["--generate-completion-script", shell], timeout: 20)
        #expect(result.status == 0, "\(result.errors)")
        for word in ["submit", "status", "broker", "search"] {
            #expect(result.output.contains(word), "\(shell) completion lacks \(word)")
        }
    }
}
