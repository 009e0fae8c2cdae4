"""What only a live source knows: the weather, news, scores, prices, traffic, trains, opening
hours, TV tonight. Pure. The intent stage answers these honestly ("I can't know that …")
instead of letting a model guess; a question about the household's own things ("did the plumber
come", "our bins") is not one of them, however it is worded.
"""

from __future__ import annotations

import datetime
import re
from typing import Final

__all__ = ["asks_realtime"]

_REALTIME: Final = re.compile(
    r"\b(?:weather|forecast|rain(?:ing|y)?|snow(?:ing|y)?|sunny|umbrella|wind(?:y)?|humid|"
    r"temperature (?:outside|today|tomorrow|this (?:week|weekend))|how (?:hot|cold|warm) "
    r"(?:is it|will it be) (?:outside|today|tomorrow)|(?:hot|cold|warm) (?:outside|today|"
    r"tomorrow)|news|headlines?|latest|stocks|stock (?:market|price|prices|exchange)|"
    r"share price|shares|bitcoin|ethereum|crypto|"
    r"exchange rate(?! mechanism)|dollar|euro|pound (?:to|against)|(?:pound|dollar|euro|rupee|"
    r"yen|rand|"
    r"peso|franc|currency) (?:worth|doing|trading)|price of|cost of [a-z ]+ (?:today|now)|"
    r"score|scores|who won|who's winning|match|fixture|kick[- ]off|league|premier league|"
    r"(?:football|cricket)(?! (?:boots|kit|shirts?|socks|bag|practice|training|lessons?|club|"
    r"camp|coach|bat|ball|shoes|trainers|pads|gloves))|nba|nfl|traffic(?! (?:lights?|wardens?|"
    r"cones?|signals?|islands?|calming|laws?|rules?))|commute|roads?(?! tax)|delays?|"
    r"(?:flood|weather|storm|wind|snow|ice|heat|fog|rain|hurricane|tornado|typhoon|cyclone|"
    r"tsunami|bushfire|wildfire|fire|thunderstorm) (?:warnings?|watch(?:es)?)|"
    r"^is it (?:hot|cold|warm|chilly|wet|windy|raining|sunny|nice|freezing|icy|mild|humid)"
    r"(?: out(?: there)?| outside)?(?: today| now| this morning| tonight| at the moment)?"
    r"(?: ah| eh)?$|"
    r"trains? (?:running|on time|"
    r"delayed)|flights?|happened today|happening (?:today|now|in the world)|(?:open|closed)"
    r" (?:now|today|right now|tonight|tomorrow|on bank holidays?|"
    r"on (?:a )?(?:mon|tues|wednes|thurs|fri|satur|sun)days?)|opening (?:hours|times)|"
    r"lottery|lotto|euromillions|powerball|hosepipe ban|election|sunrise|sunset|air quality|"
    r"pollen|uv index|uv (?:like|today|now|level|rating|forecast)|tide|"
    r"(?:should|do|will) (?:i|we) (?:wear|need|put on) (?:sunscreen|sun ?cream|suncream|a hat)|"
    r"still open|on (?:tv|telly|television)|(?:tv|television) "
    r"(?:guide|listings|schedule)|ftse|dow jones|nasdaq|s ?& ?p|stock market|markets?|"
    r"did (?:the )?[a-z ]+ (?:win|lose|draw|score)|(?:football|match|game|race|election|"
    r"cricket|rugby|tennis) results?|last night's game|how did [a-z ]+ get on)\b"
    r"|^is [a-z' ]+ open(?: now| today| tonight| yet)?$"
    r"|\bdo (?:i|we) need (?:a |an |my |to (?:bring|take|wear) )?(?:coat|jacket|jumper|"
    r"sunscreen|sun cream|hat|gloves|scarf|wellies|brolly)\b|\bwrap up warm\b"
    r"|\bwhat time does (?:the )?(?:chemist|pharmacy|post office|bank|shop|supermarket|"
    r"tesco|library|tip|dump|pub|chippy|takeaway)(?:'s)? (?:open|close|shut)\b"
    r"|\bon (?:bbc|itv|channel (?:4|5|four|five)|netflix|sky)\b"
    r"|^what(?:'s| is) on (?!(?:the |my |our )?(?:calendar|agenda|list|menu|rota|plan|"
    r"schedule|cards)\b)"
    r"[a-z0-9 ]{1,20} (?:tonight|today|this evening|now|later)$"
    r"|\b(?:petrol|diesel|fuel|gas|gold|silver|oil|bitcoin) (?:price|prices|cost|costs|costing|"
    r"trading|going for|selling for|worth)\b|\bsurf\b"
    r"|\bhow much is [a-z ]+ (?:trading|selling|going|costing|fetching) (?:at|for)\b"
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
    r"|^(?:is it|will it be|is it going to be|are we (?:going to get|getting|in for)) (?:a |an |"
    r"some )?[a-z ]{0,20}?(?:scorcher|nice|hot|warm|cold|chilly|mild|wet|dry|cloudy|overcast|grey|"
    r"gray|sunny|bright|windy|stormy|freezing|icy|showers?|drizzle|sleet|hail)\b.*\b(?:today|"
    r"tonight|tomorrow|later|this (?:afternoon|evening|weekend|week|morning)|at the weekend|"
    r"on (?:mon|tues|wednes|thurs|fri|satur|sun)day)$"
    r"|\bwhat(?:'s| is) (?:playing|showing|on) (?:at|in) (?:the )?(?:cinema|pictures|movies|"
    r"theatre|theater|odeon|imax|multiplex)\b|\bcheapest (?:petrol|diesel|fuel|gas)\b"
    r"|^when does (?:the )?(?:chemist|pharmacy|post office|bank|shop|supermarket|tesco|asda|"
    r"sainsbury's|aldi|lidl|library|tip|dump|pub|chippy|takeaway|garden centre|pool|gym)(?:'s)? "
    r"(?:open|close|shut)\b")
