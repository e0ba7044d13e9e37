import io

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from PIL import Image

from minsheng.core.uploads import check_upload


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (8, 8), "red")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (28.0, 12.0, 0.0)}  # GPSInfo: latitude
    exif[0x010F] = "SecretCam"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_it_strips_exif_and_gps_from_photos() -> None:
    original = _jpeg_with_gps()
    assert b"SecretCam" in original
    checked = check_upload("photo.jpg", original)
    assert checked.content_type == "image/jpeg"
    assert b"SecretCam" not in checked.content
    assert not Image.open(io.BytesIO(checked.content)).getexif()


def test_it_judges_the_type_by_content_not_by_name() -> None:
    with pytest.raises(ValidationError) as exc:
        check_upload("letter.pdf", b"MZ\x90\x00\x03" + bytes(range(256)) * 4)
    assert exc.value.code == "file_type"


def test_it_accepts_a_pdf_and_plain_text() -> None:
    assert check_upload("a.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n").content_type == "application/pdf"
    assert check_upload("note.txt", "信访材料".encode()).content_type == "text/plain"


@override_settings(ATTACHMENT_MAX_BYTES=1000)
def test_it_refuses_a_file_over_the_size_limit_saying_by_how_much() -> None:
    with pytest.raises(ValidationError) as exc:
        check_upload("big.txt", b"a" * 2000)
    assert exc.value.code == "file_too_large"


def test_it_refuses_an_empty_file() -> None:
    with pytest.raises(ValidationError) as exc:
        check_upload("empty.txt", b"")
    assert exc.value.code == "empty_file"


def test_it_strips_text_chunks_and_exif_from_png_and_webp() -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "GPS 28.2N 112.9E SecretCam")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    png, webp = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(png, format="PNG", pnginfo=info, exif=exif)
    Image.new("RGB", (8, 8), "blue").save(webp, format="WEBP", exif=exif)
    for name, original in (("a.png", png.getvalue()), ("b.webp", webp.getvalue())):
        assert b"SecretCam" in original
        checked = check_upload(name, original)
        assert b"SecretCam" not in checked.content and b"GPS" not in checked.content


def test_it_refuses_an_image_that_would_unpack_to_too_many_pixels() -> None:
    bomb = io.BytesIO()
    Image.new("1", (8000, 6000)).save(bomb, format="PNG")  # 48 million pixels in a few kB
    assert len(bomb.getvalue()) < 100_000
    with pytest.raises(ValidationError) as caught:
        check_upload("scan.png", bomb.getvalue())
    assert caught.value.code == "image_too_large" and "像素过多" in caught.value.messages[0]
