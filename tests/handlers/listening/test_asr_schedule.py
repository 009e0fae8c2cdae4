"""The ASR scheduling policy, pure: a hand-moved clock, decode times that the test chooses."""

from __future__ import annotations

import itertools

import pytest

from nimbus.handlers.listening.asr.schedule import AsrScheduler, DecodeCost, Job, Offer

_ids = itertools.count()


def offer(site: str = "den", audio_s: float = 2.0, *, final: bool = False, pause: bool = False,
          utterance: str = "u1") -> Offer:
    return Offer(id=f"s{next(_ids)}", site=site, utterance=utterance, audio_s=audio_s,
                 final=final, pause=pause)


def measured(fixed: float, per_second: float = 0.0) -> DecodeCost:
    """A cost model that has seen decodes of ``fixed + per_second * audio`` seconds."""
    cost = DecodeCost()
    for audio in (1.0, 4.0):
        cost.observe(audio, fixed + per_second * audio)
    return cost


def run(schedule: AsrScheduler, now: float, seconds: float) -> tuple[Job, bool, float]:
    """Start the next job at ``now``, let it decode for ``seconds``: (job, published, end)."""
    job = schedule.next_job(now)
    assert job is not None
    end = now + seconds
    return job, schedule.finished(job, now=end, seconds=seconds), end


def test_cost_model_fits_fixed_and_per_second_parts() -> None:
    cost = DecodeCost(prior_fixed=0.3, prior_per_second=0.05)
    assert cost.predict(2.0) == pytest.approx(0.4)  # the prior until something is measured
    for audio in (1.0, 2.0, 4.0, 6.0):
        cost.observe(audio, 0.5 + 0.1 * audio)
    fixed, slope = cost.coefficients()
    assert (fixed, slope) == (pytest.approx(0.5), pytest.approx(0.1))
    assert cost.per_audio_second(5.0) == pytest.approx(0.2)
    # The machine gets busy: the recent decodes take over within one window.
    for _ in range(cost.window):
        cost.observe(3.0, 2.0)
    assert cost.predict(3.0) == pytest.approx(2.0)


def test_one_length_only_scales_the_prior() -> None:
    cost = DecodeCost(prior_fixed=0.3, prior_per_second=0.1)
    cost.observe(2.0, 1.0)  # twice the prior's 0.5 s
    assert cost.predict(2.0) == pytest.approx(1.0)
    assert cost.predict(4.0) == pytest.approx(1.4)  # slope 0.2 s/s, doubled too


def test_a_final_never_waits_behind_a_partial() -> None:
    schedule = AsrScheduler(hangover_s=0.4, budget=0.5, cost=measured(0.2))
    schedule.offer(offer("den"))
    schedule.offer(offer("den", 2.3))
    final = offer("den", 2.8, final=True)
    schedule.offer(final)
    job = schedule.next_job(0.0)
    assert job is not None
    assert job.offer is final  # the final replaced the pending partials and runs first
    assert schedule.stats.replaced == 2
    assert schedule.next_job(0.0) is None  # one decode at a time
    assert schedule.finished(job, now=0.2, seconds=0.2)
    assert schedule.next_job(0.2) is None  # nothing left: the partials are gone


def test_finals_run_before_partials_of_other_sites_and_in_order() -> None:
    schedule = AsrScheduler(cost=measured(0.1))
    kitchen = offer("kitchen")
    first, second = offer("den", final=True), offer("hall", final=True, utterance="u2")
    for each in (kitchen, first, second):
        schedule.offer(each)
    order = [run(schedule, t, 0.1)[0].offer for t in (0.0, 0.1, 0.2)]
    assert order == [first, second, kitchen]


def test_a_partial_that_finishes_after_its_final_is_dropped() -> None:
    schedule = AsrScheduler(hangover_s=0.4, cost=measured(0.3))
    partial = offer("den")
    schedule.offer(partial)
    job = schedule.next_job(0.0)
    assert job is not None
    assert job.offer is partial
    final = offer("den", final=True)
    schedule.offer(final)  # arrives while the partial decodes
    assert not schedule.finished(job, now=0.3, seconds=0.3)  # stale: not published
    assert schedule.stats.stale == 1
    job2, published, _ = run(schedule, 0.3, 0.3)
    assert (job2.offer, published) == (final, True)


def test_a_partial_of_an_earlier_utterance_is_not_stale_for_a_new_final() -> None:
    schedule = AsrScheduler(cost=measured(0.1))
    schedule.offer(offer("den", utterance="u1"))
    job = schedule.next_job(0.0)
    assert job is not None
    schedule.offer(offer("den", final=True, utterance="u2"))
    assert schedule.finished(job, now=0.1, seconds=0.1)


def test_partial_cadence_keeps_within_the_budget() -> None:
    schedule = AsrScheduler(hangover_s=0.4, budget=0.5, cost=measured(0.3))
    schedule.offer(offer())
    _, published, now = run(schedule, 0.0, 0.3)
    assert published
    # Offered again at once: it waits c (1 - b) / b = 0.3 s after the last partial ended.
    schedule.offer(offer())
    assert schedule.next_job(now) is None
    assert schedule.ready_at() == pytest.approx(now + 0.3)
    assert schedule.next_job(now + 0.29) is None
    newest = offer(audio_s=2.4)
    schedule.offer(newest)  # replaces the waiting one
    job = schedule.next_job(now + 0.3)
    assert job is not None
    assert job.offer is newest
    # A stricter budget rests longer: b = 0.25 -> 3 c.
    strict = AsrScheduler(hangover_s=0.4, budget=0.25, cost=measured(0.3))
    strict.offer(offer())
    _, _, end = run(strict, 0.0, 0.3)
    strict.offer(offer())
    assert strict.ready_at() == pytest.approx(end + 0.9)


