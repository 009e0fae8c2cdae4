"""Make real PDFs with PyMuPDF for the document tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pymupdf


def make_pdf(path: Path, pages: Sequence[str], *, password: str | None = None) -> Path:
    """A PDF with one page per text (wrapped into the page box); optionally encrypted."""
    doc = pymupdf.open()
    for text in pages:
        page = doc.new_page()
        page.insert_textbox(pymupdf.Rect(50, 50, 550, 800), text, fontsize=11)
    options = {}
    if password is not None:
        options = {"encryption": pymupdf.PDF_ENCRYPT_AES_256, "user_pw": password,
                   "owner_pw": password + "-owner"}
    doc.save(path, **options)
    doc.close()
    return path
