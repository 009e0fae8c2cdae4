#!/usr/bin/env bash
# Sets up everything Nimbus needs on a fresh Debian machine: system packages, .venv, Python deps.
# Idempotent: re-running with nothing changed takes a second (stamp file keyed on the dependency files).
set -euo pipefail
cd "$(dirname "$0")/.."

MODE="${1:-run}"   # run | test
VENV=.venv
PY="${NIMBUS_PYTHON:-python3}"

# tesseract-ocr-eng: the English language data PyMuPDF's built-in Tesseract reads scans with
# (tesseract-ocr brings the command `nimbus doctor` reports the version of).
# wordnet-base: WordNet 3.0 in /usr/share/wordnet: the reference book general questions are
# looked up in (responding/reference/), and the word forms and synonyms the evidence ranking
# meets a question's words with a document's by (responding/lexicon.py).
RUN_DEBS=(mosquitto espeak-ng libportaudio2 portaudio19-dev pulseaudio pulseaudio-utils
          tesseract-ocr tesseract-ocr-eng wordnet-base)
# bible-kjv: public-domain text for benchmarks/bench_phrases.py; ffmpeg: the tests' Home Assistant;
# asterisk-core-sounds-en(-wav): recorded prompts with their transcripts, the held-out speech of
# benchmarks/bench_asr_decode.py
TEST_DEBS=(chromium sox bible-kjv ffmpeg asterisk-core-sounds-en-wav asterisk-core-sounds-en)

need=()
debs=("${RUN_DEBS[@]}")
[ "$MODE" = test ] && debs+=("${TEST_DEBS[@]}")
for p in "${debs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo ">> installing Debian packages: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    # The mosquitto package starts a system broker on 1883; Nimbus' tests start their own.
  else
    echo "!! missing Debian packages: ${need[*]}"
    echo "!! run: sudo apt-get install -y ${need[*]}"
    exit 1
  fi
fi

# The daemon is the `server` extra (the base install is the thin `nimbus satellite`). Optional
# extras for `run` (e.g. NIMBUS_EXTRAS=xtts for Coqui XTTS voices); tests install them all.
extras="server,audio${NIMBUS_EXTRAS:+,$NIMBUS_EXTRAS}"
[ "$MODE" = test ] && extras="server,audio,dev,xtts"
stamp_key=$( (cat pyproject.toml constraints.txt scripts/setup.sh; echo "$extras") | sha256sum | cut -c1-16)
stamp="$VENV/.nimbus-setup-$MODE-$stamp_key"
if [ "$MODE" = test ]; then
  # A real Home Assistant for tests/home_assistant.py, in its own Python 3.12 venv under .cache/
  # (stamped on its own; fails with a clear message when the machine has no Python 3.12).
  scripts/setup_homeassistant.sh
fi
# WordNet's search index, built once per machine into ~/.cache/nimbus (a daemon would build it on
# first need, in the background; ~30 s of one core). Instant when it is there.
reference_index() {
  "$VENV/bin/python" -m nimbus.handlers.responding.reference.book >/dev/null
}
if [ -f "$stamp" ]; then
  reference_index
  exit 0
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo ">> creating $VENV"
  "$PY" -m venv "$VENV"
fi
pip_install() {
  # The machine's pip config lists optional local indexes; drop pip's noise about absent ones.
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q "$@" 2>&1 \
    | { grep -v "is ignored: it is neither a file nor a directory" || true; }
  return "${PIPESTATUS[0]}"
}
echo ">> installing torch==2.13.0 (CPU) first"
pip_install "torch==2.13.0"
echo ">> installing nimbus[$extras] under constraints.txt (llama-cpp-python compiles: ~4 min on 2 cores)"
# llama.cpp is built for a portable x86-64 (AVX2/FMA), not -march=native: on Xeons with AMX the
# native build's AMX kernels segfault in the first decode inside this sandbox (seen with 0.3.36),
# and the same machine kind comes with either AMD or Intel processors.
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON}"
CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" pip_install -c constraints.txt -e ".[$extras]"
"$VENV/bin/python" - <<'PY'
import importlib.metadata as md, sys
v = md.version("torch")
if v.split("+")[0] != "2.13.0":
    sys.exit(f"torch {v} installed; expected the 2.13.0 CPU build")
cuda = [d.metadata["Name"] for d in md.distributions() if d.metadata["Name"].lower().startswith("nvidia-")]
if cuda:
    sys.exit(f"CUDA packages were pulled in: {cuda}")
PY
rm -f "$VENV"/.nimbus-setup-"$MODE"-*
touch "$stamp"
echo ">> building the reference index (WordNet)"
reference_index
echo ">> setup done"
