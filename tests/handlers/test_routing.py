"""The ask/status router on a real bus: an empty question never becomes a command."""

from __future__ import annotations

from nimbus.daemon.bus import Bus
from nimbus.daemon.events import Ask, Command, Error
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.routing import CommandRouter


async def test_a_blank_ask_is_an_error_and_a_real_one_becomes_a_command() -> None:
    bus = Bus()
    async with EventRecorder(bus) as recorder, running(CommandRouter(bus)):
        blank = Ask(site="desk", text=" \n\t ")
        await bus.publish(blank)
        error = await recorder.wait_for(Error)
        real = Ask(site="desk", text="What is my rent?", use_docs=False, conversation="c-1")
        await bus.publish(real)
        command = await recorder.wait_for(Command)
    assert isinstance(error, Error)
    assert (error.code, error.cause, error.site, error.stage) == (
        "empty_command", blank.id, "desk", "router")
    assert "text" in error.message
    assert isinstance(command, Command)
    assert (command.text, command.cause, command.use_docs, command.conversation) == (
        "What is my rent?", real.id, False, "c-1")
    assert len(recorder.of(Command)) == 1, "the blank ask made no command"
