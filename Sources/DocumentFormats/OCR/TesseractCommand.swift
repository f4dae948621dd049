import Foundation

/// The command line for one Tesseract run, built here so that what the worker runs is tested
/// without running it.
public enum TesseractCommand {
    /// `tesseract IMAGE stdout -l MODELS --psm 1|3 tsv`: the TSV report on standard output. With the
    /// orientation model (`osd`, shipped with Debian's tesseract-ocr) page segmentation 1 also finds
    /// the page's orientation, so a scan fed in sideways or upside down reads as well as an upright
    /// one (about a tenth slower); without it, 3, Tesseract's default, which assumes upright pages.
    public static func arguments(image: String, languages: [String], orientationModel: Bool) -> [String] {
        [image, "stdout", "-l", languages.joined(separator: "+"), "--psm", orientationModel ? "1" : "3", "tsv"]
    }

    /// True when `tesseract --list-langs` lists the orientation and script model.
    public static func hasOrientationModel(_ listing: String) -> Bool {
        listing.split(whereSeparator: \.isNewline).contains { $0.trimmingCharacters(in: .whitespaces) == "osd" }
    }
}
