import Foundation

extension PluginScaffold {
    /// A Python plugin on docpipe_mdp (pyzmq only): one module with the stage, a pytest test.
    func pythonFiles() -> [String: String] {
        let sdk = sdkPathFromPlugin + "/protocol/python"
        let manifestData = (try? manifest(command: ["python3", "\(moduleName).py"]).encoded()) ?? Data()
        let sdkPathParts = sdk.split(separator: "/").map { "\"\($0)\"" }.joined(separator: ", ")
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

                import os
                import sys

                try:
                    import docpipe_mdp  # noqa: F401 — installed with `pip install <docpipe>/protocol/python`
                except ImportError:  # not installed: use the SDK in the docpipe checkout this was scaffolded from
                    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), \(sdkPathParts)))

                from docpipe_mdp.stage import StageFailure, extracted_text, main  # noqa: E402

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

                import os
                import sys

                sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

                import \(moduleName)  # noqa: E402
                from docpipe_mdp.testing import result_of, run_stage  # noqa: E402


                def test_counts_words():
                    assert run_stage(\(moduleName).process, "one two three") == {"words": 3, "characters": 13}


                def test_empty_document_fails_for_good():
                    result = result_of(\(moduleName).process, "")
                    assert result.status == "error"
                    assert (result.error.reason, result.error.retryable) == ("no_text", False)

                """,
            "README.md": readme(build: "", test: "python3 -m pytest -q",
                                run: "python3 \(moduleName).py --broker tcp://127.0.0.1:5555     # one worker"),
        ]
    }
}
