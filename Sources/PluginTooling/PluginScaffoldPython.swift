package import Foundation

extension PluginScaffold {
    /// A Python plugin on the installed `docpipe-mdp` package (pyzmq only): one module with the stage, a pytest
    /// test. It imports the package like any other, so it runs wherever `pip install` put the SDK.
    package func pythonFiles() -> [String: String] {
        let manifestData = (try? manifest(command: ["python3", "\(moduleName).py"]).encoded()) ?? Data()
        return [
            "plugin.json": String(decoding: manifestData, as: UTF8.self),
            ".gitignore": "__pycache__/\n.pytest_cache/\n",
            "\(moduleName).py": """
            #!/usr/bin/env python3
            \"\"\"docpipe plugin `\(name)`: counts the words and characters of the extractor's text.

            Replace `process` with your stage's work. Raise StageFailure for a document that can never work
            (retryable=False) or for trouble that may pass (retryable=True); any other exception is reported
            as a retryable 500.

                python3 \(moduleName).py --broker tcp://127.0.0.1:5555
            \"\"\"

            try:
                import docpipe_mdp  # noqa: F401 — the SDK, a package: pip install <docpipe>/protocol/python
            except ImportError as error:
                raise ImportError(f"{error}: install the docpipe SDK first: pip install \(pythonPackagePath)") from None

            from docpipe_mdp.stage import StageFailure, extracted_text, main

            SERVICE = "\(name)"


            def process(request) -> dict:
                \"\"\"One document at this stage: returns this stage's output, a JSON object.\"\"\"
                text = extracted_text(request)
                if not text:
                    raise StageFailure("no_text", "the document has no text")
                return {"words": len(text.split()), "characters": len(text)}


            if __name__ == "__main__":
                main(SERVICE, process, summary="docpipe \(name): counts words and characters.")

            """,
            "test_\(moduleName).py": """
            \"\"\"Tests for the `\(name)` stage, without a broker (docpipe_mdp.testing).\"\"\"

            import \(moduleName)  # pytest puts this folder on the path
            from docpipe_mdp.testing import result_of, run_stage


            def test_counts_words():
                assert run_stage(\(moduleName).process, "one two three") == {"words": 3, "characters": 13}


            def test_empty_document_fails_for_good():
                result = result_of(\(moduleName).process, "")
                assert result.status == "error"
                assert (result.error.reason, result.error.retryable) == ("no_text", False)

            """,
            "README.md": readme(
                build: "pip install \(pythonPackagePath)     # the SDK, docpipe-mdp (in a venv, or --user)\n",
                test: "python3 -m pytest -q",
                run: "python3 \(moduleName).py --broker tcp://127.0.0.1:5555     # one worker"),
        ]
    }

    /// Where `pip install` finds the SDK: protocol/python in the docpipe checkout.
    package var pythonPackagePath: String { sdkRoot.appendingPathComponent("protocol/python").standardizedFileURL.path }
}
