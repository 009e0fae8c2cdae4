"""What the user asks to be remembered, and what they say of their own things. Pure."""

from __future__ import annotations

import re
from typing import Final

__all__ = ["ACTS", "REMEMBER", "SELF_FACT", "SOFT_NOTE"]

REMEMBER: Final = re.compile(
    r"^(?:please )?(?:remember|memori[sz]e|note|make a note|take a note|save a note|"
    r"jot down|write down|keep in mind|don't forget|do not forget|remind me that|"
    r"(?:don't|do not) let me forget|just so you know|so you know|for your information|fyi|"
    r"for the record|before i forget|while i think of it|note to self|"
    r"bear in mind|add a note|note down|keep a note)(?: (?:that|of|this|to remember))?"
    r"(?:[:,])?(?: (?P<what>.*))?$")
SELF_FACT: Final = re.compile(
    # What the user says of themselves: "my car is parked on level 3", "I'm allergic to nuts".
    r"^(?P<what>(?:my|our) (?!question|problem|issue|point|answer|request\b)[a-z' ]{1,40}? "
    r"(?:is|are|was|were) (?!(?:what|who|where|when|how|why|which|it|that|this|killing|"
    r"hurting|aching|sore|bad|terrible|awful|great|good|fine|ok|okay)\b).+|"
    r"i'm called .+|call me .+|i am called .+|my name's .+|"
    r"(?:my|our) [a-z' ]{1,40}?(?:'s| is| are) (?:called|named) .+|"
    r"i(?:'m| am) allergic to .+|i(?:'m| am) (?:a )?(?:vegetarian|vegan|diabetic|pregnant|"
    r"coeliac|celiac|lactose intolerant|gluten[- ]free)|i live (?:in|at|on) .+|"
    r"i was born (?:on|in) .+|i work (?:at|for|as) .+|i(?:'m| am) \d+(?: years old)?|"
    r"i parked (?:on|in|at) .+|"
    # a stored fact corrected ("actually the minibus has gone up to 34 pounds each")
    r"(?:the|our|my) [a-z' ]{1,40}? (?:has|have) (?:now )?(?:gone (?:up|down)|changed|moved|"
    r"increased|decreased|dropped|risen|been (?:moved|changed|put back|brought forward|"
    r"put up|cut)) (?:to|from|by) .+|"
    r"(?:the|our|my) [a-z' ]{1,40}? (?:changed|moved|went (?:up|down)|increased|decreased|"
    r"dropped|rose|was (?:moved|changed|put back|brought forward)) (?:to|from|by) .+|"
    # what a family member's or a pet's thing is called: "the kids' dentist is called dr okafor"
    r"(?:the )?(?:kids'?|kid's|children's|baby's|dog's|cat's|mum's|mom's|dad's|gran's|granny's|"
    r"nan's|grandma's|grandad's|grandpa's|wife's|husband's|son's|daughter's|partner's) "
    r"[a-z' ]{1,40}?(?:'s| is| are) (?:called|named) .+)$")
SOFT_NOTE: Final = re.compile(
    r"^(?:just so you know|so you know|for your information|fyi|for the record|before i forget|"
    r"while i think of it|note to self)\b")
"""A way into a note that may as well lead into a request ("before I forget, set a timer for
the washing"): what follows is done if it is a request, else kept."""
ACTS: Final = frozenset({"home_control", "timer_set", "alarm_set", "timer_cancel", "alarm_cancel"})
