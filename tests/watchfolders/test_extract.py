"""Extractors on real files: PDFs made by PyMuPDF, text in odd encodings, HTML, CSV, JSON."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nimbus.watchfolders.extract import ExtractError, decode_text, extract, html_to_text, kind_of
from tests.watchfolders.pdfs import make_pdf


def test_pdf_text_per_page(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "m.pdf", ["Page one about cats.", "Page two: the boiler.",
                                         "Page three, tomatoes."])
    pages = extract(path, path.read_bytes())
    assert [p.number for p in pages] == [1, 2, 3]
    assert "boiler" in pages[1].text
    assert "cats" in pages[0].text


def test_encrypted_pdf_is_a_clear_failure(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "secret.pdf", ["top secret"], password="hunter2")
    with pytest.raises(ExtractError) as info:
        extract(path, path.read_bytes())
    assert info.value.code == "encrypted_pdf"
    assert "password" in info.value.message


def test_junk_named_pdf(tmp_path: Path) -> None:
    data = os.urandom(4096)
    with pytest.raises(ExtractError) as info:
        extract(tmp_path / "junk.pdf", data)
    assert info.value.code == "corrupt_pdf"


def test_truncated_pdf(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "t.pdf", ["Some text " * 50] * 3)
    data = path.read_bytes()
    with pytest.raises(ExtractError) as info:
        extract(path, data[: len(data) // 10])
    assert info.value.code == "corrupt_pdf"
    # Cut in half, MuPDF repairs what it can: the recovered page text is real, the rest empty.
    pages = extract(path, data[: len(data) // 2])
    assert len(pages) == 3
    assert "Some text" in pages[0].text


def test_empty_and_unknown(tmp_path: Path) -> None:
    with pytest.raises(ExtractError) as info:
        extract(tmp_path / "empty.txt", b"")
    assert info.value.code == "empty"
    with pytest.raises(ExtractError) as info:
        extract(tmp_path / "archive.7z", b"7z\xbc\xaf")
    assert info.value.code == "unsupported_type"
    assert kind_of(Path("a.MP3")) == "audio"
    assert kind_of(Path("a.PDF")) == "pdf"


def test_text_encodings() -> None:
    assert decode_text("Grüße".encode()) == "Grüße"
    assert decode_text("\ufeffhello".encode()) == "hello"
    latin = ("Le café était très agréable, à côté de la rivière. " * 5).encode("cp1252")
    assert "café était très agréable" in decode_text(latin)
    german = "Der Bär läuft über die Straße und grüßt. ".encode("cp1252")
    assert decode_text(german) == "Der Bär läuft über die Straße und grüßt. "
    russian = "Привет, как дела? Это обычный текст на русском языке. " * 3
    assert decode_text(russian.encode("cp1251")) == russian
    assert decode_text("日本語のテキストです。".encode("utf-16")) == "日本語のテキストです。"
    with pytest.raises(ExtractError) as info:
        decode_text(b"\x00\x01\x02binary\x00")
    assert info.value.code == "binary_content"


def test_html_csv_json(tmp_path: Path) -> None:
    markup = ("<html><head><title>T</title><style>p{x:1}</style><script>var a=1;</script></head>"
              "<body><h1>Heading</h1><p>First &amp; para.</p><div>Second</div></body></html>")
    text = html_to_text(markup)
    assert "var a" not in text
    assert "p{x" not in text
    assert "First & para." in text
    assert "Heading" in text
    pages = extract(tmp_path / "t.csv", b"name,colour\napple,red\npear,green\n")
    assert "apple. red." in pages[0].text
    pages = extract(tmp_path / "t.json", b'{"wifi": {"ssid": "home", "password": "pw123"}}')
    assert "wifi.password: pw123." in pages[0].text
    with pytest.raises(ExtractError) as info:
        extract(tmp_path / "bad.json", b"{nope")
    assert info.value.code == "corrupt_json"


def test_an_html_table_becomes_rows_that_carry_their_headers() -> None:
    markup = ("<p>Swimming lessons</p><table><caption>Spring term</caption>"
              "<thead><tr><th>Class</th><th>Day</th><th>Pool</th></tr></thead><tbody>"
              "<tr><td>Otters</td><td>Tuesday<br>5 pm</td><td>Leisure centre</td></tr>"
              "<tr><td>Seals</td><td>Friday</td><td>School pool</td></tr></tbody></table>"
              "<p>Bring goggles.</p>")
    lines = html_to_text(markup).splitlines()
    assert "Otters: Day Tuesday 5 pm, Pool Leisure centre." in lines
    assert "Seals: Day Friday, Pool School pool." in lines
    assert "Spring term" in lines
    assert "Bring goggles." in lines


def test_audio_without_asr_is_a_clear_failure(tmp_path: Path) -> None:
    with pytest.raises(ExtractError) as info:
        extract(tmp_path / "memo.wav", b"RIFF....", transcribe=None)
    assert info.value.code == "audio_unavailable"


def test_a_markdown_pipe_table_is_read_as_rows_with_their_headers(tmp_path: Path) -> None:
    note = ("# Bikes\n\n| Rider | Bike | Tyre pressure |\n|:---|---|---:|\n"
            "| Noor | Red Raleigh | 45 psi |\n| Tom | **Blue BMX** | 60 psi |\n\n"
            "A line | with a pipe stays as it is.\n")
    text = extract(tmp_path / "bikes.md", note.encode())[0].text
    assert "Noor: Bike Red Raleigh, Tyre pressure 45 psi." in text
    assert "Tom: Bike Blue BMX, Tyre pressure 60 psi." in text
    assert "|" not in text.replace("A line | with", "")
    assert "A line | with a pipe stays as it is." in text
