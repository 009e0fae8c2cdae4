"""Native stderr is redirected by one owner: overlapping quiet windows (the audio device probe in
two threads, or the probe and llama.cpp's model load) never leave the process's stderr silenced,
and the daemon's log never goes quiet during one.

Each case runs in a fresh interpreter with stderr on a pipe, because what is tested is the
process's file descriptor 2 itself.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest


def _stderr_of(script: str, timeout: float = 120) -> str:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(script)],
                            capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr


def test_overlapping_audio_probes_leave_stderr_working() -> None:
    # Microphone and speaker probe their devices on two threads; the second window opens
    # before the first closes, and closes after it: the sequence that silenced the log.
    stderr = _stderr_of("""
        import os
        from nimbus.handlers.audio.devices import quiet_native_stderr
        first, second = quiet_native_stderr(), quiet_native_stderr()
        first.__enter__()
        second.__enter__()
        os.write(2, b"hidden: inside both windows\\n")
        first.__exit__(None, None, None)
        os.write(2, b"hidden: inside the second window\\n")
        second.__exit__(None, None, None)
        os.write(2, b"native stderr works again\\n")
    """)
    assert "native stderr works again" in stderr
    assert "hidden" not in stderr


def test_the_daemon_log_is_never_silenced_by_a_quiet_window() -> None:
    stderr = _stderr_of("""
        import logging
        from nimbus.daemon.logs import setup_logging
        from nimbus.daemon.native_stderr import log_stream, quiet_native_stderr
        setup_logging("INFO", stream=log_stream())
        with quiet_native_stderr():
            logging.getLogger("nimbus.test").info("logged while native stderr is quiet")
    """)
    assert "logged while native stderr is quiet" in stderr


@pytest.mark.slow
def test_an_audio_probe_overlapping_the_llm_load_leaves_stderr_working() -> None:
    # The probe's window opens before the model load and closes while it is still loading
    # (seen by llama-cpp-python's own redirect having swapped sys.stderr, or by the load
    # finishing): with two save/dup2/restore owners the load then "restores" /dev/null.
    stderr = _stderr_of("""
        import os, sys, threading, time
        from nimbus.daemon.config import load_config
        from nimbus.handlers.audio.devices import quiet_native_stderr
        from nimbus.handlers.responding.llm import load_backend

        original = sys.stderr
        probe = quiet_native_stderr()
        probe.__enter__()
        done = threading.Event()

        loaded = []

        def load():
            try:
                config = load_config(None, environ={}, overrides=[
                    "llm.n_ctx=512", "llm.max_input_tokens=400"])
                loaded.append(load_backend(config))
            finally:
                done.set()

        loader = threading.Thread(target=load)
        loader.start()
        deadline = time.monotonic() + 60
        while sys.stderr is original and not done.is_set() and time.monotonic() < deadline:
            time.sleep(0.0005)
        probe.__exit__(None, None, None)
        loader.join()
        assert loaded, "the model loaded"
        os.write(2, b"native stderr works after the load\\n")
    """)
    assert "native stderr works after the load" in stderr