def test_busy_decodes_over_a_simulated_utterance_stay_within_budget() -> None:
    """Partials offered every 0.35 s for 10 s: partial decode time <= budget * elapsed."""
    schedule = AsrScheduler(hangover_s=0.4, budget=0.5, cost=measured(0.25, 0.02))
    busy, now, offered = 0.0, 0.0, 0.0
    while offered < 10.0:
        offered += 0.35
        now = max(now, offered)
        schedule.offer(offer(audio_s=offered))
        job = schedule.next_job(now)
        if job is not None:
            seconds = 0.25 + 0.02 * job.audio_s
            schedule.finished(job, now=now + seconds, seconds=seconds)
            busy += seconds
            now += seconds
    assert 0 < busy <= 0.5 * now + 0.5
    assert schedule.stats.decoded["partial"] < 10.0 / 0.35 / 2


def test_on_a_slow_machine_only_pause_partials_and_finals_run() -> None:
    # A decode takes 0.75 s > the 0.4 s hang-over: a mid-speech partial could delay the final.
    schedule = AsrScheduler(hangover_s=0.4, cost=measured(0.75))
    schedule.offer(offer())
    assert schedule.next_job(0.0) is None
    assert schedule.stats.skipped_slow == 1
    pause = offer(pause=True)
    schedule.offer(pause)
    job = schedule.next_job(0.1)
    assert job is not None
    assert (job.offer, job.kind) == (pause, "pause")  # the final will reuse it
    schedule.finished(job, now=0.85, seconds=0.75)
    final = offer(final=True)
    schedule.offer(final)
    job = schedule.next_job(0.85)
    assert job is not None
    assert job.offer is final


def test_a_stop_window_runs_first_while_speaking_even_with_partials_pending() -> None:
    schedule = AsrScheduler(hangover_s=0.4, stop_window_s=1.5, cost=measured(0.2))
    schedule.playback("den", started=True, key="r1/speaker")
    schedule.offer(offer("kitchen", 3.0))  # another site's partial
    schedule.offer(offer("hall", 3.0, final=True))  # and a final
    window = offer("den", 6.0)
    schedule.offer(window)
    job = schedule.next_job(0.0)
    assert job is not None
    assert (job.offer, job.kind, job.audio_s) == (window, "stop", 1.5)  # newest 1.5 s only
    schedule.finished(job, now=0.2, seconds=0.2)
    kinds = [run(schedule, 0.2 + 0.2 * i, 0.2)[0].kind for i in range(2)]
    assert kinds == ["final", "partial"]


def test_stop_windows_replace_each_other_and_full_partials_wait_out_playback() -> None:
    schedule = AsrScheduler(cost=measured(0.2))
    schedule.offer(offer("den"))  # before playback: a full partial
    schedule.playback("den", started=True, key="r1/speaker")
    schedule.offer(offer("den"))
    newest = offer("den", 2.5)
    schedule.offer(newest)
    job = schedule.next_job(0.0)
    assert job is not None
    assert job.offer is newest
    schedule.finished(job, now=0.2, seconds=0.2)
    # The full partial offered before playback began is useless now: only stops act.
    assert schedule.next_job(0.2) is None
    assert schedule.stats.skipped_speaking == 1
    # Two sinks play the response; speaking ends when both finished.
    schedule.playback("den", started=True, key="r1/network")
    schedule.playback("den", started=False, key="r1/speaker")
    assert schedule.speaking("den")
    schedule.playback("den", started=False, key="r1/network")
    assert not schedule.speaking("den")
    after = offer("den")
    schedule.offer(after)
    job = schedule.next_job(10.0)
    assert job is not None
    assert (job.offer, job.kind) == (after, "partial")


def test_pending_and_release() -> None:
    schedule = AsrScheduler(cost=measured(0.1))
    a, b = offer("den"), offer("hall", final=True)
    schedule.offer(a)
    schedule.offer(b)
    assert schedule.pending() == {a.id, b.id}
    job = schedule.next_job(0.0)
    assert job is not None
    schedule.release(job)  # e.g. the final reused a partial: no decode, no cost sample
    assert schedule.running is None
    assert schedule.cost.observed == 2
    assert schedule.pending() == {a.id}
    with pytest.raises(ValueError, match="running job"):
        schedule.finished(job, now=1.0, seconds=0.1)
    with pytest.raises(ValueError, match="budget"):
        AsrScheduler(budget=0)


def test_long_utterances_are_judged_by_the_cost_of_long_decodes() -> None:
    # Short decodes (10 s window) measured at 0.1 s; an utterance over short_s pads to 30 s.
    schedule = AsrScheduler(hangover_s=0.4, cost=measured(0.1), short_s=9.0)
    schedule.offer(offer(audio_s=5.0))
    job, published, _ = run(schedule, 0.0, 0.1)
    assert (job.kind, published) == ("partial", True)
    # 12 s of speech: the long model's prior (0.3 s + 0.05 s/s = 0.9 s) outlasts the hang-over.
    schedule.offer(offer(audio_s=12.0))
    assert schedule.next_job(10.0) is None
    assert schedule.stats.skipped_slow == 1
    # Its final runs regardless and teaches the long model; the short one is untouched.
    schedule.offer(offer(audio_s=12.5, final=True))
    job, published, _ = run(schedule, 10.0, 0.35)
    assert (job.kind, published) == ("final", True)
    assert schedule.long_cost.observed == 1
    assert schedule.cost.predict(5.0) == pytest.approx(0.1)
    assert schedule.cost_of(8.0) is schedule.cost
    assert schedule.cost_of(9.5) is schedule.long_cost
    # Without a short window every decode is one model.
    plain = AsrScheduler(short_s=0.0)
    assert plain.cost_of(20.0) is plain.cost
