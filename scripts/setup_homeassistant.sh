#!/usr/bin/env bash
# Builds the real Home Assistant the tests run (tests/home_assistant.py) in its own venv under .cache/.
# Home Assistant 2025.1.4 is the newest release that runs on Python 3.12 and has the Wyoming
# conversation agent. HA cannot download its integrations' requirements here (the tests start it
# with --skip-pip), so they are installed now from the manifests of the integrations the tests use.
# Idempotent: a stamp keyed on this script makes a re-run take a moment. ~2.5 minutes cold.
set -euo pipefail
cd "$(dirname "$0")/.."

HA_VERSION=2025.1.4
HA_VENV=".cache/homeassistant-$HA_VERSION"
# The integrations the tests load (their manifests' dependencies are followed): frontend because
# Home Assistant starts in recovery mode without it, zeroconf because Wyoming's config flow
# imports it (a discovery source, not a dependency).
INTEGRATIONS=(frontend wyoming mqtt assist_pipeline conversation stt tts ffmpeg zeroconf
              media_source template input_boolean light lock)

stamp_key=$(sha256sum scripts/setup_homeassistant.sh | cut -c1-16)
stamp="$HA_VENV/.nimbus-ha-$stamp_key"
[ -f "$stamp" ] && exit 0

find_python312() {
  local c
  for c in "${NIMBUS_HA_PYTHON:-}" python3.12 /usr/bin/python3.12 /usr/local/bin/python3.12 \
           "$HOME"/.pyenv/versions/3.12*/bin/python3.12; do
    [ -n "$c" ] || continue
    if command -v "$c" >/dev/null 2>&1 \
       && "$c" -c 'import sys, venv; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; then
      command -v "$c"
      return 0
    fi
  done
  return 1
}
if ! PY312=$(find_python312); then
  echo "!! Home Assistant $HA_VERSION needs Python 3.12, and none was found (tried python3.12,"
  echo "!! /usr/bin, /usr/local/bin, ~/.pyenv/versions/3.12*). Install one (e.g. pyenv install 3.12)"
  echo "!! or point NIMBUS_HA_PYTHON at it; the Home Assistant tests cannot run without it."
  exit 1
fi

ha_pip() {
  "$HA_VENV/bin/python" -m pip install --disable-pip-version-check -q "$@" 2>&1 \
    | { grep -v "is ignored: it is neither a file nor a directory" || true; }
  return "${PIPESTATUS[0]}"
}
if ! "$HA_VENV/bin/python" -c "import importlib.metadata as m, sys
sys.exit(m.version('homeassistant') != '$HA_VERSION')" 2>/dev/null; then
  echo ">> building Home Assistant $HA_VERSION in $HA_VENV with $PY312 (~2.5 minutes)"
  rm -rf "$HA_VENV"
  "$PY312" -m venv "$HA_VENV"
  ha_pip "homeassistant==$HA_VERSION"
fi
mapfile -t reqs < <("$HA_VENV/bin/python" - "${INTEGRATIONS[@]}" <<'PY'
import json, sys
from pathlib import Path
import homeassistant.components as components
root = Path(components.__path__[0])
todo, integrations, requirements = list(sys.argv[1:]), set(), []
while todo:
    name = todo.pop()
    if name in integrations:
        continue
    integrations.add(name)
    manifest = json.loads((root / name / "manifest.json").read_text())
    todo += manifest.get("dependencies", [])
    requirements += [r for r in manifest.get("requirements", []) if r not in requirements]
print("\n".join(requirements))
PY
)
# HA pins its core dependencies in package_constraints.txt; keep the manifest requirements inside them.
constraints=$("$HA_VENV/bin/python" -c 'import homeassistant, pathlib; print(pathlib.Path(homeassistant.__file__).parent / "package_constraints.txt")')
echo ">> installing the integrations' requirements: ${reqs[*]}"
ha_pip -c "$constraints" "${reqs[@]}"
"$HA_VENV/bin/hass" --version >/dev/null
rm -f "$HA_VENV"/.nimbus-ha-*
touch "$stamp"
echo ">> Home Assistant $HA_VERSION ready: $HA_VENV/bin/hass"
