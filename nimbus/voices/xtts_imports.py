"""Importing coqui-tts's XTTS on a machine whose torch has no matching torchaudio.

:func:`import_xtts` makes ``import TTS.tts.models.xtts`` work with the pinned CPU torch:

* ``torchaudio`` resolves to :mod:`nimbus.voices.torchaudio_compat` when no real torchaudio can
  be found (a finder appended *after* the normal ones, so an installed torchaudio always wins);
* coqui-tts's package ``__init__`` refuses to import on torch >= 2.9 unless ``torchcodec`` is
  installed, because torchaudio >= 2.9 decodes files through it. Nimbus decodes audio itself
  (soundfile/PyAV), so while ``TTS`` is being imported that check is answered with a spec for
  ``torchcodec`` whose loading fails with a clear message. The spec is withdrawn afterwards.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import threading
from collections.abc import Sequence
from types import ModuleType
from typing import Final

__all__ = ["COMPAT_PACKAGE", "import_xtts", "torchaudio_is_compat"]

COMPAT_PACKAGE: Final = "nimbus.voices.torchaudio_compat"
_ALIAS: Final = "torchaudio"
_CODEC: Final = "torchcodec"
_import_lock = threading.Lock()


class _TorchaudioCompatFinder(importlib.abc.MetaPathFinder):
    """Serves ``torchaudio[.x]`` from the compat package; consulted only after the real finders."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != _ALIAS and not fullname.startswith(_ALIAS + "."):
            return None
        compat = importlib.util.find_spec(COMPAT_PACKAGE + fullname[len(_ALIAS):])
        if compat is None or compat.origin is None:
            return None
        return importlib.util.spec_from_file_location(
            fullname, compat.origin,
            submodule_search_locations=compat.submodule_search_locations,
        )


class _NoTorchcodecLoader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        raise ImportError(
            "torchcodec is not installed; Nimbus decodes audio for XTTS itself "
            "(nimbus.voices.xtts_imports)", name=_CODEC)

    def exec_module(self, module: ModuleType) -> None:  # pragma: no cover - never created
        raise ImportError("torchcodec is not installed", name=_CODEC)


class _TorchcodecCheckFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != _CODEC:
            return None
        return importlib.machinery.ModuleSpec(_CODEC, _NoTorchcodecLoader())


def torchaudio_is_compat() -> bool:
    """Whether ``torchaudio`` in this process is Nimbus's compat package (after an import)."""
    origin = getattr(getattr(sys.modules.get(_ALIAS), "__spec__", None), "origin", None)
    compat = importlib.util.find_spec(COMPAT_PACKAGE)
    return origin is not None and compat is not None and origin == compat.origin


def import_xtts() -> ModuleType:
    """``TTS.tts.models.xtts``, importable with the compat torchaudio when none is installed."""
    with _import_lock:
        if not any(isinstance(f, _TorchaudioCompatFinder) for f in sys.meta_path):
            sys.meta_path.append(_TorchaudioCompatFinder())
        codec_check = None
        if "TTS" not in sys.modules and importlib.util.find_spec(_CODEC) is None:
            codec_check = _TorchcodecCheckFinder()
            sys.meta_path.append(codec_check)
        try:
            return importlib.import_module("TTS.tts.models.xtts")
        finally:
            if codec_check is not None:
                sys.meta_path.remove(codec_check)
