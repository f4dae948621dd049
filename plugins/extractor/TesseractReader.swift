import DocumentFormats
import Foundation
import TextAnalysis

/// Reads text off images with Tesseract (Debian's `tesseract-ocr`), run as a child process with a
/// time limit, its `tsv` output giving both the words and their confidences. The languages are the
/// pipeline's hint when it names installed models, else a first pass in English whose text is
/// identified, and read again in that language when it is another installed one.
struct TesseractReader: Sendable {
    /// One Tesseract run (one image file) may take this long.
    var timeout: Duration = .seconds(120)
    /// Tesseract output past this is refused rather than read into memory.
    var maxOutputBytes = 64 * 1024 * 1024
    /// Tells the language of the first pass's text; the worker sets the one it built from the profiles.
    var languageIdentifier = LanguageIdentifier.functionWords

    static let missingTool = ExtractionError.unsupported(
        "reading scans and images needs tesseract from Debian's tesseract-ocr package (plus a language pack such as "
            + "tesseract-ocr-deu for German text), which is not installed on this worker's host "
            + "(apt-get install tesseract-ocr)")

    /// The engine found on this host: where it is, its name and version, its installed models.
    struct Engine: Sendable {
        var executable: URL
        var name: String
        var installed: Set<String>
        /// Whether `osd` is installed, so pages in any orientation can be read.
        var orientationModel: Bool
    }

    /// What reading a set of page images gave.
    struct Reading: Sendable {
        /// The pages read off each image, in the order given; images past the deadline are missing.
        var images: [[TesseractTSV.Page]]
        var languages: [String]

        var pages: [TesseractTSV.Page] { images.flatMap { $0 } }
    }

    /// The installed engine, or `missingTool`. Asked of tesseract itself each time (two runs of a
    /// few milliseconds), so installing a language pack needs no worker restart.
    func engine(in folder: URL) async throws -> Engine {
        guard let executable = ChildProcess.locate("tesseract", override: "DOCPIPE_TESSERACT_DIR") else {
            throw Self.missingTool
        }
        let version = try await output(of: executable, ["--version"], in: folder, named: "version")
        let languages = try await output(of: executable, ["--list-langs"], in: folder, named: "languages")
        let installed = OCRLanguages.parseInstalled(languages)
        guard !installed.isEmpty else {
            throw ExtractionError.unsupported(
                "tesseract is installed but has no language models; install tesseract-ocr-eng (and e.g. tesseract-ocr-deu)"
            )
        }
        return Engine(
            executable: executable, name: OCRReport.engineName(versionOutput: version), installed: installed,
            orientationModel: TesseractCommand.hasOrientationModel(languages))
    }

    /// Reads the page images in order, choosing the languages as described on the type. Stops when
    /// `deadline` passes; the pages not read by then are left out (the caller reports them skipped).
    /// The first page is read whatever the time (a reading with no page is no reading), but within
    /// the deadline too, so a document never holds the worker much past it.
    func read(
        _ images: [URL], hint: String?, engine: Engine, in folder: URL, deadline: ContinuousClock.Instant
    ) async throws -> Reading {
        guard let first = images.first else { return Reading(images: [], languages: []) }
        let hinted = OCRLanguages.fromHint(hint, installed: engine.installed)
        var languages =
            hinted.isEmpty
            ? [
                engine.installed.contains(OCRLanguages.firstPass)
                    ? OCRLanguages.firstPass : engine.installed.sorted()[0]
            ]
            : hinted
        var firstPage = try await read(first, languages: languages, engine: engine, in: folder, limit: limit(deadline))
        if hinted.isEmpty {
            let detected = languageIdentifier.identify(firstPage.map(\.text).joined(separator: "\n")).language
            if let better = OCRLanguages.secondPass(detected: detected, used: languages, installed: engine.installed) {
                languages = better
                firstPage = try await read(
                    first, languages: languages, engine: engine, in: folder, limit: limit(deadline))
            }
        }
        var read = [firstPage]
        for image in images.dropFirst() {
            let left = deadline - ContinuousClock.now
            guard left > .seconds(1) else { break }
            read.append(
                try await self.read(image, languages: languages, engine: engine, in: folder, limit: min(timeout, left)))
        }
        return Reading(images: read, languages: languages)
    }

    /// The time one run may take: `timeout`, or less when the deadline is nearer, but at least a
    /// few seconds so a page is not refused before it starts.
    private func limit(_ deadline: ContinuousClock.Instant) -> Duration {
        min(timeout, max(deadline - .now, .seconds(5)))
    }

    /// One image file read with the given models.
    private func read(
        _ image: URL, languages: [String], engine: Engine, in folder: URL, limit: Duration
    ) async throws -> [TesseractTSV.Page] {
        let stem = image.deletingPathExtension().lastPathComponent
        let tsv = folder.appendingPathComponent("\(stem).tsv")
        let errors = folder.appendingPathComponent("\(stem).stderr")
        let outcome = try await ChildProcess.run(
            engine.executable,
            TesseractCommand.arguments(
                image: image.path, languages: languages, orientationModel: engine.orientationModel),
            stdout: tsv, stderr: errors, timeout: limit,
            // One thread: the worker's concurrency is the unit of parallelism, and OpenMP's spinning
            // threads slow a shared machine down more than they speed one page up.
            environment: ["OMP_THREAD_LIMIT": "1"])
        switch outcome {
        case .exited(0):
            break
        case .timedOut:
            throw ExtractionError.tooLarge("tesseract did not finish reading the image within \(limit) and was stopped")
        case .exited(let status):
            throw ExtractionError.malformed(
                format: "image",
                detail: "tesseract could not read it (exit status \(status)): \(Self.firstError(errors))")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: tsv.path)[.size] as? Int) ?? 0
        guard size <= maxOutputBytes else {
            throw ExtractionError.tooLarge("tesseract's output is \(size) bytes, over the \(maxOutputBytes)-byte limit")
        }
        return TesseractTSV.parse((try? String(contentsOf: tsv, encoding: .utf8)) ?? "")
    }

    /// The standard output of a quick informational run, or a clear error if tesseract fails.
    private func output(of executable: URL, _ arguments: [String], in folder: URL, named name: String) async throws
        -> String
    {
        let out = folder.appendingPathComponent("tesseract-\(name).txt")
        let errors = folder.appendingPathComponent("tesseract-\(name).stderr")
        let outcome = try await ChildProcess.run(
            executable, arguments, stdout: out, stderr: errors, timeout: .seconds(20))
        guard outcome == .exited(0) else {
            throw ExtractionError.unsupported(
                "tesseract \(arguments.joined(separator: " ")) failed (\(outcome)): \(Self.firstError(errors)); "
                    + "check the tesseract-ocr installation on this worker's host")
        }
        // Older versions print the version on stderr.
        let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        return text.isEmpty ? (try? String(contentsOf: errors, encoding: .utf8)) ?? "" : text
    }

    /// The most telling line of a tool's error output: its first "Error" line, else its first line.
    static func firstError(_ file: URL) -> String {
        let lines = ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(whereSeparator: \.isNewline)
        let line = lines.first(where: { $0.contains("rror") }) ?? lines.first
        return line.map { String($0.prefix(300)) } ?? "no message"
    }
}
