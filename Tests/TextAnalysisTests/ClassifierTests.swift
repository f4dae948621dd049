import Foundation
import Testing
import TextAnalysis

@Suite struct ClassifierTests {
    static let training: [LabeledText] = [
        LabeledText(
            label: "politics", text: "The parliament voted on the new election law after a long debate among ministers."
        ),
        LabeledText(
            label: "politics",
            text: "The president met the prime minister to discuss the coalition government and the vote."),
        LabeledText(
            label: "politics",
            text: "Opposition parties demanded a new election and criticised the government minister."),
        LabeledText(
            label: "politics",
            text: "NATO defense ministers discussed a new strategy and security policy with the alliance."),
        LabeledText(
            label: "sports", text: "The team won the football match with two goals in the final minutes of the game."),
        LabeledText(
            label: "sports", text: "The striker scored a goal and the coach praised the players after the league match."
        ),
        LabeledText(
            label: "sports", text: "The tennis champion won the tournament final in straight sets before a loud crowd."),
        LabeledText(
            label: "sports",
            text: "Fans celebrated as the club won the championship title after the season's last game."),
        LabeledText(
            label: "technology",
            text: "The company released a new smartphone with a faster chip and better battery software."),
        LabeledText(
            label: "technology",
            text: "Engineers trained a machine learning model on data centre computers with new chips."),
        LabeledText(
            label: "technology",
            text: "The software update fixes security bugs in the operating system and the browser app."),
        LabeledText(
            label: "technology",
            text: "Developers launched an app that uses cloud computing and artificial intelligence."),
    ]

    @Test func predictsHeldOutExamples() {
        let classifier = TopicClassifier(training: Self.training)
        let heldOut = [
            ("politics", "Ministers in the government debated the election results in parliament."),
            ("sports", "The coach said the players scored a late goal to win the match."),
            ("technology", "A new chip makes the smartphone software run faster."),
            ("politics", "NATO plans to develop a new security strategy, the alliance ministers said."),
        ]
        for (expected, text) in heldOut {
            let prediction = classifier.classify(text)
            #expect(prediction.topic == expected, "\(text) → \(prediction)")
            #expect(prediction.confidence > 0.5)
        }
    }

    @Test func probabilitiesSumToOneAndAreSorted() {
        let prediction = TopicClassifier(training: Self.training).classify("The team released a new app for fans.")
        #expect(prediction.labels.count == 3)
        #expect(abs(prediction.labels.reduce(0) { $0 + $1.score } - 1) < 1e-9)
        #expect(prediction.labels == prediction.labels.sorted { $0.score > $1.score })
        #expect(prediction.topic == prediction.labels[0].label)
        #expect(prediction.confidence == prediction.labels[0].score)
    }

    @Test func deterministicAndCodable() throws {
        let classifier = TopicClassifier(training: Self.training)
        let text = "The minister scored a goal for the software team."
        let first = classifier.classify(text)
        #expect(TopicClassifier(training: Self.training).classify(text) == first)
        let data = try JSONEncoder().encode(classifier)
        let restored = try JSONDecoder().decode(TopicClassifier.self, from: data)
        #expect(restored.classify(text) == first)
    }

    @Test func degenerateInputs() {
        let empty = TopicClassifier(training: []).classify("anything")
        #expect(empty.topic == "unknown" && empty.labels.isEmpty)
        let single = TopicClassifier(training: [LabeledText(label: "only", text: "words")]).classify("")
        #expect(single.topic == "only" && single.confidence == 1)
        let noKnownTerms = TopicClassifier(training: Self.training).classify("zzz qqq")
        #expect(abs(noKnownTerms.labels.reduce(0) { $0 + $1.score } - 1) < 1e-9)
    }
}
