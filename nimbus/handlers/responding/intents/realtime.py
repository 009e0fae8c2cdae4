"""What only a live source knows: the weather, news, scores, prices, traffic, trains, opening
hours, TV tonight. Pure. The intent stage answers these honestly ("I can't know that …")
instead of letting a model guess; a question about the household's own things ("did the plumber
come", "our bins") is not one of them, however it is worded.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["asks_realtime"]

_REALTIME: Final = re.compile(
    r"\b(?:weather|forecast|rain(?:ing|y)?|snow(?:ing|y)?|sunny|umbrella|wind(?:y)?|humid|"
    r"temperature (?:outside|today|tomorrow|this (?:week|weekend))|how (?:hot|cold|warm) "
    r"(?:is it|will it be) (?:outside|today|tomorrow)|(?:hot|cold|warm) (?:outside|today|"
    r"tomorrow)|news|headlines?|latest|stock|share price|shares|bitcoin|ethereum|crypto|"
    r"exchange rate|dollar|euro|pound (?:to|against)|(?:pound|dollar|euro|rupee|yen|rand|"
    r"peso|franc|currency) (?:worth|doing|trading)|price of|cost of [a-z ]+ (?:today|now)|"
    r"score|scores|who won|who's winning|match|fixture|kick[- ]off|league|premier league|"
    r"(?:football|cricket)(?! (?:boots|kit|shirts?|socks|bag|practice|training|lessons?|club|"
    r"camp|coach|bat|ball|shoes|trainers|pads|gloves))|nba|nfl|traffic|commute|roads?|delays?|"
    r"trains? (?:running|on time|"
    r"delayed)|flights?|happened today|happening (?:today|now|in the world)|(?:open|closed)"
    r" (?:now|today|right now|tonight|tomorrow|on bank holidays?|"
    r"on (?:a )?(?:mon|tues|wednes|thurs|fri|satur|sun)days?)|opening (?:hours|times)|"
    r"lottery|election|sunrise|sunset|air quality|pollen|uv index|tide|how many (?:dollars|"
    r"euros|pounds|yen|rupees)|still open|on (?:tv|telly|television)|(?:tv|television) "
    r"(?:guide|listings|schedule)|ftse|dow jones|nasdaq|s ?& ?p|stock market|markets?|"
    r"did (?:the )?[a-z ]+ (?:win|lose|draw|score)|(?:football|match|game|race|election|"
    r"cricket|rugby|tennis) results?|last night's game|how did [a-z ]+ get on)\b"
    r"|^is [a-z' ]+ open(?: now| today| tonight| yet)?$"
    r"|\bdo (?:i|we) need (?:a |an |my |to (?:bring|take|wear) )?(?:coat|jacket|jumper|"
    r"sunscreen|sun cream|hat|gloves|scarf|wellies|brolly)\b|\bwrap up warm\b"
    r"|\bwhat time does (?:the )?(?:chemist|pharmacy|post office|bank|shop|supermarket|"
    r"tesco|library|tip|dump|pub|chippy|takeaway)(?:'s)? (?:open|close|shut)\b"
    r"|\bon (?:bbc|itv|channel (?:4|5|four|five)|netflix|sky)\b"
    r"|\b(?:petrol|diesel|fuel|gas) (?:price|prices|cost)\b|\bsurf\b"
    r"|\bhow much is (?:(?:a|one) (?:litre|liter|gallon) of )?(?:petrol|diesel|fuel)\b"
    r"|\b(?:is|are) (?:the )?(?:m\d+|a\d+|motorway|ring road|roads?) (?:busy|clear|closed|jammed|"
    r"blocked)\b|\bstorm|\bfrost|\bthunder|\bheatwave|\bfog(?:gy)?\b"
    r"|\b(?:is|are) the [a-z0-9: ]+ (?:train|bus|tube|flight)s? (?:running|on time|late|delayed|"
    r"cancelled)|\b(?:train|bus|tube|flight) (?:running|on time|late|delayed|cancelled)\b"
    r"|\b\d{1,2}[ :]?\d{2} (?:to|from) [a-z ]+ (?:running|on time|late|delayed|cancelled)\b"
    r"|\bhow (?:hot|cold|warm|windy|wet) (?:is it|will it|is it going to|it's going to)\b"
    r"|\b(?:train|bus|tube|tram|ferry|flight)s?\b.*\b(?:on time|running|late|delayed|cancelled)\b"
    r"|\b(?:when(?:'s| is)|what time is) the next (?:bus|train|tube|tram|ferry|flight)\b"
    r"|\bhow did (?:the )?[a-z ]+ do\b|\b(?:sensex|nifty|nikkei|hang seng|dax)\b"
    r"|\b(?:is|are) (?:the )?[a-z ]+ (?:up|down) today\b"
    r"|^when does (?:the )?(?:chemist|pharmacy|post office|bank|shop|supermarket|tesco|asda|"
    r"sainsbury's|aldi|lidl|library|tip|dump|pub|chippy|takeaway|garden centre|pool|gym)(?:'s)? "
    r"(?:open|close|shut)\b")
_PERSONAL_WORLD: Final = re.compile(
    r"\b(?:my|our|we|the school|did the(?! [a-z ]+ (?:do|win|lose|draw|close|open|finish)\b)|"
    r"in the (?:letter|document|file|email))\b")
"""A question about the household's own things ("did the plumber come"), not the world's."""
_OUR_WEATHER: Final = re.compile(
    r"\bare we (?:getting|going to get|due|expecting|in for) (?:any |a |some )?(?:rain|snow|"
    r"frost|storm|sun|sunshine|thunder|wind|fog|heatwave)")
"""The weather where we are is the world's, though "we" says it."""


def asks_realtime(said: str) -> bool:
    """Does ``said`` (normalised) ask for something only a live source knows?"""
    return bool(_REALTIME.search(said)) and (not _PERSONAL_WORLD.search(said)
                                             or bool(_OUR_WEATHER.search(said)))
