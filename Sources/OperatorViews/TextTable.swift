/// Renders rows as aligned columns for terminals; cells are cut to a width with an ellipsis.
package struct TextTable {
    package var headers: [String]
    package var rows: [[String]] = []
    package var maxWidths: [Int] = []

    package init(_ headers: String..., maxWidths: [Int] = []) {
        self.headers = headers
        self.maxWidths = maxWidths
    }

    package init(headers: [String], maxWidths: [Int] = []) {
        self.headers = headers
        self.maxWidths = maxWidths
    }

    package mutating func add(_ cells: String...) { rows.append(cells) }
    package mutating func add(row cells: [String]) { rows.append(cells) }

    package func render() -> String {
        let all = [headers] + rows.map { row in row.enumerated().map { fit($1, column: $0) } }
        var widths = Array(repeating: 0, count: headers.count)
        for row in all {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        return all.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    private func fit(_ cell: String, column: Int) -> String {
        let flat = cell.replacingOccurrences(of: "\n", with: " ")
        guard column < maxWidths.count, maxWidths[column] > 1, flat.count > maxWidths[column] else { return flat }
        return String(flat.prefix(maxWidths[column] - 1)) + "…"
    }
}
