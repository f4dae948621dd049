/// A document's `metadata.language`: the language(s) its submitter says it is in, which the extractor
/// reads scans and images in. One code or several, separated by commas or `+`: ISO 639-1 with an
/// optional region or script (`de`, `pt-BR`, `sr-Latn`), or Tesseract's own model names (`deu+eng`,
/// `chi_sim`). Checked where a submitter gives one (`docpipe submit --language`, the gateway's
/// `?language=`), so a typo is refused at once instead of quietly falling back to detection.
public enum LanguageHint {
    /// The metadata key.
    public static let key = "language"

    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "," || $0 == "+" })
        return !parts.isEmpty
            && parts.allSatisfy { part in
                let pieces = part.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "_" })
                guard let primary = pieces.first, (2...3).contains(primary.count),
                    primary.allSatisfy({ $0.isASCII && $0.isLetter })
                else { return false }
                return pieces.dropFirst().allSatisfy { piece in
                    (2...8).contains(piece.count) && piece.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
                }
            }
    }
}
