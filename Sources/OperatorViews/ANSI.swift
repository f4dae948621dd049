/// The handful of VT100/xterm sequences a full-screen view needs; every terminal emulator in use knows them.
package enum ANSI {
    package static let alternateScreenOn = "\u{1B}[?1049h"
    package static let alternateScreenOff = "\u{1B}[?1049l"
    package static let hideCursor = "\u{1B}[?25l"
    package static let showCursor = "\u{1B}[?25h"
    package static let clearScreen = "\u{1B}[2J\u{1B}[H"
    package static let clearToEndOfLine = "\u{1B}[K"
    package static let clearToEndOfScreen = "\u{1B}[J"
    package static let bold = "\u{1B}[1m"
    package static let inverse = "\u{1B}[7m"
    package static let reset = "\u{1B}[0m"

    package static func moveTo(row: Int, column: Int = 1) -> String { "\u{1B}[\(row);\(column)H" }

    /// Draws `lines` from the top-left, each cleared to its end, and clears whatever the last frame left
    /// below — unless the frame fills the screen, where moving below the last row would erase it.
    package static func frame(_ lines: [String], rows: Int) -> String {
        var out = ""
        for (index, line) in lines.prefix(rows).enumerated() { out += moveTo(row: index + 1) + line + clearToEndOfLine }
        return lines.count < rows ? out + moveTo(row: lines.count + 1) + clearToEndOfScreen : out
    }
}
