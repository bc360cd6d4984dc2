"""Pagefind's binary, driven as a service: records → the files of one search bundle.

Pagefind's binary (from the `pagefind[extended]` package) runs as a service speaking
base64 JSON messages separated by commas on stdin/stdout. The service handles messages
one at a time in arrival order, so the records are numbered in the order they are sent
and the same records give byte-identical files (once `sorted_filters` has put Pagefind's
filters in order). All messages are written at once from a thread while the answers are
read, so the cost is Pagefind's own (no round trip per record); the Python wrapper of the
package is not used because it polls its pipe every 100 ms per answer.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import importlib.util
import json
import struct
import subprocess
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

from .errors import BuildError, SourceError
from .keys import installed_version

_READ_SIZE = 1 << 20


def pagefind_version() -> str:
    """The installed Pagefind binary's version, or "" when it is not installed."""
    return installed_version("pagefind_bin_extended")


def run_pagefind(records: list[dict[str, object]], language: str) -> dict[str, bytes]:
    """Index `records` with Pagefind's service; return its files `{relative path: bytes}`."""
    messages = [{"type": "NewIndex", "config": {"force_language": language}}]
    messages += [{"type": "AddRecord", "index_id": 0, **record} for record in records]
    messages.append({"type": "GetFiles", "index_id": 0})
    try:
        process = subprocess.Popen(
            [str(_executable()), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError as error:
        raise _error(f"cannot start Pagefind ({error})") from None
    assert process.stdin is not None and process.stdout is not None
    writer = threading.Thread(target=_write, args=(process.stdin, messages), daemon=True)
    writer.start()
    answers: dict[int, Mapping[str, object]] = {}
    try:
        for answer in _answers(process.stdout):
            payload = answer.get("payload") or {}
            if payload.get("type") == "Error":
                raise _error(f"Pagefind could not index the site: {payload.get('message')}")
            answers[int(answer.get("message_id") or 0)] = payload
            if len(answers) == len(messages):
                break
    finally:
        # Pagefind exits as soon as its input ends: close it only once every answer is in.
        writer.join()
        process.stdin.close()
        process.wait()
    last = answers.get(len(messages) - 1)
    if last is None or last.get("type") != "GetFiles":
        raise _error("Pagefind stopped before returning the index")
    return {file["path"]: base64.b64decode(file["content"]) for file in last["files"]}


def _write(stream, messages: list[dict[str, object]]) -> None:
    """Send every message, each as base64 JSON followed by a comma."""
    try:
        for number, payload in enumerate(messages):
            text = json.dumps({"message_id": number, "payload": payload}, ensure_ascii=False)
            stream.write(base64.b64encode(text.encode("utf-8")) + b",")
        stream.flush()
    except BrokenPipeError:  # Pagefind died; the reader reports it
        pass


def _answers(stream) -> Iterator[dict]:
    """Decode Pagefind's answers as they arrive, until its output ends. Only each new chunk
    is searched for the separator: the last answer (the files) is megabytes long."""
    pending: list[bytes] = []
    while chunk := stream.read1(_READ_SIZE):
        *complete, rest = chunk.split(b",")
        if complete:
            complete[0] = b"".join([*pending, complete[0]])
            pending = []
            for message in complete:
                yield json.loads(base64.b64decode(message))
        pending.append(rest)


def _executable() -> Path:
    """The binary of `pagefind_bin_extended`, found where its get_executable() looks (the
    package's folder) without importing the package, which imports logging and platform
    to do so (a fiftieth of a second of each build that indexes)."""
    spec = importlib.util.find_spec("pagefind_bin_extended")
    if spec is None or not spec.submodule_search_locations:
        raise _error("Pagefind is not installed: pip install 'pagefind[extended]'")
    folder = Path(spec.submodule_search_locations[0])
    for name in ("pagefind_extended", "pagefind", "pagefind_extended.exe", "pagefind.exe"):
        if (candidate := folder / name).is_file():
            return candidate
    raise _error(f"Pagefind's binary is missing from {folder}: reinstall pagefind[extended]")


def _error(message: str) -> BuildError:
    return BuildError([SourceError("search index", 0, message)])


# --------------------------------------------------------------------------- stable filters


def sorted_filters(files: dict[str, bytes]) -> dict[str, bytes]:
    """Pagefind 1.5 writes its filters, and the values of each, in a hash map's random
    order: the filter files, the metadata file that names them and the entry file that
    names that one change from one build to the next. Sort both by name and name the
    files after their new contents. A Pagefind that sorts them itself gets the same
    order back; files this module cannot read back byte for byte are left as they are."""
    files = dict(files)
    entry = files["pagefind-entry.json"].decode("utf-8")
    for language, info in json.loads(entry)["languages"].items():
        meta_name = f"pagefind.{info['hash']}.pf_meta"
        meta = _unpack(files[meta_name])
        if not (isinstance(meta, list) and len(meta) > 3 and isinstance(meta[3], list)):
            continue
        tables = [(name, key, _unpack(files[f"filter/{key}.pf_filter"])) for name, key in meta[3]]
        if any(table is None for _, _, table in tables):
            continue
        meta[3] = []
        for name, key, table in sorted(tables, key=lambda t: t[0]):
            del files[f"filter/{key}.pf_filter"]
            table[1].sort(key=lambda value: value[0])
            data = _pack(table)
            new_key = f"{language}_{hashlib.sha256(data).hexdigest()[:7]}"
            files[f"filter/{new_key}.pf_filter"] = data
            meta[3].append([name, new_key])
        del files[meta_name]
        data = _pack(meta)
        new_hash = f"{language}_{hashlib.sha256(data).hexdigest()[:10]}"
        files[f"pagefind.{new_hash}.pf_meta"] = data
        entry = entry.replace(f'"{info["hash"]}"', f'"{new_hash}"')
    files["pagefind-entry.json"] = entry.encode("utf-8")
    return files


_MAGIC = b"pagefind_dcd"


def _unpack(data: bytes) -> object:
    """A Pagefind data file (gzip of a marker and CBOR) → Python lists, str and int; None
    when it holds anything else or would not be written back to the same bytes."""
    raw = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    if not raw.startswith(_MAGIC):
        return None
    try:
        value, end = _cbor_read(raw, len(_MAGIC))
    except (ValueError, IndexError, struct.error):
        return None
    if end != len(raw) or _cbor_write(value) != raw[len(_MAGIC) :]:
        return None
    return value


def _pack(value: object) -> bytes:
    return gzip.compress(_MAGIC + _cbor_write(value), mtime=0)


def _cbor_read(data: bytes, at: int) -> tuple[object, int]:
    """The CBOR item at `at` (unsigned and negative integers, text, arrays), and where the
    next one starts. Raises ValueError on anything else."""
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        size = info
    elif info <= 27:
        width = 1 << (info - 24)
        size = int.from_bytes(data[at : at + width], "big")
        at += width
    else:
        raise ValueError(f"unsupported CBOR length {info}")
    if major == 0:
        return size, at
    if major == 1:
        return -1 - size, at
    if major == 3:
        return data[at : at + size].decode("utf-8"), at + size
    if major == 4:
        items = []
        for _ in range(size):
            item, at = _cbor_read(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"unsupported CBOR type {major}")


def _cbor_write(value: object) -> bytes:
    """Shortest-form CBOR for what `_cbor_read` reads."""
    out = bytearray()
    _cbor_emit(value, out)
    return bytes(out)


def _cbor_emit(value: object, out: bytearray) -> None:
    kind = type(value)
    if kind is int:
        major, size = (0, value) if value >= 0 else (1, -1 - value)
    elif kind is str:
        body = value.encode("utf-8")
        major, size = 3, len(body)
    elif kind is list:
        major, size = 4, len(value)
    else:
        raise ValueError(f"cannot write {kind.__name__} as CBOR")
    if size < 24:
        out.append(major << 5 | size)
    else:
        width = 1 if size < 0x100 else 2 if size < 0x10000 else 4 if size < 1 << 32 else 8
        out.append(major << 5 | (24 + width.bit_length() - 1))
        out += size.to_bytes(width, "big")
    if kind is str:
        out += body
    elif kind is list:
        for item in value:
            if type(item) is int and 0 <= item < 24:
                out.append(item)
            else:
                _cbor_emit(item, out)