_CURRENCY: Final = (r"(?:pounds?|quid|sterling|dollars?|bucks|euros?|rand|rupees?|yen|yuan|"
                   r"renminbi|pesos?|francs?|kronor|krona|kroner|krone|naira|shillings?|dirhams?|"
                   r"ringgit|rupiah|reais|real|baht|won|zloty|lira|cedis?|kwacha|pula|rubles?|"
                   r"roubles?|bitcoins?|us dollars?|aussie dollars?|canadian dollars?)")
_LIVE: Final = re.compile(
    # a currency against another, now: "how many rand to the pound", "what's the euro to the
    # dollar today" (not "how many pounds in a stone", not 1990's rate)
    rf"\b{_CURRENCY}\b(?: [a-z0-9]+){{0,3}}? {_CURRENCY}\b"
    rf"(?!.*\b(?:was|were|in (?:1[0-9]|20)\d\d|used to)\b)"
    # the power or the water going off: "is there load shedding tonight", "any power cuts?"
    r"|\b(?:load[- ]?shedding|power (?:cuts?|outages?|failures?)|blackouts?|outages?|"
    r"water (?:cuts?|outages?|shortages?)|electricity (?:cuts?|outages?))\b"
    r"(?!.*\b(?:mean|means|meaning|stand for|history|invented|cause|caused)\b)"
    r"|^(?:is|are|will) (?:the )?(?:power|electricity|water|lights|internet|broadband) "
    r"(?:off|out|down|back)(?: (?:again|today|tonight|now|in [a-z ]+))?$"
    # a road by its number or name, busy or clear: "is the 401 backed up", "traffic on the n2"
    r"|\b(?:traffic|congestion|roadworks|jams?|queues?|accidents?|delays?|hold[- ]?ups|"
    r"tailbacks?|closures?) (?:on|along|at) "
    r"(?:the )?[a-z0-9' -]{1,30}$"
    r"|^(?:is|are) (?:the )?(?:[a-z]{1,2}[- ]?\d{1,4}|\d{1,4}|[a-z]+ (?:road|street|avenue|"
    r"highway|freeway|expressway|bypass|bridge|tunnel|motorway|interstate)|highway|freeway|"
    r"motorway|bridge|tunnel|interstate|ring road|m\d+|n\d+|r\d+) (?:busy|clear|closed|jammed|"
    r"blocked|backed up|congested|gridlocked|moving|flowing|bad|chock[a-z]*|snarled(?: up)?|"
    r"open|shut|slow|standstill|at a standstill)(?: (?:today|tonight|now|right now|again|yet|"
    r"this (?:morning|afternoon|evening)|at the moment))*$"
    # any public transport, by its kind or its name: "when's the next luas into town"
    r"|\b(?:when(?:'s| is| does)|what time(?: is|'s| does)) the next [a-z0-9]+(?: [a-z0-9]+)? "
    r"(?:to|into|from|towards|for|going|leave|leaves|come|comes|arrive|arrives|due)\b"
    r"|^(?:is|are) (?:the )?(?:[a-z0-9]+ ){0,2}(?:bus|buses|trains?|tube|trams?|metro|subway|"
    r"underground|overground|ferry|ferries|luas|dart|light rail|monorail|coach|coaches|shuttle|"
    r"flights?|line|rail|railway|services?|boats?|planes?) (?:running|on time|late|delayed|"
    r"cancelled|canceled|on strike|suspended|working|operating|disrupted)\b"
    r"|^(?:is|are) (?:the )?[a-z0-9' ]{1,25} (?:running|operating) (?:today|tonight|now|right now|"
    r"this (?:morning|afternoon|evening|weekend)|at the moment|on time)$")
