import Foundation
import Testing
import TextAnalysis

@Suite struct NonProseTests {
    static let lorem = """
        Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et \
        dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip \
        ex ea commodo consequat.
        """

    @Test(arguments: [
        ("csv", "country,capital,population\nFrance,Paris,68000000\nGermany,Berlin,84000000\nItaly,Rome,59000000\n"),
        (
            "semicolons",
            "Datum;Konto;Betrag;Text\n01.02.2025;4711;120,50;Miete\n02.02.2025;4711;-35,00;Strom\n03.02.2025;4712;12,99;Abo\n"
        ),
        ("tsv", "id\tname\tscore\n1\tAnna Berg\t0.91\n2\tBen Holt\t0.78\n3\tCleo Marsh\t0.66\n"),
        (
            "pipe table",
            "| Team | Played | Won | Points |\n|---|---|---|---|\n| Leeds | 12 | 8 | 26 |\n| Hull | 12 | 7 | 23 |\n"
        ),
        (
            "extractor rows",
            "Product | Region | Q1 | Q2\nWidgets | North | 1200 | 1350\nGadgets | South | 800 | 790\nGizmos | East | 455 | 610"
        ),
    ])
    func tablesAreTables(name: String, text: String) {
        #expect(NonProse.detect(text) == .table, "\(name)")
    }

    @Test(arguments: [
        (
            "swift",
            """
            import Foundation

            struct Point {
                var x: Double
                var y: Double
            }

            func length(_ p: Point) -> Double {
                return (p.x * p.x + p.y * p.y).squareRoot()
            }
            """
        ),
        (
            "python",
            """
            import json
            from pathlib import Path

            def load(path):
                with open(path) as handle:
                    data = json.load(handle)
                return [row for row in data if row.get("active")]
            """
        ),
        (
            "javascript",
            """
            const express = require('express');
            const app = express();
            app.get('/', (req, res) => {
              res.send('hello');
            });
            app.listen(3000);
            """
        ),
        (
            "sql",
            """
            SELECT id, name, created_at
            FROM users
            WHERE created_at > '2024-01-01'
            AND status = 'active'
            ORDER BY created_at DESC;
            """
        ),
    ])
    func codeIsCode(name: String, text: String) {
        #expect(NonProse.detect(text) == .code, "\(name)")
    }

    @Test func fillerAndNumberDumps() {
        #expect(NonProse.detect(Self.lorem) == .filler)
        #expect(NonProse.detect(String(repeating: "test test asdf ", count: 12)) == .filler)
        let numbers = (0..<40).map { "\(1_000 + $0 * 37) \(Double($0) * 1.5) 0x\(String($0 * 91, radix: 16))" }
            .joined(separator: "\n")
        #expect(NonProse.detect(numbers) == .numbers)
        #expect(NonProse.detect("2024-01-05 12:00:01 41.2 17 99.1 2024-01-05 12:00:02 41.3 18 99.0") == .numbers)
    }

    @Test(arguments: [
        // Prose full of figures, commas and a quoted line of code is still prose.
        """
        Revenue rose 12% to $4.2bn in the quarter, from $3.75bn a year earlier, while operating margin fell to \
        18.5% from 21%. The company sold 1.3 million units, shipped 240,000 more than expected, and raised its \
        full-year forecast to between $16bn and $16.5bn.
        Analysts at two banks, Nordhavn and Keller, said the guidance was cautious.
        Shares rose 4% in early trading in Frankfurt, Paris and London.
        """,
        """
        The engineers said the fault came down to a single line, `if (retries = 0)`, which assigned instead of compared.
        It had been in the code for three years, the report found, and nobody noticed because the tests never retried.
        The company has since added a review step and says it will publish the full analysis next month.
        """,
        """
        For decades, the alliance relied on deterrence. If the talks fail, diplomats say, the border will stay closed.
        While the ministers met in Vienna, the fighting continued in the east.
        Return of the refugees, they agreed, would depend on a ceasefire holding.
        """,
        "Leaders, ministers, diplomats: all of them came.\nSome stayed, some left, some waited.\nNobody, in the end, signed.",
        // Latin prose quotes a few of lorem ipsum's words, but is not made of them.
        "The motto, dolor et labor, was carved above the door of the old academy, where students learned Latin and Greek.",
        "Too short: a, b, c",
    ])
    func proseIsProse(text: String) {
        #expect(NonProse.detect(text) == nil)
    }
}
