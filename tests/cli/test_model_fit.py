"""`nimbus doctor`'s model-size advice: RAM for the weights, cores for a talking pace."""

from __future__ import annotations

from nimbus.cli.model_fit import GIB, model_fit


def test_a_small_box_is_told_a_small_model() -> None:
    fit = model_fit(3 * GIB, 2)
    assert fit.fits == "0.5B"  # 3 GiB x 0.7 - 1.5 GiB for the rest of the daemon = 0.6 GiB
    assert fit.talks == "0.5B"
    assert fit.ok


def test_memory_and_cores_limit_separately() -> None:
    fit = model_fit(24 * GIB, 2)
    assert (fit.fits, fit.talks) == ("14B", "1.5B")
    assert "Qwen2.5-1.5B-Instruct" in fit.detail
    assert model_fit(64 * GIB, 16).talks == "7B"


def test_the_configured_model_is_judged() -> None:
    assert "0.09 GiB) fits" in model_fit(24 * GIB, 2, int(0.09 * GIB)).detail
    slow = model_fit(24 * GIB, 2, int(4.7 * GIB))
    assert slow.ok
    assert "will speak slowly" in slow.detail
    too_big = model_fit(8 * GIB, 8, int(9 * GIB))
    assert not too_big.ok
    assert "does NOT fit" in too_big.detail


def test_a_machine_too_small_for_any_model_is_a_failure() -> None:
    assert not model_fit(1 * GIB, 1).ok
