"""The logo is an image really decoded: a huge declared size is refused before decoding
(with what was typed kept), a damaged file is refused, a normal one is re-encoded at print
size without metadata, and a PDF skips a stored logo beyond what it may print (one saved
by an earlier version, checked on its first bytes only)."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageFile, PngImagePlugin
from pypdf import PdfReader

from siae_app.models import ReviewStatus
from siae_app.services import logo_image
from tests import factories as f
from tests.attestations.test_identity import image_bytes
from tests.site import text_of


def _url(site):
    return f"/s/{site.slug}/structure/identite"


def _send(client, site, logo: bytes, name: str = "logo.png", **fields):
    return client.post(
        _url(site),
        data={**fields, "logo": (io.BytesIO(logo), name)},
        content_type="multipart/form-data",
    )


@pytest.fixture(scope="module")
def huge_png() -> bytes:
    """The review's file: 9000 × 9000 pixels of one bit, about 21 Ko."""
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def decoded(monkeypatch):
    """The sizes of the images Pillow decodes."""
    sizes = []
    real = ImageFile.ImageFile.load

    def load(self):
        sizes.append(self.size)
        return real(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return sizes


def test_huge_declared_logo_is_refused_before_decoding_and_fields_are_kept(
    world, client_for, session, huge_png, decoded
):
    site = world.a
    assert len(huge_png) < 40 * 1024
    page = _send(
        client_for(site.member("director")),
        site,
        huge_png,
        siret="732 829 320 00074",
        address="12 rue des Jardins, 69100 Villeurbanne",
    )
    assert page.status_code == 422
    html = text_of(page)
    assert "Le logo fait 9000 × 9000 pixels : 4000 × 4000 au plus" in html
    assert 'value="732 829 320 00074"' in html and "12 rue des Jardins" in html
    assert decoded == []  # refused from the header alone
    session.refresh(site.structure)
    assert site.structure.logo is None and site.structure.siret is None


def test_too_many_pixels_within_the_side_bound_is_refused(world, client_for):
    page = _send(client_for(world.a.member("director")), world.a, image_bytes((4000, 4001)))
    assert page.status_code == 422
    assert "Le logo fait 4000 × 4001 pixels" in text_of(page)


def test_normal_logos_are_reencoded_at_print_size_without_metadata(world, client_for, session):
    site = world.a
    client = client_for(site.member("director"))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jean Secret, 06 12 34 56 78")
    png = image_bytes((1600, 800), pnginfo=info)
    assert _send(client, site, png).status_code == 303
    session.refresh(site.structure)
    stored = Image.open(io.BytesIO(site.structure.logo))
    assert stored.format == "PNG" and stored.size == (600, 300)
    assert "Author" not in stored.info
    assert len(site.structure.logo) < logo_image.MAX_BYTES

    exif = Image.Exif()
    exif[0x010F] = "Appareil de Jean"  # Make
    exif[0x0112] = 6  # Orientation: turned a quarter
    photo = image_bytes((1200, 900), fmt="JPEG", exif=exif.tobytes())
    assert _send(client, site, photo, "photo.jpg").status_code == 303
    session.refresh(site.structure)
    stored = Image.open(io.BytesIO(site.structure.logo))
    assert site.structure.logo_mime == "image/jpeg" and stored.format == "JPEG"
    assert stored.size == (450, 600)  # upright, then 600 px on the long side
    assert len(stored.getexif()) == 0
    assert len(site.structure.logo) < logo_image.MAX_BYTES


def test_damaged_images_are_refused(world, client_for, session):
    site = world.a
    client = client_for(site.member("director"))
    real = image_bytes((300, 200), color=(10, 120, 200))
    bogus_header = real[:16] + b"\xff" * 8 + real[24:]  # the IHDR chunk's size, broken
    for damaged in (bogus_header, real[: len(real) // 2], image_bytes(fmt="JPEG")[:200]):
        page = _send(client, site, damaged)
        assert page.status_code == 422
        assert (
            "Le logo est endommagé ou incomplet : enregistrez-le de nouveau en PNG ou JPEG."
            in text_of(page)
            or "Le logo doit être une image PNG ou JPEG." in text_of(page)
        )
    gif = image_bytes(fmt="GIF", mode="P", color=3)
    assert "PNG ou JPEG" in text_of(_send(client, site, gif, "logo.png"))
    session.refresh(site.structure)
    assert site.structure.logo is None


def test_truncated_png_names_the_damage(world, client_for):
    real = image_bytes((300, 200), color=(10, 120, 200))
    page = _send(client_for(world.a.member("director")), world.a, real[: len(real) - 40])
    assert page.status_code == 422
    assert "Le logo est endommagé ou incomplet" in text_of(page)


def _bilan_pdf(site, session, client_for):
    review = f.ReviewFactory(
        structure_id=site.structure.id,
        employee_id=site.employee.id,
        kind="prolongation",
        status=ReviewStatus.HELD,
        cip_synthesis="Parcours régulier.",
        requested_months=6,
    )
    session.commit()
    cip = client_for(site.member("cip"))
    base = f"/s/{site.slug}/bilans/{review.id}"
    assert cip.post(base + "/etape", data={"to": ReviewStatus.VALIDATED}).status_code == 303
    return lambda: cip.get(base + "/pdf?exemplaire=salarie")


def _images(pdf) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf.data)).pages)


def test_pdf_skips_a_stored_logo_beyond_print_bounds(world, client_for, session, huge_png, decoded):
    site = world.a
    download = _bilan_pdf(site, session, client_for)
    # a logo saved by an earlier version, checked on its first bytes only
    site.structure.logo, site.structure.logo_mime = huge_png, "image/png"
    session.commit()
    pdf = download()
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    # Pillow's pixels live outside tracemalloc's sight: the decoded sizes are the measure
    # (before: the 81 million pixels were decoded for every copy, 6.9 s against 0.2 s).
    assert decoded == [] and _images(pdf) == 0
    page = text_of(client_for(site.member("director")).get(_url(site)))
    assert "Le logo enregistré est trop grand pour être imprimé" in page
    assert "data:image/png" not in page

    site.structure.logo = image_bytes((600, 300))
    session.commit()
    printed = download()  # a logo within the bounds is printed, in each page's header
    assert _images(printed) == len(PdfReader(io.BytesIO(printed.data)).pages) >= 1
    assert decoded and all(size == (600, 300) for size in decoded)
