"""E-mail as text: headers (from, to, date, subject), the body, and the attachments' bytes.

``.eml`` is read with the standard library's ``email`` package, Outlook's ``.msg`` with
extract-msg. Attachments are handed back to the ingest, which reads each as a document of its own
that lives under the mail's path (``letter.eml/price-list.pdf``).
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import importlib
import io
from dataclasses import dataclass
from typing import Any

from nimbus.watchfolders.errors import ExtractError
from nimbus.watchfolders.plaintext import html_to_text

__all__ = ["MAIL_SUFFIXES", "Attachment", "Mail", "read_mail"]

MAIL_SUFFIXES = frozenset({".eml", ".msg"})
MAX_ATTACHMENTS = 20
"""Attachments read from one mail; the rest are named in its text but not ingested."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Attachment:
    """A file attached to a mail."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class Mail:
    """A mail's text (headers, then body) and its attachments."""

    text: str
    attachments: tuple[Attachment, ...]


def _safe_name(name: str, taken: set[str]) -> str:
    """An attachment's file name, usable as the last part of a path, unique within its mail."""
    base = name.replace("/", "_").replace("\\", "_").replace("\x00", "").strip() or "attachment"
    base = base.lstrip(".") or "attachment"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        stem, dot, suffix = base.rpartition(".")
        candidate = f"{stem}-{n}.{suffix}" if dot and stem else f"{base}-{n}"
    taken.add(candidate)
    return candidate


def _when(raw: str) -> str:
    try:
        moment = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return raw
    return moment.strftime("%A %-d %B %Y, %H:%M")


def _compose(headers: list[tuple[str, str]], body: str, names: list[str]) -> str:
    lines = [f"{key}: {' '.join(value.split())}" for key, value in headers if value.strip()]
    if names:
        lines.append(f"Attachments: {', '.join(names)}")
    return "\n".join(lines) + "\n\n" + body.strip()


def _eml(data: bytes) -> Mail:
    message = email.message_from_bytes(data, policy=email.policy.default)
    plain: list[str] = []
    html: list[str] = []
    attachments: list[Attachment] = []
    names: list[str] = []
    taken: set[str] = set()
    for part in message.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        disposition = part.get_content_disposition()
        if filename or disposition == "attachment":
            name = _safe_name(filename or "attachment", taken)
            names.append(name)
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and len(attachments) < MAX_ATTACHMENTS:
                attachments.append(Attachment(name=name, data=payload))
            continue
        try:
            content = part.get_content()
        except (LookupError, ValueError):
            continue
        if not isinstance(content, str):
            continue
        if part.get_content_type() == "text/plain":
            plain.append(content)
        elif part.get_content_type() == "text/html":
            html.append(html_to_text(content))
    headers = [(key.capitalize(), str(message.get(key, ""))) for key in ("from", "to", "cc")]
    headers.append(("Date", _when(str(message.get("date", ""))) if message.get("date") else ""))
    headers.append(("Subject", str(message.get("subject", ""))))
    if not any(value for _, value in headers) and not plain and not html:
        raise ExtractError("corrupt_mail", "no mail headers or body found")
    body = "\n\n".join(plain) if plain else "\n\n".join(html)
    return Mail(text=_compose(headers, body, names), attachments=tuple(attachments))


def _msg(data: bytes) -> Mail:
    try:
        extract_msg: Any = importlib.import_module("extract_msg")
    except ImportError as exc:
        raise ExtractError("reader_unavailable", f"extract-msg is not installed: {exc}") from None
    try:
        message = extract_msg.openMsg(io.BytesIO(data).getvalue())
    except Exception as exc:  # extract-msg and olefile raise many types for a broken file
        raise ExtractError("corrupt_mail", f"not a readable Outlook .msg file: {exc}") from None
    try:
        attachments: list[Attachment] = []
        names: list[str] = []
        taken: set[str] = set()
        for item in getattr(message, "attachments", []) or []:
            payload = getattr(item, "data", None)
            name = _safe_name(str(getattr(item, "longFilename", None)
                                  or getattr(item, "shortFilename", None) or "attachment"), taken)
            names.append(name)
            if isinstance(payload, bytes) and len(attachments) < MAX_ATTACHMENTS:
                attachments.append(Attachment(name=name, data=payload))
        date = getattr(message, "date", None)
        headers = [("From", str(message.sender or "")), ("To", str(message.to or "")),
                   ("Cc", str(message.cc or "")),
                   ("Date", date.strftime("%A %-d %B %Y, %H:%M") if date else ""),
                   ("Subject", str(message.subject or ""))]
        return Mail(text=_compose(headers, str(message.body or ""), names),
                    attachments=tuple(attachments))
    finally:
        message.close()


def read_mail(suffix: str, data: bytes) -> Mail:
    """A mail file's text and attachments; ExtractError when it cannot be read."""
    return _msg(data) if suffix == ".msg" else _eml(data)
