"""The structure's logo as an image really decoded: bounded in bytes and pixels, re-encoded
at print size without metadata, and checked again before a PDF prints a stored one.

A few bytes can declare a huge image (a 9000 × 9000 1-bit PNG is 21 Ko; every bilan
printing it took 5 s and 600 Mo), so the pixel size is read from the header, which Pillow
parses without decoding, and refused before any decoding. Pure Python (no Flask).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from siae_app.services import ServiceError

MAX_BYTES = 300 * 1024
MAX_SIDE = 4000  # pixels, on either side, of an uploaded logo
MAX_PIXELS = 16_000_000
PRINT_SIDE = 600  # the stored logo's long side at most (a 4 cm logo at 380 dpi)
# A stored logo a PDF still prints: every logo re-encoded here is within it; one stored
# by an earlier version (checked on its first bytes only) may not be, and is then skipped.
PRINTABLE_SIDE = 2000
PRINTABLE_PIXELS = 4_000_000
JPEG_QUALITY = 85

NOT_AN_IMAGE = "Le logo doit être une image PNG ou JPEG."
DAMAGED = "Le logo est endommagé ou incomplet : enregistrez-le de nouveau en PNG ou JPEG."
_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "MPO": "image/jpeg"}  # MPO: phones' JPEG
_DECODING_ERRORS = (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError)


@dataclass(frozen=True)
class Logo:
    content: bytes
    mime: str


_STRICT = threading.Lock()


@contextmanager
def _strict_decoding() -> Iterator[None]:
    """Refuse truncated data while decoding an upload. WeasyPrint sets Pillow's global
    LOAD_TRUNCATED_IMAGES at import (a PDF prints what it can); an upload must be whole.
    The lock keeps two uploads from restoring each other's value."""
    with _STRICT:
        lenient = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = lenient


def _refuse(message: str) -> ServiceError:
    return ServiceError(message, "logo")


def _check_size(width: int, height: int) -> None:
    if max(width, height) > MAX_SIDE or width * height > MAX_PIXELS:
        raise _refuse(
            f"Le logo fait {width} × {height} pixels : {MAX_SIDE} × {MAX_SIDE} au plus "
            f"({MAX_PIXELS // 1_000_000} millions de pixels). Réduisez-le avant de l'envoyer."
        )


def _opened(content: bytes) -> Image.Image:
    """The image with only its header read (PNG or JPEG, whatever the file is named)."""
    try:
        image = Image.open(io.BytesIO(content), formats=("PNG", "JPEG"))
    except UnidentifiedImageError:
        raise _refuse(NOT_AN_IMAGE) from None
    except Image.DecompressionBombError:
        raise _refuse(
            f"Le logo est beaucoup trop grand : {MAX_SIDE} × {MAX_SIDE} pixels au plus."
        ) from None
    except _DECODING_ERRORS:
        raise _refuse(DAMAGED) from None
    if image.format not in _FORMATS:
        raise _refuse(NOT_AN_IMAGE)
    return image


def _flattened(image: Image.Image) -> Image.Image:
    """RGB on a white background (for JPEG)."""
    if image.mode in ("RGBA", "LA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _encoded(image: Image.Image, fmt: str) -> bytes:
    # The PNG writer copies an ICC profile from ``info``: only transparency is kept.
    image.info = {k: v for k, v in image.info.items() if k == "transparency" and fmt == "PNG"}
    out = io.BytesIO()
    if fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def _print_sized(image: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(image)  # a photo's orientation, before EXIF is dropped
    if image.mode in ("1", "I", "I;16", "F"):
        image = image.convert("L")
    elif image.mode not in ("L", "LA", "RGB", "RGBA", "P", "PA"):
        image = image.convert("RGB")  # CMYK, YCbCr...
    if image.mode in ("P", "PA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    image.thumbnail((PRINT_SIDE, PRINT_SIDE), Image.Resampling.LANCZOS)
    return image


def prepare(content: bytes) -> Logo:
    """Check and re-encode an uploaded logo; ServiceError (French, field ``logo``) else."""
    if len(content) > MAX_BYTES:
        raise _refuse("Le logo dépasse 300 Ko : réduisez-le avant de l'envoyer.")
    with _opened(content) as image:
        _check_size(*image.size)
        fmt = "PNG" if image.format == "PNG" else "JPEG"
        try:
            with _strict_decoding():
                image.load()  # the whole image: a truncated or damaged one fails here
            printed = _print_sized(image)
        except _DECODING_ERRORS:
            raise _refuse(DAMAGED) from None
    encoded = _encoded(printed if fmt == "PNG" else _flattened(printed), fmt)
    if len(encoded) > MAX_BYTES:  # a photo saved as PNG: JPEG keeps it within the bound
        fmt, encoded = "JPEG", _encoded(_flattened(printed), "JPEG")
    return Logo(encoded, _FORMATS[fmt])


def printable(content: bytes | None) -> bool:
    """Whether a stored logo may go into a PDF: a PNG or JPEG header within the bounds
    (read without decoding the image)."""
    if not content or len(content) > MAX_BYTES:
        return False
    try:
        with _opened(content) as image:
            width, height = image.size
    except ServiceError:
        return False
    return max(width, height) <= PRINTABLE_SIDE and width * height <= PRINTABLE_PIXELS