"""Live information named by its form rather than its word: a currency pair, a road's state,
a transport service, the power going off."""
_BUSINESS_HOURS: Final = re.compile(
    r"^(?:what time|when) (?:does|do|will|is|are|'s) (?:the )?(?P<place>[a-z0-9'&.-]+(?: "
    r"[a-z0-9'&.-]+){0,3}) (?:open|close|shut|opening|closing|shutting)(?: up)?(?: (?:today|"
    r"tonight|tomorrow|on [a-z]+|this [a-z]+|at the weekend|on bank holidays?|now))?$"
    r"|^(?:is|are) (?P<place2>[a-z0-9'&.-]+(?: [a-z0-9'&.-]+){0,3}) (?:open|closed|shut)(?: "
    r"(?:today|tonight|tomorrow|on [a-z']+(?: day| eve)?|this [a-z]+|at the weekend|late|now|"
    r"yet|still|over (?:christmas|easter|the holidays)|(?:till|until|past) [a-z0-9: ]{1,12}?))*$")
_SHOP: Final = re.compile(
    r"\b(?:shops?|supermarket|chemist|pharmacy|post office|bank|library|pub|chippy|takeaway|"
    r"restaurant|cafe|caf\u00e9|bakery|butcher'?s?|market|mall|shopping centre|garden centre|"
    r"store|stores|petrol station|garage|museum|gallery|zoo|cinema|"
    r"tip|dump|recycling centre|bottle shop|off licence|offy|newsagents?|corner shop|spaza|"
    r"surgery|walk-in centre|bar|diner|launderette|laundromat"
    # chains people name as places to go: a recogniser writes them in lower case
    r"|tesco|asda|sainsbury'?s|aldi|lidl|morrisons|waitrose|co-?op|boots|argos|ikea|b ?& ?q|"
    r"costco|walmart|target|kroger|woolworths|coles|countdown|pick n pay|checkers|spar|"
    r"mcdonald'?s|starbucks|greggs|primark|currys|homebase|wickes|screwfix|superdrug|m ?& ?s|"
    r"marks and spencer|john lewis|kmart|bunnings|safeway|cvs|walgreens|home depot|dunnes)\b")
_NOT_A_BUSINESS: Final = re.compile(
    r"\b(?:school|nursery|class|lesson|club|trip|party|meeting|office|work|consultation|"
    r"application|window|exhibition|show|event|appointment|registration|sale|offer|door|gate|"
    r"mum|dad|gran|nan|grandad|grandma|grandpa|auntie|uncle)\b|^(?:my|our|your)\b")
"""A household's own thing or an event whose times are in its papers, not a business (a gym
or a pool the household belongs to is asked of its papers too: "what time does the gym shut on
a Sunday?")."""


def asks_business_hours(said: str, original: str = "") -> bool:
    """Is ``said`` (normalised) a business's opening or closing time ("what time does Boots
    shut today?")? A business is a kind of shop ("the chemist"), a brand said as a possessive
    ("sainsbury's") or a name the original text capitalises ("Boots")."""
    found = _BUSINESS_HOURS.match(said)
    if found is None:
        return False
    place = found.group("place") or found.group("place2") or ""
    if _NOT_A_BUSINESS.search(place):
        return False
    if _SHOP.search(place) or re.search(r"[a-z]'s$", place):
        return True
    named = {w.lower() for w in re.findall(r"(?<![.?!]\s)(?<!^)\b[A-Z][\w'&.-]*",
                                           original.strip())}
    return bool(named & set(place.split()))


_PERSONAL_WORLD: Final = re.compile(
    r"\b(?:my|our|we|the school|did the(?! [a-z ]+ (?:do|win|lose|draw|close|open|finish|get "
    r"on)\b)|[a-z]+'s (?:flight|train|bus|plane|coach|ferry)|"
    r"in the (?:letter|document|file|email))\b")
"""A question about the household's own things ("did the plumber come"), not the world's."""
_OUR_WEATHER: Final = re.compile(
    r"\bare we (?:getting|going to get|due|expecting|in for) (?:any |a |some )?(?:rain|snow|"
    r"frost|storm|sun|sunshine|thunder|wind|fog|heatwave)")
"""The weather where we are is the world's, though "we" says it."""


