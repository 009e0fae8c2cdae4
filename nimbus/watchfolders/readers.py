"""What reads which file type, and whether it is installed here (for `nimbus doctor`)."""

from __future__ import annotations

import importlib
import importlib.metadata
import shutil
import subprocess
import time
from dataclasses import dataclass

from nimbus.daemon.config import OcrConfig
from nimbus.watchfolders.ocr import Ocr, tessdata

__all__ = ["READERS", "ReaderStatus", "ocr_status", "reader_status"]

READERS: tuple[tuple[str, str, str, str], ...] = (
    # (distribution, module, suffixes, what it is used for)
    ("pymupdf", "pymupdf", ".pdf .epub .mobi .fb2 .xps .oxps .cbz",
     "PDF pages and tables, e-books, XPS; renders scans for OCR"),
    ("python-docx", "docx", ".docx", "Word paragraphs and tables"),
    ("openpyxl", "openpyxl", ".xlsx", "Excel sheets as rows with their headers"),
    ("python-pptx", "pptx", ".pptx", "PowerPoint slides, tables and notes"),
    ("odfpy", "odf.opendocument", ".odt .ods .odp", "OpenDocument text, sheets, slides"),
    ("striprtf", "striprtf.striprtf", ".rtf", "RTF text"),
    ("extract-msg", "extract_msg", ".msg", "Outlook mail and its attachments"),
    ("pillow", "PIL.Image", ".png .jpg .jpeg .webp .tif .tiff .bmp .gif",
     "decodes photos and scans for OCR"),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReaderStatus:
    """One reader: whether it imports here, its version, what it reads."""

    name: str
    ok: bool
    detail: str
    seconds: float | None = None


def reader_status() -> list[ReaderStatus]:
    """Every reader library: its version and the suffixes it reads, or why it is missing."""
    out = []
    for dist, module, suffixes, use in READERS:
        try:
            importlib.import_module(module)
            version = importlib.metadata.version(dist)
        except (ImportError, importlib.metadata.PackageNotFoundError) as exc:
            out.append(ReaderStatus(name=f"reader:{dist}", ok=False,
                                    detail=f"missing ({exc}): {suffixes} files fail with "
                                           "reader_unavailable"))
            continue
        out.append(ReaderStatus(name=f"reader:{dist}", ok=True,
                                detail=f"{version}: {suffixes} ({use})"))
    return out


def _tesseract_version() -> str:
    command = shutil.which("tesseract")
    if command is None:
        return "no tesseract command"
    try:
        done = subprocess.run([command, "--version"], capture_output=True, text=True,
                              timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"tesseract --version failed: {exc}"
    first = (done.stdout or done.stderr).strip().splitlines()
    return first[0] if first else "tesseract (no version)"


def ocr_status(config: OcrConfig, *, load: bool = True) -> ReaderStatus:
    """The OCR engine: Tesseract's language data found, and (``load``) a real page read."""
    if not config.enabled:
        return ReaderStatus(name="ocr", ok=True, detail="disabled (ocr.enabled = false): "
                            "scans and photos fail with ocr_disabled")
    folder = tessdata(config.language)
    if folder is None:
        return ReaderStatus(name="ocr", ok=False, detail=(
            f"Tesseract language data {config.language!r} not found: scans and photos fail "
            "with ocr_unavailable (Debian: apt-get install tesseract-ocr-eng)"))
    detail = (f"Tesseract in PyMuPDF {importlib.metadata.version('pymupdf')}, "
              f"{config.language} data in {folder}; {_tesseract_version()}")
    if not load:
        return ReaderStatus(name="ocr", ok=True, detail=detail)
    pymupdf = importlib.import_module("pymupdf")
    doc = pymupdf.open()
    page = doc.new_page(width=300, height=80)
    page.insert_text((20, 50), "Nimbus 4821", fontsize=24)
    started = time.perf_counter()
    try:
        read = Ocr(config).read([lambda: page.get_pixmap(dpi=150)])[0]
    except Exception as exc:  # report any failure of the engine as a failed check
        return ReaderStatus(name="ocr", ok=False, detail=f"{detail}; reading a test page "
                            f"failed: {exc}")
    took = time.perf_counter() - started
    ok = "4821" in read
    return ReaderStatus(name="ocr", ok=ok, seconds=took, detail=(
        f"{detail}; read a test page" if ok else f"{detail}; a test page read as {read!r}"))
