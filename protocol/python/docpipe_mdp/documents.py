"""Files and bytes as docpipe Documents, the way `docpipe submit` reads them."""

from __future__ import annotations

import os
from typing import Dict, Iterable, List, Optional, Union

from .messages import Document

PathOrBytes = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview]

# As `docpipe submit`: a larger file would be refused by the broker's default 413 limit anyway.
MAX_FILE_BYTES = 64 << 20


def expand(paths: Iterable[Union[str, "os.PathLike[str]"]]) -> List[str]:
    """Every regular, non-hidden file under `paths`, in the order given, folders recursively and sorted.
    Raises FileNotFoundError naming the first path that does not exist, before anything is sent."""
    files: List[str] = []
    for path in paths:
        path = os.fspath(path)
        if os.path.isdir(path):
            found = []
            for root, folders, names in os.walk(path):
                folders[:] = [f for f in folders if not f.startswith(".")]
                found += [os.path.join(root, n) for n in names if not n.startswith(".")]
            files += sorted(f for f in found if os.path.isfile(f))
        elif os.path.exists(path):
            files.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return files


def document(source: PathOrBytes, *, filename: Optional[str] = None, content_type: Optional[str] = None,
             metadata: Optional[Dict[str, str]] = None) -> Document:
    """A Document from a path (str or PathLike: the file's bytes, named after the file unless `filename` is
    given) or from bytes. Text is sent as UTF-8 and anything else as base64, so any file goes through.

    A str is always a path: to submit text, pass `text.encode()`. Raises OSError when the file cannot be
    read and ValueError when it is over the 64 MiB limit."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data, name = bytes(source), filename
    elif isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            raise ValueError(f"{path}: {size} bytes is over the {MAX_FILE_BYTES >> 20} MiB limit")
        with open(path, "rb") as f:
            data = f.read()
        name = filename or os.path.basename(path)
    else:
        raise TypeError(f"submit takes a path or bytes, not {type(source).__name__}")
    made = Document.from_bytes(data, name=name, content_type=content_type)
    if metadata:
        bad = [k for k, v in metadata.items() if not isinstance(k, str) or not isinstance(v, str)]
        if bad:
            raise TypeError(f"metadata keys and values must be strings (not at {bad[0]!r})")
        made.metadata = dict(metadata)
    return made
