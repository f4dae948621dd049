import Foundation
import Testing
import TextAnalysis
import WorkerKit

/// The n-gram identifier's logic on small made-up profiles, so each rule is tested on its own.
@Suite struct NGramLanguageModelTests {
    /// A profile counted from sample words the way the real ones were: each word padded with a
    /// boundary space on both sides, every 1-, 2- and 3-gram but a lone space.
    static func profile(_ code: String, _ text: String) -> NGramProfileFile.Profile {
        var freq: [String: Int] = [:]
        var totals = [0, 0, 0]
        for word in text.split(separator: " ") {
            let characters = Array(" \(word) ")
            for length in 1...3 {
                guard characters.count >= length else { continue }
                for start in 0...(characters.count - length) {
                    let gram = String(characters[start..<start + length])
                    if gram == " " { continue }
                    freq[gram, default: 0] += 1
                    totals[length - 1] += 1
                }
            }
        }
        return .init(code: code, nWords: totals, freq: freq)
    }

    static func model(_ profiles: [NGramProfileFile.Profile], classes: [String] = []) throws -> NGramLanguageModel {
        try NGramLanguageModel(file: NGramProfileFile(source: "test", languages: profiles, cjkClasses: classes))
    }

    @Test func picksTheLanguageWhoseNGramsFit() throws {
        let model = try Self.model([
            Self.profile("aa", "kato lipa sumo kato rani lipa toka"),
            Self.profile("bb", "zuvex yrrg vexz zuvy grrx xyvz"),
        ])
        let first = try #require(model.identify("lipa kato sumo rani"))
        #expect(first.language == "aa")
        #expect(first.confidence > 0.9)
        #expect(model.identify("vexz zuvex yrrg")?.language == "bb")
        #expect(model.languages == ["aa", "bb"])
    }

    @Test func wordsInCapitalsAreIgnored() throws {
        // aa's profile holds the capitals "A", "T", "O", "AT", "TO", "ATO". Inside a word written in
        // capitals they are not taken (only its edges, "K", " K", "K ", "OK ", which aa lacks), so
        // the one lowercase word decides; counted, the 24 capital n-grams would outvote it.
        let model = try Self.model([Self.profile("aa", "xATOx"), Self.profile("bb", "zuvex")])
        #expect(model.identify("KATOK KATOK KATOK KATOK zuvex")?.language == "bb")
    }

    @Test func latinWordsDoNotOutvoteANonLatinText() throws {
        let model = try Self.model([
            Self.profile("ru", "мир дом город страна"),
            Self.profile("en", "django html json config settings"),
        ])
        // Fewer Cyrillic letters than Latin ones, but over 30%: the Latin technical terms are ignored.
        #expect(model.identify("город мир дом django html json settings")?.language == "ru")
        // Mostly Latin text is judged on everything.
        #expect(model.identify("django html json config settings мир")?.language == "en")
    }

    @Test func eastAsianScriptsNarrowTheChoice() throws {
        let model = try Self.model([
            Self.profile("zh-cn", "政府 计划 城市 成本"),
            Self.profile("zh-tw", "政府 計劃 城市 成本"),
            Self.profile("ja", "東京"),
            Self.profile("ko", "서울"),
        ])
        // Both Chinese profiles are reported as one language.
        #expect(model.identify("政府 城市 成本 政府 计划")?.language == "zh")
        // Kana means Japanese even when the Han characters fit the Chinese profiles better.
        #expect(model.identify("政府の計画と城市の成本について")?.language == "ja")
        #expect(model.identify("정부는 政府 계획을 발표했다")?.language == "ko")
        #expect(model.languages == ["ja", "ko", "zh"])
    }

    @Test func ideographsFoldToTheirClass() throws {
        // 乙 is listed in one class with 甲, so text in 乙 matches a profile counted with 甲.
        let model = try Self.model([Self.profile("zh-cn", "甲甲 甲"), Self.profile("ja", "あア")], classes: ["甲乙"])
        #expect(model.identify("乙乙 乙乙 乙")?.language == "zh")
    }

    @Test func ambiguousTextIsUndetermined() throws {
        let same = "kato lipa sumo"
        let model = try Self.model([Self.profile("aa", same), Self.profile("bb", same), Self.profile("cc", same)])
        let guess = try #require(model.identify("kato lipa sumo kato"))
        #expect(guess.language == "und")
        #expect(abs(guess.confidence - 1.0 / 3) < 0.01)
    }

    @Test func aScriptNoProfileKnowsFallsBackToScriptRules() throws {
        let model = try Self.model([Self.profile("en", "the city plan")])
        let georgian = "საქართველოს მთავრობამ გეგმა შეცვალა"
        #expect(model.identify(georgian) == nil)
        #expect(LanguageIdentifier.identify(georgian, model: model).language == "ka")
    }