_OWN_JOURNEY: Final = re.compile(
    r"^(?:is|are|will) (?:my|our) (?:[a-z0-9:]+ ){0,2}(?:train|bus|flight|plane|tram|ferry|coach)s?"
    r"(?: (?:to|from|into|at) [a-z0-9 ]{1,30}?)? (?:on time|running(?: late| on time)?|late|"
    r"delayed|cancelled|canceled|still (?:on|running))(?: today| tonight| now| right now)?$")
_ABOUT: Final = re.compile(r"^(?:why|what is|what's|what are|what does|how does|how do|who|"
                           r"explain|tell me about)\b(?!.*\b(?:today|tonight|now|this (?:week|"
                           r"morning|evening|afternoon)|tomorrow|stage|schedule|worth)\b)")
"""A question about the thing itself ("why do we have load shedding?") is general knowledge."""
_OUR_AREA: Final = re.compile(
    r"\b(?:in|around|near|round) (?:our|my) (?:area|street|road|town|city|suburb|neighbourhood|"
    r"neighborhood|village|postcode|part of town)\b|\bnear (?:us|me)\b|\bare we (?:on|in|at)\b"
    r"|\b(?:do|will|have|are) we (?:have|get|getting|got|going to (?:have|get))\b")
"""The area we live in is the world's: "a power cut in our area", "what stage are we on"."""


_NOW_IN_THE_WORLD: Final = re.compile(
    r"^(?:what(?:'s| is| are| were| was)|who(?:'s| is| was| got| has| won)?|is there|are there|"
    r"has|have|did|how (?:much|many|high|low|bad|busy))\b.*\b(?:right now|at the moment|"
    r"currently|as we speak|last night|so far (?:today|this (?:week|season|year)))$")
"""A question about the world's state now or last night ("what were the lotto numbers last
night", "is there a hosepipe ban at the moment"): only a live source knows it."""
_ONES_OWN: Final = re.compile(r"\b(?:i|me|my|we|us|our|you|your|the (?:kids?|children|baby|"
                              r"dog|cat|family))\b")
_TIMELESS: Final = re.compile(
    r"^(?:how many (?:players|people|men|women|a side|halves|quarters|periods|innings|overs|"
    r"holes|sets|balls|squares|pieces)|(?:in )?(?:which|what) sport|what (?:is|'s) (?:a|an) |"
    r"how long (?:is|does|do) (?:a|an) |why (?:is|are|do|does)|who invented|what (?:does|do) "
    r"[a-z ]+ (?:mean|stand for)\b|"
    r"when (?:was|were) [a-z ]+ invented|who won the (?:first|very first|inaugural)\b"
    r"|who (?:wrote|painted|composed|directed|sang|invented|discovered|designed|built)\b)"
    r"|\b(?:usually|normally|typically|on average|in general|every year)$")
_LIVE_TIME: Final = re.compile(r"\b(?:today|tonight|now|last night|yesterday|this (?:week|"
                               r"weekend|season|year|morning|afternoon|evening)|latest|currently|"
                               r"at the moment|so far)\b")
"""How a game is played is no live fact: "how many players are on a football team", "in which
sport do you score a try" (unless it asks about now: "how many players are injured today")."""


_PRICE_NOW: Final = re.compile(
    r"^how much (?:is|are|does|do|would|will) (?:a |an |the |one )?[a-z' ]{2,30}? (?:cost |be )?"
    r"(?:now|today|these days|at the moment|nowadays|right now|this week)$")
"""What a thing costs in the shops now ("how much is a pint of milk now")."""


def asks_realtime(said: str, original: str = "") -> bool:
    """Does ``said`` (normalised; ``original``: as written, for names) ask for something only a
    live source knows?"""
    if _TIMELESS.search(said) and not _LIVE_TIME.search(said):
        return False
    years = [int(y) for y in re.findall(r"\b(?:in|of|since|from|back in) ((?:1[0-9]|20)\d\d)\b",
                                        said)]
    if years and max(years) < datetime.date.today().year:
        return False  # "who won the world cup in 1966": history, not a live score
    if _NOW_IN_THE_WORLD.search(said) and not _ONES_OWN.search(said):
        return True
    if _OWN_JOURNEY.search(said):
        return True  # "is my train to Glasgow on time?": the user's, but only live news knows
    if _LIVE.search(said) and not _ABOUT.search(said):
        mine = _PERSONAL_WORLD.search(_OUR_AREA.sub(" ", said))
        return mine is None
    if asks_business_hours(said, original):
        return True
    if _PRICE_NOW.search(said) and not _PERSONAL_WORLD.search(said):
        return True
    return bool(_REALTIME.search(said)) and (not _PERSONAL_WORLD.search(said)
                                             or bool(_OUR_WEATHER.search(said)))
