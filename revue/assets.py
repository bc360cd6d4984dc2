"""Static files: give each a content hash in its name, for cache busting."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import PurePosixPath

HASH_LENGTH = 10


def fingerprint(static: Mapping[str, bytes]) -> tuple[dict[str, bytes], dict[str, str]]:
    """Map `{name: bytes}` from static/ to output files `static/name.<hash>.ext`.

    Returns the output files and the manifest `{name: output URL}` the templates use.
    """
    files: dict[str, bytes] = {}
    manifest: dict[str, str] = {}
    for name in sorted(static):
        data = static[name]
        digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
        path = PurePosixPath(name)
        hashed = path.with_name(f"{path.stem}.{digest}{path.suffix}") if path.suffix else path
        url = f"static/{hashed.as_posix()}"
        files[url] = data
        manifest[name] = url
    return files, manifest