    @Test func rejectsAnUnknownFormat() throws {
        var file = NGramProfileFile(source: "test", languages: [Self.profile("aa", "kato")])
        file.format = "something-else/9"
        #expect(throws: NGramProfileFile.Invalid.self) { try NGramLanguageModel(file: file) }
        #expect(throws: NGramProfileFile.Invalid.self) {
            try NGramLanguageModel(file: NGramProfileFile(source: "test", languages: []))
        }
    }

    @Test func aMissingProfileFileIsExplained() {
        // A path set explicitly must exist: silently using other profiles would hide the mistake.
        let variable = NGramProfileFile.environmentVariable
        let result = InstalledModelFile.locate(
            NGramProfileFile.fileName, environmentVariable: variable, environment: [variable: "/nonexistent/x.json"])
        guard case .failure(let problem) = result else {
            Issue.record("a missing explicit file was accepted")
            return
        }
        #expect(problem.description.contains("/nonexistent/x.json"))
        let paths = InstalledModelFile.searchPaths(
            NGramProfileFile.fileName, environmentVariable: variable, environment: [variable: "/p.json"])
        #expect(paths.first == "/p.json")
        // The fallback says why, in the line the extractor worker logs at start-up.
        let identifier = LanguageIdentifier(table: result, profiles: result)
        #expect(identifier.model == nil && identifier.table == nil)
        #expect(identifier.status.hasPrefix("function-word fallback"))
        #expect(identifier.status.contains("/nonexistent/x.json"))
    }

    @Test func profilesAreReadFromTheFileHandedIn() throws {
        // The lookup's order (variable, executable's folder, share/docpipe) and a real file read through
        // `LanguageIdentifier(profiles:)`, in a folder of this test's own.
        // Resolved like the executable's path is, so the paths compare equal where the temporary folder is a link.
        let folder = FileManager.default.temporaryDirectory.resolvingSymlinksInPath()
            .appendingPathComponent("langid-\(UUID().uuidString)")
        let beside = folder.appendingPathComponent("bin/m.json")
        let shared = folder.appendingPathComponent("share/docpipe/m.json")
        try FileManager.default.createDirectory(
            at: beside.deletingLastPathComponent(), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let executable = folder.appendingPathComponent("bin/docpipe-extractor")
        func locate() -> Result<URL, InstalledModelFile.NotFound> {
            InstalledModelFile.locate("m.json", environmentVariable: "UNSET", environment: [:], executable: executable)
        }
        let paths = InstalledModelFile.searchPaths(
            "m.json", environmentVariable: "UNSET", environment: [:], executable: executable)
        #expect(paths == [beside.path, shared.path])
        guard case .failure(let problem) = locate() else {
            Issue.record("found a file that is not there")
            return
        }
        #expect(problem.description.contains("run `make models` or set UNSET"))

        let json =
            #"{"format": "docpipe-langid-profiles/1", "source": "test", "cjkClasses": [], "languages": ["#
            + #"{"code": "aa", "nWords": [4, 3, 2], "freq": {"k": 1, "a": 1, "ka": 1, "kat": 1}}]}"#
        try FileManager.default.createDirectory(
            at: shared.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(json.utf8).write(to: shared)
        let noTable = InstalledModelFile.locate(
            "absent.bin", environmentVariable: "UNSET", environment: [:], executable: executable)
        let identifier = LanguageIdentifier(table: noTable, profiles: locate())
        #expect(identifier.model?.languages == ["aa"], "\(identifier.status)")
        #expect(identifier.status.hasPrefix("n-gram profiles for 1 languages (test); no absent.bin found"))

        // The file beside the executable comes first; a broken one is reported, not skipped.
        try Data("not json".utf8).write(to: beside)
        let broken = LanguageIdentifier(table: noTable, profiles: locate())
        #expect(broken.model == nil)
        #expect(broken.status.contains("cannot use language profiles at \(beside.path)"))
    }
}

extension NGramLanguageModelTests {
    @Test func spellingMarkersChooseAmongTheNordicLanguages() throws {
        typealias T = NGramLanguageModelTests
        // The n-grams favour "da" (its profile alone has "och" and "inte"), but those two words are
        // Swedish spellings, so among Danish, Norwegian and Swedish the answer is Swedish.
        let nordic = try T.model([
            T.profile("da", "kato lipa sumo zuvex och inte"), T.profile("no", "kato lipa sumo"),
            T.profile("sv", "kato lipa sumo"),
        ])
        #expect(nordic.identify("kato lipa och inte sumo")?.language == "sv")
        // Norwegian markers ("å", "ble", "etter") outnumber the Swedish ones the same way.
        #expect(nordic.identify("kato lipa och inte sumo å ble etter")?.language == "no")
        // Without markers the n-gram answer stands.
        #expect(nordic.identify("kato zuvex lipa zuvex")?.language == "da")
        // Outside the three, the markers change nothing.
        let other = try T.model([
            T.profile("aa", "kato lipa sumo och inte"), T.profile("bb", "kato lipa sumo"),
            T.profile("sv", "kato lipa sumo"),
        ])
        #expect(other.identify("kato lipa och inte sumo")?.language == "aa")
    }
}

extension NGramLanguageModelTests {
    @Test func decomposedVietnameseMeetsThePrecomposedProfile() throws {
        typealias T = NGramLanguageModelTests
        // The profile holds "thể" written precomposed (U+1EC3); the text types it as e + circumflex +
        // hook above, which only matches after canonical composition.
        let model = try T.model([T.profile("vi", "thể thể hiển"), T.profile("xx", "the hien tho")])
        let decomposed = "the\u{0302}\u{0309} hie\u{0302}\u{0309}n the\u{0302}\u{0309}"
        #expect(model.identify(decomposed)?.language == "vi")
    }
}
