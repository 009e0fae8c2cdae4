"""The bargein benchmark's labelled set: user voices, answers and answers that say the phrases,
per split (written before tuning; see bench_bargein.py)."""

from __future__ import annotations

import numpy as np

# (espeak voice, words per minute)
VOICES = {
    "dev": (("en-us", 150), ("en-gb+m3", 165), ("en-us+f3", 140)),
    "test": (("en-gb-scotland+m3", 160), ("en-029+f2", 175), ("en-us+m4", 155)),
    "holdout": (("en-gb-x-rp+f4", 150), ("en-us-nyc+m2", 170), ("en-gb-x-gbcwmd+m6", 145)),
    "holdout4": (("en-gb-x-gbclan+f1", 155), ("en-gb-scotland+f5", 145), ("en-029+m7", 165)),
    "holdout5": (("en-us-nyc+f1", 160), ("en-gb-x-gbcwmd+f4", 150), ("en-gb-x-gbclan+m4", 170)),
    "holdout6": (("en-us+f2", 150), ("en-gb-x-rp+m5", 165), ("en-029+f4", 145)),
    "holdout7": (("en-gb-scotland+m2", 155), ("en-us-nyc+f5", 145), ("en-gb-x-gbclan+m6", 170)),
}
ANSWERS = {
    "dev": (
        "The museum opens at nine and closes at five. The guided tour starts every hour on "
        "the hour, and the cafe on the ground floor serves lunch until three.",
        "Tomorrow will be cloudy in the morning with a light breeze from the west. In the "
        "afternoon the sun comes out and the temperature rises to about eighteen degrees.",
        "To bake the bread, mix the flour, water, salt and yeast, and knead the dough for ten "
        "minutes. Let it rise for an hour, shape it, and bake it for forty minutes.",
        "The train to the city leaves from platform four every twenty minutes. The journey "
        "takes about half an hour, and a return ticket costs eleven dollars.",
    ),
    "test": (
        "Your calendar shows a meeting with the design team at ten, lunch with Sarah at "
        "noon, and a dentist appointment at four thirty this afternoon.",
        "The library has three copies of that book. Two of them are on loan until next week, "
        "and the third one is on the shelf in the reading room upstairs.",
        "The recipe needs two eggs, a cup of sugar and a cup of milk. Whisk them together, "
        "fold in the flour slowly, and pour the batter into a buttered tin.",
        "The garden centre on the high street is open every day except Monday. It sells "
        "plants, seeds, tools and compost, and it delivers for free on large orders.",
    ),
    "holdout": (
        "The swimming pool is open from seven in the morning until nine at night. Lessons for "
        "children are on Saturday mornings, and the sauna costs four dollars extra.",
        "Your parcel left the depot this morning and should arrive before six. The driver "
        "will leave it with a neighbour if nobody answers the door.",
        "To repot the plant, water it the day before, loosen the roots gently, and move it "
        "into a pot one size larger with fresh soil and a little sand.",
        "The concert starts at eight, and the doors open half an hour earlier. Parking is "
        "free after six, and the hall is a short walk from the station.",
    ),
    "holdout4": (
        "The dentist can see you on Thursday at a quarter past two. Please bring your insurance "
        "card, and arrive ten minutes early to fill in the form at the desk.",
        "The hardware shop sells paint in small and large tins. The white paint is on offer "
        "this week, and brushes and rollers are in the aisle next to the door.",
        "To make the soup, fry an onion in butter, add the chopped carrots and a litre of "
        "stock, and let it simmer for twenty minutes before you blend it.",
        "The ferry to the island leaves the harbour at half past ten. The crossing takes an "
        "hour and a quarter, and bicycles travel free on weekday mornings.",
    ),
    "holdout5": (
        "The bakery on the corner sells rye bread on Tuesdays and Fridays. It opens at half "
        "past six, and the last loaves are usually gone by eleven.",
        "Your flight boards at gate twelve at ten past four. The bags go on the belt by the "
        "window, and the lounge is on the upper floor past security.",
        "To clean the oven, spread a paste of baking soda and water inside, leave it overnight, "
        "and wipe it off with a damp cloth and a little vinegar.",
        "The bike repair course runs on three Wednesday evenings in March. It costs thirty "
        "dollars, and you should bring your own bike and a pair of gloves.",
    ),
    "holdout6": (
        "The recycling van comes on Thursday mornings before eight. Put the glass in the green "
        "box, the paper in the blue bag, and keep the lids on the bins.",
        "Your prescription is ready at the chemist on Mill Lane. They close at half past five "
        "today, and you will need to bring the card with your name on it.",
        "To plant the tulip bulbs, dig holes about three times as deep as the bulbs, set them "
        "pointy end up, cover them with soil, and water them once.",
        "The school play is on Friday at seven in the main hall. Tickets cost four dollars at "
        "the door, and there are cakes and drinks for sale in the interval.",
    ),
    "holdout7": (
        "The plumber can come on Monday between one and three. He will need to turn the water "
        "off for an hour, so fill a kettle and a jug before he arrives.",
        "The market in the square sells fish on Wednesdays and cheese on Saturdays. Most stalls "
        "take cards now, but the flower stall still only takes cash.",
        "To wash the wool jumper, use cold water and a little soap, press it gently without "
        "wringing, and dry it flat on a towel away from the radiator.",
        "The night bus leaves the station every forty minutes after midnight. The last one goes "
        "at half past three, and you can pay the driver with a card.",
    ),
}
_PHRASE_SENTENCES = {
    "dev": (
        "Yonder lies the old mill, about two miles past the bridge.",
        "The song says the river runs yonder, past the hills and far away.",
        "Nimbus is the name of a cloud that brings steady rain.",
        "You can ask Nimbus to set a timer at any time.",
        "Over yonder hill there is a small village with a bakery.",
        "The poem begins with the words: yonder, where the sun goes down.",
    ),
    "test": (
        "Look yonder, and you will see the lighthouse on the cliff.",
        "Nimbus clouds are dark and grey, and they usually bring rain.",
        "The old sailor pointed yonder and said the storm was coming.",
        "My name is Nimbus, and I can read your documents to you.",
        "Yonder stands the castle where the king once lived.",
        "Nimbus can remind you of your appointments every morning.",
    ),
    "holdout": (
        "Yonder, behind the barn, the farmer keeps his bees.",
        "Nimbus can tell you more about the weather tomorrow.",
        "The shepherd walked yonder over the moor to find his sheep.",
        "Ask Nimbus to read the shopping list aloud.",
        "Far yonder the mountains are covered in snow all year.",
        "Nimbus, the grey rain cloud, drifted over the town.",
    ),
    "holdout4": (
        "Yonder, past the orchard, the path climbs to the old chapel.",
        "Nimbus found two notes about the boiler in your documents.",
        "The children ran yonder to the pond to feed the ducks.",
        "Nimbus will keep the shopping list until you clear it.",
        "The map shows a well yonder, just beyond the stone wall.",
        "A nimbus of light surrounds the saint in the painting.",
    ),
    "holdout5": (
        "The fox slipped yonder under the hedge before the dogs woke up.",
        "Nimbus has added milk and eggs to the shopping list.",
        "Yonder, on the far bank, the herons wait for fish.",
        "Nimbus keeps your reminders on this device only.",
        "She waved to the boat yonder as it left the quay.",
        "Nimbus heard the timer and turned the oven light off.",
    ),
    "holdout6": (
        "The geese flew yonder over the marsh as the light faded.",
        "Nimbus can read the recipe to you one step at a time.",
        "Yonder, at the end of the lane, stands a red post box.",
        "Nimbus saved the note about the window cleaner for you.",
        "The old man pointed yonder, to the tower on the hill.",
        "Nimbus will ring the timer in the kitchen when it ends.",
    ),
    "holdout7": (
        "The lambs ran yonder across the field when the gate opened.",
        "Nimbus has put the dentist on the calendar for Friday.",
        "Yonder, by the river, the willows bend over the water.",
        "Nimbus turned the heating down at ten as you asked.",
        "The captain looked yonder, to where the coast should be.",
        "Nimbus can tell you when the bins go out each week.",
    ),
}
SPLIT_SEEDS = {"dev": (2025, 7, 0), "test": (2026, 11, 0), "holdout": (2127, 13, 100),
               "holdout4": (2404, 19, 400), "holdout5": (2505, 23, 500),
               "holdout6": (2606, 29, 600), "holdout7": (2707, 31, 700)}
"""Per split: the trial builder's seed, the self answers' seed, the first room seed."""
_FILLERS = (
    "It is a quiet place, and most visitors come in the summer.",
    "The weather there changes quickly, so bring a warm coat.",
    "Many people find it easier to remember with a short rhyme.",
    "There is more about it in the documents you gave me.",
    "The nearest bus stop is a five minute walk from there.",
)


def self_answers(split: str, count: int) -> list[str]:
    """``count`` answers that say the phrases: a phrase sentence with one or two fillers."""
    phrases, rng = _PHRASE_SENTENCES[split], np.random.default_rng(SPLIT_SEEDS[split][1])
    answers = []
    for i in range(count):
        filler = _FILLERS[i % len(_FILLERS)]
        sentence = phrases[i % len(phrases)]
        other = phrases[(i + 1 + i // len(phrases)) % len(phrases)]
        parts = [filler, sentence] if rng.uniform() < 0.5 else [sentence, filler]
        if i % 3 == 0:
            parts.append(other)
        answers.append(" ".join(parts))
    return answers
