import Foundation

/// Reads what `tesseract IMAGE stdout tsv` prints: one row per page, block, paragraph, line and
/// word, with each word's confidence (0–100, -1 for rows that are not words). The text is rebuilt
/// from the rows (words joined by spaces, lines by line breaks, paragraphs and blocks by blank
/// lines), so one Tesseract run gives both the text and its confidences.
public enum TesseractTSV {
    /// One page as Tesseract read it.
    public struct Page: Sendable, Equatable {
        public var number: Int
        public var text: String
        /// Each recognised word's confidence, 0–100, in reading order.
        public var confidences: [Double]

        public init(number: Int, text: String, confidences: [Double]) {
            self.number = number
            self.text = text
            self.confidences = confidences
        }
    }

    /// The pages in the output, in order; a page with no words has empty text. Rows that are not
    /// twelve tab-separated columns with numeric positions (the header, a warning) are skipped.
    public static func parse(_ tsv: String) -> [Page] {
        var pages: [Page] = []
        var text = ""
        var confidences: [Double] = []
        var pageNumber: Int?
        var lastLine: (block: Int, paragraph: Int, line: Int)?

        func closePage() {
            if let pageNumber { pages.append(Page(number: pageNumber, text: text, confidences: confidences)) }
            text = ""
            confidences = []
            lastLine = nil
        }

        for row in tsv.split(separator: "\n", omittingEmptySubsequences: true) {
            let columns = row.split(separator: "\t", maxSplits: 11, omittingEmptySubsequences: false)
            guard columns.count >= 11, let level = Int(columns[0]), let page = Int(columns[1]),
                let block = Int(columns[2]), let paragraph = Int(columns[3]), let line = Int(columns[4])
            else { continue }
            if page != pageNumber {
                closePage()
                pageNumber = page
            }
            let word = columns.count > 11 ? columns[11].trimmingCharacters(in: .whitespacesAndNewlines) : ""
            guard level == 5, !word.isEmpty else { continue }
            if let last = lastLine {
                if last.block != block || last.paragraph != paragraph {
                    text += "\n\n"
                } else if last.line != line {
                    text += "\n"
                } else {
                    text += " "
                }
            }
            text += word
            lastLine = (block, paragraph, line)
            if let confidence = Double(columns[10].trimmingCharacters(in: .whitespaces)), confidence >= 0 {
                confidences.append(min(confidence, 100))
            }
        }
        closePage()
        return pages
    }

    /// The mean word confidence over every page, 0–1 (Tesseract's 0–100 divided by 100), or nil
    /// when no word was recognised. Words count equally wherever they are, so a page with two words
    /// does not weigh as much as a page of prose.
    public static func meanConfidence(_ pages: [Page]) -> Double? {
        let all = pages.flatMap(\.confidences)
        guard !all.isEmpty else { return nil }
        let mean = all.reduce(0, +) / Double(all.count) / 100
        return (mean * 1000).rounded() / 1000
    }
}
