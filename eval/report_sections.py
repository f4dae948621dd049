"""Writing one section of docs/EVALUATION.md in place, for the evaluations that regenerate their section alone."""
import argparse
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_section(path: Path, title: str, lines, before: str = "## Not measured yet"):
    """Replaces the section headed `title` in the report, else puts it before the `before` heading (else last)."""
    report = path.read_text(encoding="utf-8") if path.exists() else "# docpipe evaluation\n"
    block = "\n".join(lines).rstrip("\n") + "\n"
    pattern = re.compile(re.escape(title) + r"\n.*?(?=\n## |\Z)", re.S)
    if pattern.search(report):
        report = pattern.sub(lambda _: block, report, count=1)
    elif before in report:
        report = report.replace(before, block + "\n" + before, 1)
    else:
        report = report.rstrip("\n") + "\n\n" + block
    path.write_text(report, encoding="utf-8")


def arguments(doc: str) -> argparse.ArgumentParser:
    """The command line every section-alone evaluation takes: --bin (the release build) and --out (the report)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=str(ROOT / ".build" / "release"))
    parser.add_argument("--out", default=str(ROOT / "docs" / "EVALUATION.md"))
    return parser
