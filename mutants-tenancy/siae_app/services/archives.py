"""Zip archives opened with bounds (an XLSX is one): every reader of an uploaded archive
goes through :func:`open_zip`, never through ``zipfile`` directly.

The central directory is checked before anything is inflated — number of members, each
member's declared size, their total, the compression ratio, the method (stored or
deflated only: the standard library inflates bzip2 and LZMA members without an output
bound) — and reading a member counts the bytes really produced, so a directory that
lies about a size gains nothing. Pure Python (no Flask, no database).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from siae_app.services import ServiceError

CHUNK = 64 * 1024


@dataclass(frozen=True)
class ZipLimits:
    members: int = 1000
    member_bytes: int = 16 * 1024 * 1024  # one inflated member
    total_bytes: int = 48 * 1024 * 1024  # all members, as declared
    ratio: int = 100  # inflated / compressed, above ``ratio_from`` bytes
    ratio_from: int = 1024 * 1024  # small parts of repeated XML compress far more


class ArchiveError(ServiceError):
    """The archive is damaged or beyond the bounds; ``message`` is French."""

    def __init__(self, message: str, field: str | None = "file"):
        super().__init__(message, field)


class DamagedArchive(ArchiveError):
    """Not a zip, a bad CRC, a truncated or encrypted member, an unknown method."""

    def __init__(self) -> None:
        super().__init__("Ce fichier est illisible : l’archive (.xlsx ou .zip) est endommagée.")


def _too_big(detail: str) -> ArchiveError:
    return ArchiveError(
        f"Ce fichier est refusé : {detail}. Un fichier ordinaire n’atteint pas ces "
        "limites ; enregistrez-le de nouveau depuis votre tableur."
    )


def _mo(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} Mo"


class SafeZip:
    """A zip archive whose directory passed the checks; members are read with a bound."""

    def __init__(self, archive: zipfile.ZipFile, limits: ZipLimits) -> None:
        self._archive = archive
        self._limits = limits
        self._members = {info.filename: info for info in archive.infolist()}

    def names(self) -> list[str]:
        return list(self._members)

    def has(self, name: str) -> bool:
        return name in self._members

    def chunks(self, name: str) -> Iterator[bytes]:
        """The member's bytes, chunk by chunk, never more than it declared (nor the bound)."""
        info = self._members.get(name)
        if info is None:
            raise DamagedArchive()
        allowed = min(info.file_size, self._limits.member_bytes)
        produced = 0
        try:
            with self._archive.open(info) as member:
                while chunk := member.read(CHUNK):
                    produced += len(chunk)
                    if produced > allowed:
                        raise _too_big(f"« {name} » se décompresse au-delà de sa taille annoncée")
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError) as exc:
            # a bad CRC, a truncated stream, an encrypted member
            raise DamagedArchive() from exc

    def read(self, name: str) -> bytes:
        return b"".join(self.chunks(name))

    def close(self) -> None:
        self._archive.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check(infos: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    if len(infos) > limits.members:
        raise _too_big(f"l’archive contient {len(infos)} éléments ({limits.members} au plus)")
    total = 0
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise DamagedArchive()
        if info.file_size > limits.member_bytes:
            raise _too_big(
                f"« {info.filename[:80]} » fait {_mo(info.file_size)} une fois décompressé "
                f"({_mo(limits.member_bytes)} au plus)"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_from and ratio > limits.ratio:
            raise _too_big(
                f"« {info.filename[:80]} » est compressé {ratio:.0f} fois "
                f"({limits.ratio} fois au plus)"
            )
        total += info.file_size
    if total > limits.total_bytes:
        raise _too_big(
            f"l’archive fait {_mo(total)} une fois décompressée ({_mo(limits.total_bytes)} au plus)"
        )


def open_zip(data: bytes, limits: ZipLimits | None = None) -> SafeZip:
    """Open ``data`` (bytes already bounded by the upload limit) as a checked archive."""
    limits = limits or ZipLimits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise DamagedArchive() from exc
    try:
        _check(archive.infolist(), limits)
    except ArchiveError:
        archive.close()
        raise
    return SafeZip(archive, limits)
