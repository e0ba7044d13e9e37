"""Checking what people upload: sniffed type on an allow-list, size, and no hidden metadata."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# Sniffed MIME type -> extension we store and serve. The client's claimed type is ignored.
ALLOWED = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "audio/mpeg": "mp3",
    "audio/x-wav": "wav",
    "text/plain": "txt",
}
IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
# A photo of a letter needs far fewer; a small file that unpacks to more is a decompression bomb.
MAX_IMAGE_PIXELS = 40_000_000


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content: bytes
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def _sniff(content: bytes) -> str | None:
    kind = filetype.guess(content)
    if kind is not None:
        return str(kind.mime)
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/plain"


class ImageTooLarge(ValueError):
    pass


def _strip_image_metadata(content: bytes, fmt: str) -> bytes:
    """Re-encode the pixels only: EXIF (GPS position, camera serial), XMP and comments are dropped."""
    with Image.open(io.BytesIO(content)) as image:
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise ImageTooLarge  # judged from the header, before anything is unpacked
        image.load()
        clean = Image.frombytes(image.mode, image.size, image.tobytes())
        palette = image.getpalette() if image.mode == "P" else None
        if palette:
            clean.putpalette(palette)
        if "transparency" in image.info:
            clean.info["transparency"] = image.info["transparency"]
        out = io.BytesIO()
        clean.save(out, format=fmt, **({"quality": 92} if fmt == "JPEG" else {}))
        return out.getvalue()


def check_upload(name: str, content: bytes) -> CheckedFile:
    """Return the file ready to store, or raise ValidationError saying exactly what is wrong."""
    name = (name or "file").replace("\\", "/").rsplit("/", 1)[-1][:200]
    limit = settings.ATTACHMENT_MAX_BYTES
    if len(content) == 0:
        raise ValidationError(_("文件“%(name)s”是空的。") % {"name": name}, code="empty_file")
    if len(content) > limit:
        raise ValidationError(
            _("文件“%(name)s”有 %(size).1f MB，超过了 %(limit).0f MB 的上限。")
            % {"name": name, "size": len(content) / 1048576, "limit": limit / 1048576},
            code="file_too_large",
        )
    mime = _sniff(content)
    if mime not in ALLOWED:
        raise ValidationError(
            _("不支持文件“%(name)s”的类型。可以上传 PDF、JPG、PNG、WEBP、Word、Excel、MP3、WAV 或纯文本文件。")
            % {"name": name},
            code="file_type",
        )
    if mime in IMAGE_TYPES:
        try:
            content = _strip_image_metadata(content, IMAGE_TYPES[mime])
        except (ImageTooLarge, Image.DecompressionBombError):
            raise ValidationError(
                _("图片“%(name)s”的像素过多（上限 %(limit)d 万像素），请缩小后再上传。")
                # 万 (10^4) in Chinese, millions in English: both are passed
                % {"name": name, "limit": MAX_IMAGE_PIXELS // 10_000, "millions": MAX_IMAGE_PIXELS // 1_000_000},
                code="image_too_large",
            ) from None
        except (UnidentifiedImageError, OSError, ValueError):
            raise ValidationError(_("图片“%(name)s”已损坏，无法读取。") % {"name": name}, code="file_corrupt") from None
    return CheckedFile(name=name, content=content, content_type=mime, sha256=hashlib.sha256(content).hexdigest())
