"""Writing one section of docs/EVALUATION.md in place, for the evaluations that regenerate their section alone."""
import re
from pathlib import Path


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
