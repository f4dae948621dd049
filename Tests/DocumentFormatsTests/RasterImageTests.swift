import Foundation
import Testing
import TextAnalysis

@testable import DocumentFormats

/// Image formats by magic number, and their pixel size from the header, so a damaged or huge image
/// is refused before Tesseract opens it.
struct RasterImageTests {
    static func png(width: UInt32, height: UInt32) -> Data {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
        bytes += bigEndian(width) + bigEndian(height) + [8, 0, 0, 0, 0]
        return Data(bytes)
    }

    static func jpeg(width: UInt16, height: UInt16) -> Data {
        // SOI, an APP0 segment to skip, then SOF0: length, precision, height, width.
        var bytes: [UInt8] =
            [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF\0".utf8) + Array(repeating: 0, count: 9)
        bytes += [0xFF, 0xC0, 0x00, 0x11, 0x08] + bigEndian16(height) + bigEndian16(width) + [3]
        return Data(bytes)
    }

    static func tiff(width: UInt16, height: UInt32, littleEndian: Bool) -> Data {
        func u16(_ v: UInt16) -> [UInt8] { littleEndian ? [UInt8(v & 0xFF), UInt8(v >> 8)] : bigEndian16(v) }
        func u32(_ v: UInt32) -> [UInt8] { littleEndian ? bigEndian(v).reversed() : bigEndian(v) }
        var bytes: [UInt8] = (littleEndian ? [0x49, 0x49] : [0x4D, 0x4D]) + u16(42) + u32(8)
        bytes += u16(3)
        bytes += u16(254) + u16(4) + u32(1) + u32(0) // NewSubfileType, ignored
        bytes += u16(256) + u16(3) + u32(1) + u16(width) + [0, 0] // ImageWidth, SHORT
        bytes += u16(257) + u16(4) + u32(1) + u32(height) // ImageLength, LONG
        return Data(bytes)
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }
    static func bigEndian16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }

    @Test func formatsAndSizesFromHeaders() throws {
        #expect(
            try RasterImage.header(of: Self.png(width: 2550, height: 3300))
                == .init(kind: .png, width: 2550, height: 3300))
        #expect(
            try RasterImage.header(of: Self.jpeg(width: 1200, height: 800))
                == .init(kind: .jpeg, width: 1200, height: 800))
        #expect(
            try RasterImage.header(of: Self.tiff(width: 640, height: 480, littleEndian: true))
                == .init(kind: .tiff, width: 640, height: 480))
        #expect(
            try RasterImage.header(of: Self.tiff(width: 640, height: 480, littleEndian: false))
                == .init(kind: .tiff, width: 640, height: 480))
        #expect(ContentTypeDetector.detect(bytes: Self.jpeg(width: 1, height: 1), name: "x.pdf", hint: nil) == .jpeg)
        #expect(
            ContentTypeDetector.detect(bytes: Self.tiff(width: 1, height: 1, littleEndian: true), name: nil, hint: nil)
                == .tiff)
    }

    @Test func damagedHeadersAreMalformed() {
        let cases: [(Data, String)] = [
            (Self.png(width: 10, height: 10).prefix(20), "PNG"),
            (Self.jpeg(width: 10, height: 10).prefix(12), "JPEG"),
            (Data([0xFF, 0xD8, 0xFF, 0xDA, 0, 2]), "JPEG"), // scan data before any frame header
            (Self.tiff(width: 10, height: 10, littleEndian: true).prefix(20), "TIFF"),
            (Data([0x49, 0x49, 0x2A, 0x00, 0xFF, 0xFF, 0xFF, 0x7F]), "TIFF"), // directory offset past the end
            (Self.png(width: 0, height: 10), "PNG"),
        ]
        for (bytes, format) in cases {
            do {
                _ = try RasterImage.header(of: bytes)
                Issue.record("\(format) \(bytes.count) bytes: expected an error")
            } catch {
                guard case .malformed(let named, _) = error else {
                    Issue.record("wrong error \(error)")
                    continue
                }
                #expect(named == format)
            }
        }
    }

    @Test func hugeImagesAreRefusedBeforeOCR() throws {
        do {
            _ = try RasterImage.header(of: Self.png(width: 60_000, height: 60_000))
            Issue.record("expected tooLarge")
        } catch {
            guard case .tooLarge(let detail) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(detail.contains("60000 × 60000"))
        }
        #expect(throws: ExtractionError.self) {
            try RasterImage.header(of: Self.png(width: UInt32.max, height: UInt32.max))
        }
        #expect(throws: ExtractionError.self) { try RasterImage.header(of: Self.png(width: 7000, height: 7000)) }
        #expect(throws: ExtractionError.self) { try RasterImage.header(of: Self.png(width: 2_000_000, height: 1)) }
        // A 600-dpi A4 scan is within the limit.
        #expect(try RasterImage.header(of: Self.png(width: 4960, height: 7016)).pixels == 34_799_360)
    }
}
