"""Home-control commands, recognised by their verbs and devices. Pure.

"turn on the kitchen lights", "is the back door locked?", "bedroom lights off", "whack the
heating up": a verb (or a state after the device) and a device or room. The action it reads
(turn_on, turn_off, open, close, lock, unlock, toggle, set, query) goes with the intent; Home
Assistant's own agent, or an automation listening on MQTT, does the rest. A question about
what a paper says of a device ("is a broken door seal covered by the warranty?") is not one.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["home_action"]

_HOME_VERB: Final = re.compile(
    r"^(?:kill the (?:lights?|lamps?|tv|telly|music|fan|heating)\b|"
    r"(?:turn|switch|put|flick|flip|shut|power|whack|crank|bump|pop|stick|knock) "
    r"(?:on|off|up|down|the\b)|turn\b|switch\b|"
    r"toggle\b|"
    r"dim|brighten|lighten|darken|open|close|shut|lock|unlock|raise|lower|set the (?:heating|"
    r"thermostat|temperature|lights?|lamp|fan|blinds?|ac|air ?con)|set (?:the )?[a-z ]+ to "
    r"(?:\d+|(?:warm |cool |cold |soft )?white|daylight|red|orange|yellow|green|blue|purple|pink|"
    r"full brightness|half brightness|dim|bright)|activate|run the|start the (?:vacuum|hoover|"
    r"robot|dishwasher|washing machine)|"
    r"make it (?:warmer|cooler|brighter|darker)|(?:pause|resume|play|stop|skip|mute|unmute)"
    r"(?: the| some| my)? (?:music|tv|television|song|track|radio|telly|film|movie|playback|"
    r"speaker|playlist|podcast)|"
    r"(?:volume|turn it) (?:up|down)|(?:increase|decrease|raise|lower|reduce) (?:the )?"
    r"(?:volume|heating|temperature|brightness)|next (?:song|track)|boost the heating|"
    r"(?:is|are|did (?:i|we) (?:leave|lock)|have (?:i|we) (?:left|locked)) "
    r"(?:the |my |our |any )?[a-z ]*"
    r"(?:lights?|lamps?|door|doors|window|windows|garage|gate|heating|heater|oven|"
    r"fan|tv|blinds?|curtains?|lock|alarm system|thermostat)\b(?: [a-z ]+)?"
    r"(?: (?:on|off|open|closed|locked|unlocked|shut|running|still on|left on))?$|"
    r"what(?:'s| is) the temperature (?:in|of) the (?:living room|kitchen|bedroom|house|"
    r"lounge|office|bathroom|hall|nursery)|how warm is (?:it in )?the (?:living room|kitchen|"
    r"bedroom|house|lounge|office)|what is the thermostat set to|what's the thermostat set to"
    r"|what temperature (?:is|'s) (?:the |my |our )?[a-z ]{2,20} (?:set (?:to|at)|on)$)")
_DEVICE: Final = re.compile(
    r"\b(?:lights?|lamps?|lighting|bulbs?|switch|plug|socket|fan|heating|heater|thermostat|"
    r"temperature|radiator|boiler|ac|air ?con(?:dition(?:ing|ers?))?|blinds?|curtains?|shades?|"
    r"shutters?|awning|garage|door|doors|gate|window|windows|locks?|tv|telly|television|"
    r"music|speaker|radio|volume|song|track|playback|film|movie|vacuum|hoover|robot|"
    r"dishwasher|washing machine|kettle|coffee(?: machine)?|sprinkler|scene|mode|oven|"
    r"dehumidifier|humidifier|purifier|extractor|hob|fridge|freezer|dryer|tumble dryer|"
    r"immersion|towel rail|underfloor|fire|fireplace|hot water|water heater|ceiling fan|"
    r"geyser|christmas (?:tree|lights)|tree lights|fairy lights|skylights?|velux|roof window|"
    r"hot tub|pool pump|car charger|charger|printer|aircon|projector|soundbar|"
    r"porch|hallway|hall|landing|kitchen|bedroom|living room|lounge|dining room|study|office|"
    r"bathroom|nursery|garden|patio|driveway|conservatory|utility room|upstairs|downstairs|"
    r"attic|basement|alarm system|brightness|it|everything|all)\b")
_ACTIONS: Final = (
    (re.compile(r"^(?:is|are|did (?:i|we)|have (?:i|we)|what|how warm)\b"), "query"),
    (re.compile(r"\b(?:whack|crank|bump|pop|stick|knock) (?:the )?[a-z ]*(?:up|down)\b"),
     "set"),
    (re.compile(r"\b(?:turn|switch|put|flick|flip|power) on\b|\bon$|^activate|^run the|^start"
                r"|^play|^resume|^unmute|^(?:turn|switch|put|flick|flip|power|pop|stick) "
                r"(?:the |my |our |a |some )"
                r"[a-z ]{1,30}? on\b(?! (?:the|my|our|top)\b)|mode$"), "turn_on"),
    (re.compile(r"\b(?:turn|switch|put|flick|flip|power) off\b|\boff$|^pause|^stop|^mute|^kill"
                r"|^(?:turn|switch|flick|flip|power) (?:the |my |our )[a-z ]{1,30}? off\b"),
     "turn_off"),
    (re.compile(r"^(?:open|raise)\b"), "open"),
    (re.compile(r"^(?:close|shut|lower)\b(?! the (?:volume|temperature|heating))"), "close"),
    (re.compile(r"^unlock"), "unlock"),
    (re.compile(r"^toggle"), "toggle"),
    (re.compile(r"^lock"), "lock"),
)


_HOME_STATE: Final = re.compile(
    # The device first, its state after: "bedroom lights off", "lights on in the bedroom".
    r"^(?:the |all the |my )?(?:[a-z]+ ){0,3}(?:lights?|lamps?|fan|heating|heater|tv|telly|"
    r"television|radio|music|plug|socket|kettle|blinds?|curtains?|air ?con)"
    r"(?: (?:in|on) the [a-z ]+)? (?P<state>on|off|up|down|open|closed?|out)"
    r"(?: (?:in|on) (?:the )?[a-z ]+)?(?: (?:to|by) \d+(?: degrees?| percent| %)?)?"
    r"(?: low| a bit| a little| please)?$"
    r"|^make (?:the |my |it )?(?:[a-z]+ ){0,5}(?:brighter|dimmer|darker|warmer|cooler|louder|"
    r"quieter|lighter)(?: in (?:the )?[a-z ]+)?$")
_SCENE_OR_FEELING: Final = re.compile(
    # a scene by its name ("movie mode please") or a room's feeling said as a request ("it's
    # freezing in here"): the home system decides what to do with it
    r"^(?:[a-z]+ ){1,2}(?:mode|scene)(?: on)?$|^(?:[a-z]+ ){0,3}(?:activate|switch to|turn on|"
    r"start|enable|put on) (?:the )?(?:[a-z]+ ){1,2}(?:mode|scene)$"
    r"|^(?:it's|it is) (?:too |so |really |very |a bit |"
    r"far too |way too )?(?:cold|freezing|chilly|hot|warm|boiling|roasting|stuffy|dark|bright|"
    r"noisy|loud) (?:in here|in the (?:[a-z']+ )?(?:room|kitchen|lounge|bedroom|bathroom|hall|"
    r"office|study|nursery|conservatory|house|flat|attic|loft|basement|landing))$")
_STATE_ACTIONS: Final = {"on": "turn_on", "up": "set", "off": "turn_off", "out": "turn_off",
                         "down": "set",
                         "open": "open", "close": "close", "closed": "close"}


_PAPERS: Final = re.compile(r"\b(?:warranty|guarantee|covered|cover|policy|insurance|"
                           r"contract|manual|lease|letter|receipt|invoice|bill|schedule|booking|"
                           r"ticket|document|says?|said)\b")
"""A question about what a document says ("is a broken door seal covered by the warranty?")
is for the documents, not the home system."""


_ON_OFF_VERB: Final = re.compile(
    # "on the AC", "off the fan in the bedroom": "on" and "off" said as verbs (Indian English)
    r"^(?P<state>on|off) (?:the |all the |my |that |this )?(?!it\b|everything\b|all\b)"
    rf"(?:[a-z]+ ){{0,2}}(?P<device>{_DEVICE.pattern})(?: (?:in|on) (?:the )?[a-z ]{{1,30}})?$")
_APPLIANCE_STATE: Final = re.compile(
    # "is the washing machine finished yet?", "has the dishwasher done?": asked of the home
    r"^(?:is|are|has|have) (?:the |my |our )?(?:[a-z]+ )?(?:washing machine|washer|dishwasher|"
    r"dryer|tumble dryer|washer dryer|oven|kettle|vacuum|hoover|robot|dehumidifier|bread maker|"
    r"slow cooker|immersion|boiler|heating|hot water|car charger|charger|printer|sprinkler)s? "
    r"(?:done|finished|ready|stopped|boiled|hot|warm|charged|still (?:on|going|running|"
    r"working)|running|on|off|"
    r"working|(?:got )?(?:much|long) (?:left|to go))(?: yet| now| already)?$")


_ANY_DEVICE: Final = re.compile(
    # Switching or locking needs no device list: "turn on the heated blanket", "did I lock the
    # shed", "is the summer house locked" - the home system knows its devices, we do not.
    r"^(?:(?:turn|switch|power) (?:on|off) (?:the |my |our )?[a-z]"
    r"|(?:turn|switch|power|put|pop|stick) (?:the |my |our |a |some )[a-z ]{2,30} (?:on|off)$"
    r"|(?:did|have) (?:i|we) (?:lock(?:ed)?|unlock(?:ed)?) (?:the |my |our )?[a-z]"
    r"|(?:is|are) (?:the |my |our )[a-z ]{2,30} (?:locked|unlocked)$"
    r"|(?:lock|unlock) (?:the |my |our )[a-z])")


_TOPIC_FIRST: Final = re.compile(
    r"^(?:the|my|our) ([a-z ]{2,30}?),? (turn|switch|put) (?:it|them) (on|off)$")
"""The device said first, then what to do with it: "the geyser, turn it on"."""


def home_action(text: str) -> str | None:
    """The action of a home-control command (``text`` normalised), or None if it is not one."""
    text = _TOPIC_FIRST.sub(r"\2 \3 the \1", text)
    text = re.sub(r"^(?:can|could) (?:we|i|you) (?:have|get) (?=(?:the|all the|my) )", "", text)
    if _PAPERS.search(text):
        return None
    if _APPLIANCE_STATE.match(text):
        return "query"
    if _SCENE_OR_FEELING.match(text):
        return "turn_on" if text.endswith(("mode", "scene", "on")) else "set"
    verb = _ON_OFF_VERB.match(text)
    if verb is not None:
        return "turn_on" if verb.group("state") == "on" else "turn_off"
    state = _HOME_STATE.match(text)
    if state is not None and _DEVICE.search(text):
        found = state.group("state")
        return _STATE_ACTIONS[found] if found else "set"
    if not (_HOME_VERB.search(text) and _DEVICE.search(text)) and not _ANY_DEVICE.search(text):
        return None
    for pattern, name in _ACTIONS:
        if pattern.search(text):
            return name
    return "set"
