public import Foundation

/// The raster image formats the extractor reads by OCR, told by their magic numbers, with their
/// pixel size read from the header so an image too big to OCR is refused before any tool opens it.
public enum RasterImage {
    /// A recognised image: its format and its size in pixels.
    public struct Header: Sendable, Equatable {
        public var kind: ContentKind
        public var width: Int
        public var height: Int

        public init(kind: ContentKind, width: Int, height: Int) {
            self.kind = kind
            self.width = width
            self.height = height
        }

        public var pixels: Int { width * height }
    }

    /// Images over this many pixels are refused: Tesseract would take minutes and gigabytes on them
    /// (Leptonica holds 4 bytes a pixel before any working copy). A 600-dpi A4 scan is 35 million.
    public static let maxPixels = 40_000_000

    /// PNG, JPEG or TIFF when the first bytes say so, else nil.
    public static func kind(of bytes: Data) -> ContentKind? {
        let head = [UInt8](bytes.prefix(4))
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return .png }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head == [0x49, 0x49, 0x2A, 0x00] || head == [0x4D, 0x4D, 0x00, 0x2A] { return .tiff }
        return nil
    }

    /// The image's format and size, or a clear error when the header is missing, cut short or
    /// describes an image too large to read.
    public static func header(of bytes: Data) throws(ExtractionError) -> Header {
        guard let kind = kind(of: bytes) else {
            throw .malformed(format: "image", detail: "it is not a PNG, JPEG or TIFF file")
        }
        let raw = [UInt8](bytes)
        let size: (Int, Int)? =
            switch kind {
            case .png: pngSize(raw)
            case .jpeg: jpegSize(raw)
            default: tiffSize(raw)
            }
        let name = formatName(kind)
        guard let (width, height) = size else {
            throw .malformed(format: name, detail: "its header is cut short or damaged, so its size cannot be read")
        }
        guard width > 0, height > 0 else {
            throw .malformed(format: name, detail: "its header gives a size of \(width) × \(height) pixels")
        }
        guard width <= 1_000_000, height <= 1_000_000, width * height <= maxPixels else {
            throw .tooLarge(
                "the \(name) image is \(width) × \(height) pixels, over the \(maxPixels / 1_000_000)-megapixel OCR limit"
            )
        }
        return Header(kind: kind, width: width, height: height)
    }

    /// "PNG", "JPEG", "TIFF".
    public static func formatName(_ kind: ContentKind) -> String {
        switch kind {
        case .png: "PNG"
        case .jpeg: "JPEG"
        case .tiff: "TIFF"
        default: kind.rawValue
        }
    }

    /// The file name extension Tesseract's image reader expects for the format.
    public static func fileExtension(_ kind: ContentKind) -> String {
        switch kind {
        case .png: "png"
        case .jpeg: "jpg"
        default: "tif"
        }
    }

    /// PNG: the IHDR chunk comes first, width and height big-endian at bytes 16 and 20.
    static func pngSize(_ b: [UInt8]) -> (Int, Int)? {
        guard b.count >= 24, Array(b[12..<16]) == Array("IHDR".utf8) else { return nil }
        return (bigEndian(b, 16, 4), bigEndian(b, 20, 4))
    }

    /// JPEG: walk the marker segments to the first start-of-frame (SOF0–SOF15 but DHT, JPG, DAC),
    /// which holds height then width.
    static func jpegSize(_ b: [UInt8]) -> (Int, Int)? {
        var at = 2
        while at + 4 <= b.count {
            guard b[at] == 0xFF else { return nil }
            let marker = b[at + 1]
            if marker == 0xFF {
                at += 1
                continue
            } // fill byte
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) {
                at += 2
                continue
            }
            if marker == 0xD9 || marker == 0xDA { return nil } // end of image or scan data before a frame
            let length = bigEndian(b, at + 2, 2)
            guard length >= 2 else { return nil }
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard at + 9 <= b.count else { return nil }
                return (bigEndian(b, at + 7, 2), bigEndian(b, at + 5, 2))
            }
            at += 2 + length
        }
        return nil
    }

    /// TIFF: the first image file directory's ImageWidth (256) and ImageLength (257) entries.
    static func tiffSize(_ b: [UInt8]) -> (Int, Int)? {
        guard b.count >= 8 else { return nil }
        let little = b[0] == 0x49
        func read(_ offset: Int, _ count: Int) -> Int? {
            guard offset >= 0, offset + count <= b.count else { return nil }
            return little ? littleEndian(b, offset, count) : bigEndian(b, offset, count)
        }
        guard let directory = read(4, 4), let entries = read(directory, 2) else { return nil }
        var width: Int?
        var height: Int?
        for index in 0..<min(entries, 4096) {
            let entry = directory + 2 + index * 12
            guard let tag = read(entry, 2), let type = read(entry + 2, 2) else { return nil }
            guard tag == 256 || tag == 257 else { continue }
            // SHORT (3) or LONG (4), left-justified in the value field.
            guard let value = type == 3 ? read(entry + 8, 2) : read(entry + 8, 4) else { return nil }
            if tag == 256 { width = value } else { height = value }
        }
        guard let width, let height else { return nil }
        return (width, height)
    }

    private static func bigEndian(_ b: [UInt8], _ offset: Int, _ count: Int) -> Int {
        b[offset..<offset + count].reduce(0) { $0 << 8 | Int($1) }
    }

    private static func littleEndian(_ b: [UInt8], _ offset: Int, _ count: Int) -> Int {
        b[offset..<offset + count].reversed().reduce(0) { $0 << 8 | Int($1) }
    }
}
