"""Example sentences for the intents that may be recognised by meaning (``semantic.py``). Data.

Each intent the semantic stage may claim has sentences that mean it, in several registers
(plain, polite, chatty, a child's, a recogniser's lowercase); ``OTHER`` holds sentences that
look like them but mean something else: questions about the world, the household's own papers
and plans, home control, timers and notes. A command is claimed only when it is nearer to an
intent's sentences than to any of ``OTHER``'s by a margin, so ``OTHER`` is what keeps "what time
does the chemist close" from being taken for "what time is it".
"""

from __future__ import annotations

from typing import Final

__all__ = ["OTHER", "PROTOTYPES"]

PROTOTYPES: Final[dict[str, tuple[str, ...]]] = {
    "time": (
        "what time is it", "what's the time", "tell me the time please", "have you got the time",
        "what time is it right now", "do you know the time", "what's the time at the moment",
        "what time do you have", "could you tell me what time it is", "what o'clock is it",
        "is it late", "how late is it now", "current time please", "what is the time now",
        "i need to know the time", "time check", "got the time on you",
        "what does the clock say", "is it morning or afternoon now",
    ),
    "date": (
        "what's the date", "what is today's date", "what's the date today", "tell me the date",
        "which date is it today", "what date is it", "today's date please", "what month is it",
        "what year is it", "what's the date tomorrow", "what was the date yesterday",
        "what's the full date today", "can you give me the date", "i need today's date",
        "what number is it today", "what date will it be tomorrow",
    ),
    "weekday": (
        "what day is it", "what day is it today", "which day of the week is it", "is it friday",
        "what day of the week is today", "what day was yesterday", "what day is tomorrow",
        "is today a weekday", "is it the weekend yet", "which day are we on",
        "what day of the week will it be tomorrow", "i've lost track of what day it is",
        "is it monday today",
    ),
    "greeting": (
        "hello", "hi there", "good morning", "hey", "good evening", "hiya", "morning nimbus",
        "hello again", "hi how do you do", "greetings", "good afternoon to you", "howdy",
    ),
    "how_are_you": (
        "how are you", "how are you doing", "how's it going", "are you ok", "how are you today",
        "how have you been", "you alright", "how are things", "how are you feeling",
        "how's your day been", "everything good with you", "how are you getting on",
        "are you well",
    ),
    "thanks": (
        "thank you", "thanks a lot", "cheers", "thank you very much", "that's great thanks",
        "thanks that was helpful", "much appreciated", "brilliant thank you", "ta", "thanks mate",
        "that's really kind thank you", "i appreciate it", "thanks for your help",
        "lovely thanks", "you're a star",
    ),
    "goodbye": (
        "goodbye", "bye", "see you later", "good night", "bye for now", "that's all for now bye",
        "i'm off now", "talk to you later", "see you tomorrow", "night night", "i'm going to bed",
        "catch you later", "that's everything bye", "farewell",
    ),
    "capabilities": (
        "what can you do", "what are you able to do", "how can you help me",
        "what kind of things can you do", "what can i ask you", "what are your skills",
        "what are you for", "what do you do", "help", "what can you help me with",
        "what are you capable of", "tell me what you can do", "what sort of questions can i ask",
    ),
    "repeat": (
        "repeat that", "say that again", "what did you say", "sorry i didn't catch that",
        "can you repeat that please", "pardon", "come again", "one more time please",
        "i missed that", "could you say it again", "what was that", "say again please",
        "i didn't hear you",
    ),
    "never_mind": (
        "never mind", "forget it", "cancel that", "it doesn't matter", "don't worry about it",
        "ignore that", "nothing", "no thanks", "stop talking", "oops wrong person",
        "sorry i wasn't talking to you", "forget i asked", "no that's fine",
    ),
    "realtime": (
        "what's the weather like today", "is it going to rain tomorrow", "what's the forecast",
        "will it be sunny at the weekend", "how cold is it outside", "what's the temperature "
        "outside", "what's in the news today", "what are the headlines", "who won the match "
        "last night", "what was the score in the football", "how much is petrol today",
        "what's the price of gold", "how are the stocks doing", "what's the exchange rate for "
        "the euro", "is there traffic on the motorway", "is my train on time",
        "when's the next bus", "what's on tv tonight", "is the supermarket open now",
        "how much is bitcoin", "what happened today", "will i need an umbrella",
        "what's the pollen count", "did the team win yesterday", "is it windy out",
        "what's the wind like", "any delays on the trains",
    ),
}
"""Intents the semantic stage may claim: none of them acts on the home, keeps anything or
needs a slot read from the words (a timer's length, a note), so a wrong claim can only
mis-answer, never do something."""

OTHER: Final[tuple[str, ...]] = (
    # the world: general knowledge, with time-, day- and date-like words
    "what time zone is new york in", "what year did the war end", "what day did the titanic "
    "sink", "what date is christmas", "when was the queen born", "how many days are in a year",
    "what is the capital of spain", "who wrote the book", "what's the biggest animal",
    "who painted the picture", "how many hours are in a day", "what's the longest river",
    "what is the speed of light", "how far is the moon", "when did the first man walk on the "
    "moon", "what is the time in tokyo", "how do you make pancakes", "what does photosynthesis "
    "mean", "how old is the earth", "how many legs does a spider have", "what is a leap year",
    "what language do they speak in brazil", "why is the sky blue", "what's nine times seven",
    "how do you spell necessary", "what do cows eat", "who invented the telephone",
    "what's the population of london", "tell me a joke", "tell me a story",
    "what is the meaning of life", "how do magnets work", "who is the king of england",
    # the household's own world: papers, plans, people
    "what time does the school trip leave", "what day is the bin collection", "when is my "
    "dentist appointment", "what date is the rent due", "when does the car insurance renew",
    "what time is the party on saturday", "what day is swimming", "when is the plumber "
    "coming", "what's the wifi password", "when does my passport expire", "what time is "
    "dinner", "what's my name", "where did i put my keys", "what did the letter from the school "
    "say", "how much was the electricity bill", "when is mum's birthday", "what's our "
    "address", "what time does the pharmacy close", "what time does the shop open on sunday",
    "when do the clocks go back", "what time is kick off on saturday", "what day is the "
    "parents evening", "what is the date of the wedding", "how much is the school trip",
    "what's the doctor's phone number", "which day does the cleaner come",
    # doing things: home, timers, alarms, notes
    "turn on the kitchen lights", "switch off the tv", "set a timer for ten minutes",
    "how long is left on the timer", "cancel the alarm", "wake me up at seven",
    "set an alarm for six thirty", "remember that the boiler was serviced in may",
    "my name is sam", "remind me to call mum", "turn the heating up", "is the back door "
    "locked", "play some music", "open the blinds", "what timers do i have",
    "stop the timer", "read me my notes", "add milk to the shopping list",
    # asking it to talk about something
    "what do you think about football", "do you like music", "are you a robot",
    "who made you", "what's your favourite colour", "can you sing", "say something funny",
)
