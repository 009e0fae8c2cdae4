"""OCR: Tesseract (through PyMuPDF) reads scanned PDF pages and photos, within set bounds.

PyMuPDF carries Tesseract's engine; it needs only the language data, which Debian's
`tesseract-ocr-eng` installs (``scripts/setup.sh``). Measured against RapidOCR (ONNX) on this
project's scans and photos, Tesseract read 99.7-100 % of the characters at 1-2.5 s a page where
RapidOCR read 86-99 % at 5-9 s (docs/documents.md, OCR). Bounds: at most ``ocr.max_pages``
pages a file (a file with more pages to read fails with ``ocr_page_limit`` before any is read),
no image larger than :data:`MAX_PIXELS`, and a page that takes longer than
``ocr.page_timeout_s`` ends the file's OCR (``ocr_timeout``); Tesseract cannot be interrupted
inside a page, which the pixel cap keeps short.
"""

from __future__ import annotations

import glob
import importlib
import io
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from nimbus.daemon.config import OcrConfig
from nimbus.watchfolders.errors import ExtractError
from nimbus.watchfolders.plaintext import unwrap, visual_lines

__all__ = ["IMAGE_SUFFIXES", "MAX_PIXELS", "Ocr", "Progress", "tessdata"]

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff", ".bmp", ".gif"})
MAX_PIXELS = 24_000_000
"""A page image is scaled down to at most this many pixels (A4 at 400 dpi is 15.5 million)."""

Progress = Callable[[int, int], None]
"""(pages done, pages to read) after each OCR'd page; it may raise to abandon the file."""


def tessdata(language: str = "eng") -> str | None:
    """The folder that holds Tesseract's ``<language>.traineddata``, or None."""
    candidates = [os.environ.get("TESSDATA_PREFIX", "")]
    candidates += sorted(glob.glob("/usr/share/tesseract-ocr/*/tessdata"), reverse=True)
    candidates += ["/usr/share/tessdata", "/usr/local/share/tessdata"]
    for folder in candidates:
        if folder and (Path(folder) / f"{language}.traineddata").is_file():
            return folder
    return None


class Ocr:
    """Reads page images with Tesseract; one per file (it counts the file's pages and time)."""

    def __init__(self, config: OcrConfig, progress: Progress | None = None,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.config = config
        self._progress = progress
        self._clock = clock
        self.seconds = 0.0
        """Time spent reading, all pages together."""

    def _ready(self) -> tuple[Any, str]:
        if not self.config.enabled:
            raise ExtractError("ocr_disabled", "the file needs OCR, and ocr.enabled is false")
        folder = tessdata(self.config.language)
        if folder is None:
            raise ExtractError(
                "ocr_unavailable",
                f"the file needs OCR, and Tesseract's {self.config.language!r} language data is "
                "not installed (Debian: apt-get install tesseract-ocr-eng)")
        return importlib.import_module("pymupdf"), folder

    def check_count(self, count: int) -> None:
        """Fail before reading anything when a file has more pages to OCR than allowed."""
        if count > self.config.max_pages:
            raise ExtractError(
                "ocr_page_limit",
                f"{count} pages need OCR, more than ocr.max_pages = {self.config.max_pages}; "
                "raise ocr.max_pages to read this file")

    def read(self, renders: Sequence[Callable[[], Any]]) -> list[str]:
        """OCR each page image (``renders`` make PyMuPDF pixmaps lazily); their texts."""
        self.check_count(len(renders))
        pymupdf, folder = self._ready()
        texts = []
        for number, render in enumerate(renders, start=1):
            started = self._clock()
            pix = _fit(pymupdf, render())
            try:
                pdf = pymupdf.open("pdf", pix.pdfocr_tobytes(language=self.config.language,
                                                              tessdata=folder))
            except Exception as exc:  # MuPDF raises RuntimeError/FzError for an OCR failure
                raise ExtractError("ocr_failed", f"OCR of page {number} failed: {exc}") from None
            with pdf:
                texts.append(self._lines(pdf[0]))
            took = self._clock() - started
            self.seconds += took
            if took > self.config.page_timeout_s:
                raise ExtractError(
                    "ocr_timeout",
                    f"OCR of page {number} took {took:.0f} s, over ocr.page_timeout_s = "
                    f"{self.config.page_timeout_s:g}")
            if self._progress is not None:
                self._progress(number, len(renders))
        return texts

    @staticmethod
    def _lines(page: Any) -> str:
        return unwrap(visual_lines(page))

    def images(self, data: bytes) -> list[str]:
        """OCR an image file (every frame of a multi-page TIFF), read with Pillow."""
        image_module = importlib.import_module("PIL.Image")
        ops = importlib.import_module("PIL.ImageOps")
        try:
            image = image_module.open(io.BytesIO(data))
            frames = getattr(image, "n_frames", 1)
        except Exception as exc:  # Pillow raises UnidentifiedImageError, OSError, ...
            raise ExtractError("corrupt_image", f"not a readable image: {exc}") from None
        self.check_count(frames)

        def frame(index: int) -> Callable[[], Any]:
            def render() -> Any:
                try:
                    image.seek(index)
                    page = ops.exif_transpose(image).convert("RGB")  # phone photos: upright
                    buffer = io.BytesIO()
                    page.save(buffer, format="PNG")
                except Exception as exc:
                    raise ExtractError("corrupt_image", f"cannot decode the image: {exc}") \
                        from None
                return importlib.import_module("pymupdf").Pixmap(buffer.getvalue())
            return render

        return self.read([frame(i) for i in range(frames)])


def _fit(pymupdf: Any, pix: Any) -> Any:
    """RGB without alpha (Tesseract through MuPDF reads nothing from a grey pixmap), at most
    MAX_PIXELS."""
    if pix.alpha:
        pix = pymupdf.Pixmap(pix, 0)
    if pix.colorspace is None or pix.colorspace.n != 3:  # grey, CMYK
        pix = pymupdf.Pixmap(pymupdf.csRGB, pix)
    while pix.width * pix.height > MAX_PIXELS:
        pix.shrink(1)  # halves each side
    return pix
