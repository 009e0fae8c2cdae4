"""Documents events: ingest progress, search results, status."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from nimbus.daemon.events.base import (
    Event,
    EventType,
)

__all__ = [
    "DocumentFailed",
    "DocumentIngested",
    "DocumentProgress",
    "DocumentQueued",
    "DocumentRemoved",
    "SearchHit",
    "SearchResults",
    "StatusReport",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentQueued(Event):
    """A file was queued for ingest."""

    type: ClassVar[EventType] = EventType.DOCUMENT_QUEUED
    path: str = ""
    reason: str = ""
    """created | modified | moved | startup | request."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentIngested(Event):
    """A file is indexed and searchable."""

    type: ClassVar[EventType] = EventType.DOCUMENT_INGESTED
    path: str = ""
    pages: int = 0
    chunks: int = 0
    seconds: float = 0.0
    skipped: bool = False
    """True when the content hash was unchanged and nothing was re-embedded."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentRemoved(Event):
    """A file's chunks were removed from the store."""

    type: ClassVar[EventType] = EventType.DOCUMENT_REMOVED
    path: str = ""
    chunks: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentProgress(Event):
    """A long step of a file's ingest moved on (OCR: after each page read)."""

    type: ClassVar[EventType] = EventType.DOCUMENT_PROGRESS
    path: str = ""
    stage: str = "ocr"
    done: int = 0
    total: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentFailed(Event):
    """A file could not be ingested; the store is unchanged for it."""

    type: ClassVar[EventType] = EventType.DOCUMENT_FAILED
    path: str = ""
    code: str = ""
    message: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchHit:
    """One search result."""

    path: str
    page: int | None = None
    score: float = 0.0
    text: str = ""
    ocr: bool = False
    """The text was read by OCR from a scan or photo (it may hold misread characters)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchResults(Event):
    """Answer to a Search command (cause = the search id)."""

    type: ClassVar[EventType] = EventType.SEARCH_RESULTS
    query: str = ""
    hits: tuple[SearchHit, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusReport(Event):
    """Answer to a Status command: a JSON-able snapshot of the daemon."""

    type: ClassVar[EventType] = EventType.STATUS_REPORT
    status: dict[str, Any] = field(default_factory=dict)
