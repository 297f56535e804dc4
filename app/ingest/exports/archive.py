"""Read ZIP archives and folders safely, keeping only the text members an export needs.

ZIPs are untrusted: members are read with a byte cap whatever their headers claim; a member
whose name is absolute, climbs out ('..'), uses backslashes or a drive letter, or is a symlink is
refused (422), as are encrypted members; too many members, a member or a total over the size
caps, or a member that inflates more than `max_ratio` times its compressed size (a zip bomb)
is refused with 413 before it is inflated further. Folders are walked without following
symlinks, with the same caps. Media and other binary members are skipped unread.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from app.errors import PayloadTooLargeError, UploadError

TEXT_SUFFIXES = (".json", ".jsonl", ".txt", ".ndjson")
_CHUNK = 1 << 16
_RATIO_FLOOR = 1 << 20  # members under 1 MiB may compress as well as they like


@dataclass(frozen=True)
class ArchiveLimits:
    """Caps on what an upload may unpack to."""

    max_members: int = 10_000
    max_member_bytes: int = 64 << 20
    max_total_bytes: int = 256 << 20
    max_ratio: int = 200
    max_chars: int = 2_000_000


def is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def _wanted(name: str) -> bool:
    lowered = name.lower()
    parts = PurePosixPath(lowered).parts
    return (
        lowered.endswith(TEXT_SUFFIXES)
        and "__macosx" not in parts
        and not parts[-1].startswith("._")
    )


def _unsafe(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return True
    parts = PurePosixPath(name).parts
    return ".." in parts or (len(parts[0]) == 2 and parts[0][1] == ":")


def _too_large(what: str, size: int, limit: int) -> PayloadTooLargeError:
    return PayloadTooLargeError(
        f"{what} is over {size} bytes; the limit is {limit} bytes",
        hint="upload only the incident channel's files, or raise PM_MAX_UPLOAD_BYTES",
    )


def read_zip(data: bytes, limits: ArchiveLimits) -> dict[str, bytes]:
    """The text members of a ZIP (path -> bytes), read within `limits`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise UploadError(
            "the upload looks like a ZIP but cannot be read (truncated or corrupt)",
            hint="zip the export again, or upload the channel's JSON file itself",
        ) from None
    if len(infos) > limits.max_members:
        raise PayloadTooLargeError(
            f"the ZIP has {len(infos)} members; the limit is {limits.max_members}",
            hint="zip only the incident channel's folder, users.json and channels.json",
        )
    files: dict[str, bytes] = {}
    total = 0
    for info in infos:
        name = info.filename
        if _unsafe(name):
            raise UploadError(
                f"the ZIP member {name[:120]!r} has an unsafe path (absolute, '..' or backslashes)",
                hint="zip the export folder itself, with relative paths",
            )
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UploadError(
                f"the ZIP member {name[:120]!r} is a symbolic link", hint="zip real files"
            )
        if info.is_dir() or not _wanted(name):
            continue
        if info.flag_bits & 0x1:
            raise UploadError(
                f"the ZIP member {name[:120]!r} is encrypted", hint="upload it unencrypted"
            )
        if info.file_size > limits.max_member_bytes:
            raise _too_large(
                f"the ZIP member {name[:120]!r}", info.file_size, limits.max_member_bytes
            )
        content = _inflate(archive, info, limits, total)
        total += len(content)
        files[name] = content
    return files


def _inflate(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ArchiveLimits, total: int
) -> bytes:
    """One member, stopped as soon as it passes a cap (its header may lie about its size)."""
    chunks: list[bytes] = []
    size = 0
    compressed = max(info.compress_size, 1)
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                size += len(chunk)
                if size > limits.max_member_bytes:
                    raise _too_large(
                        f"the ZIP member {info.filename[:120]!r}", size, limits.max_member_bytes
                    )
                if total + size > limits.max_total_bytes:
                    raise _too_large("the unpacked ZIP", total + size, limits.max_total_bytes)
                if size > _RATIO_FLOOR and size > limits.max_ratio * compressed:
                    raise PayloadTooLargeError(
                        f"the ZIP member {info.filename[:120]!r} inflates more than "
                        f"{limits.max_ratio} times its compressed size (a zip bomb?)",
                        hint="upload the export as its folder or its JSON files",
                    )
                chunks.append(chunk)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as error:
        raise UploadError(
            f"the ZIP member {info.filename[:120]!r} cannot be read ({type(error).__name__})",
            hint="zip the export again with standard (deflate) compression",
        ) from None
    return b"".join(chunks)


def read_folder(root: Path, limits: ArchiveLimits) -> dict[str, bytes]:
    """The text files under `root` (relative path -> bytes), symlinks not followed."""
    files: dict[str, bytes] = {}
    total, seen = 0, 0
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs.sort()
        for name in sorted(names):
            seen += 1
            if seen > limits.max_members:
                raise PayloadTooLargeError(
                    f"the folder has more than {limits.max_members} files",
                    hint="point at the export folder of the incident channel only",
                )
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink() or not _wanted(relative):
                continue
            size = path.stat().st_size
            if size > limits.max_member_bytes:
                raise _too_large(relative, size, limits.max_member_bytes)
            total += size
            if total > limits.max_total_bytes:
                raise _too_large("the folder's text files", total, limits.max_total_bytes)
            files[relative] = path.read_bytes()[: limits.max_member_bytes + 1]
    return files


def decode(name: str, content: bytes, max_chars: int | None = None) -> str:
    """A member's text (UTF-8, BOM allowed), or an error naming the member."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UploadError(
            f"{name[:120]} is not UTF-8 text (byte {error.start})",
            hint="export the chat again, or convert the file to UTF-8",
        ) from None
    if max_chars is not None and len(text) > max_chars:
        raise PayloadTooLargeError(
            f"{name[:120]} has {len(text)} characters; the limit is {max_chars}",
            hint="upload only the incident's part of the chat, or raise PM_MAX_TRANSCRIPT_CHARS",
        )
    return text
