"""The holdout6 set's texts of the scans, photos and small notes (split from `formats_holdout6`
to keep each module short): a fishing permit, a tree surgeon's quote with its signed acceptance
form, a car boot sale poster, a cake order slip, a recycling centre van permit, a family
whiteboard, fish tank notes, a school run car share and an escape room booking page.
"""

from __future__ import annotations

from typing import Any, Final

FISHING_PERMIT: Final = [
    "Ravensholme Angling Association",
    "Season ticket 2026 to 2027",
    "Member: Mr Aurelio Fitzpatrick-Yeo",
    "Membership number: RAA-0719",
    "Waters: River Wend, Mill Pond and Heron Lake",
    "River season: 16 June 2026 to 14 March 2027; the lakes are open all year",
    "Fishing from one hour before sunrise to one hour after sunset",
    "No more than 2 rods at a time. Barbless hooks only.",
    "All fish must be returned alive. No keepnets on Heron Lake.",
    "Junior member: Tobiah Fitzpatrick-Yeo. Under 16s must fish with an adult member.",
    "Bailiff: 07700 900 652",
    "You must also hold an Environment Agency rod licence.",
]

TREE_QUOTE: Final[dict[str, Any]] = {
    "title": "Oakline Tree Surgery: quotation Q-2291",
    "header": ["Customer: Mrs Philippa Tremayne-Osei",
               "Site: 4 Orchard Gate, Ravensholme",
               "Surveyed by: Rufus Delacourt, arborist",
               "Date of quote: 24 November 2026",
               "Quote valid for: 60 days"],
    "table": [["Work", "Tree", "Price"],
              ["Crown reduction by 2 metres", "Copper beech, front garden", "480 pounds"],
              ["Fell and grind the stumps", "Leylandii hedge, 6 trees", "1,150 pounds"],
              ["Deadwood removal", "Oak, back boundary", "220 pounds"],
              ["Chip and take away all waste", "All", "Included"]],
    "sentences": [
        "The oak is protected by a tree preservation order; we will apply to the council for "
        "consent, which takes up to 8 weeks.",
        "Total: 1,850 pounds. No VAT is charged.",
        "Nesting birds: we do no hedge work between March and August.",
    ],
    "scanned_page": [
        "Oakline Tree Surgery: acceptance form",
        "Quote: Q-2291",
        "I accept the quotation and the terms above.",
        "Signed: P. Tremayne-Osei",
        "Date: 29 November 2026",
        "Deposit paid: 185 pounds (10 per cent)",
        "Preferred start: week of 11 January 2027",
        "Access: side gate, key under the blue pot",
        "Please leave the logs stacked by the shed.",
        "Neighbour told: Mr Haddad at number 6",
    ],
}

CAR_BOOT: Final = [
    "RAVENSHOLME PRIMARY SCHOOL PTA",
    "Spring car boot sale",
    "Sunday 7 March 2027",
    "School playing field, Beacon Lane",
    "Sellers from 7 am, buyers from 8:30 am",
    "Car pitches 10 pounds, van pitches 15 pounds",
    "Buyers 50p entry, children free",
    "Bacon rolls, tea and homemade cakes",
    "No booking: first come, first served",
    "If the field is waterlogged, the sale moves to the staff car park",
    "Questions: Harriet Oyelowo on 07700 900 281",
]

BAKERY_SLIP: Final = [
    "CRUMB AND CROWN BAKERY",
    "7 Chapel Street, Ravensholme",
    "Tel 01632 962 310",
    "CAKE ORDER No. 5587",
    "Name: HOLLINGWORTH-ASANTE",
    "Collect: Sat 19/12/2026 at 11:00",
    "Chocolate fudge cake, 10 inch",
    "Serves 20",
    "Icing: Happy 40th Birthday Marcus",
    "Colours: navy and gold",
    "Allergies: no nuts",
    "Price                   48.00",
    "Deposit paid            20.00",
    "To pay on collection    28.00",
    "Orders cancelled less than 72 hours",
    "before collection are not refunded.",
]

RECYCLING_PERMIT: Final = [
    "Ravensholme Borough Council",
    "Household recycling centre: van permit",
    "Permit number: HRC-V-40862",
    "Vehicle registration: RV19 KDP",
    "Resident: Mr Eamon Prideaux",
    "Valid for 12 visits until 31 August 2027",
    "Site: Quarry Lane recycling centre",
    "Open 8 am to 4 pm, closed on Thursdays",
    "Show this permit at the gate on each visit.",
    "No trade waste. Plasterboard and tyres are charged for.",
]

WHITEBOARD: Final = [
    "The Oduya-Pemberton week",
    "Monday: Lola swimming 5 pm, Dad picks up",
    "Tuesday: bin day, recycling out by 7 am",
    "Wednesday: Sami football training 6 pm, bring shin pads",
    "Thursday: Mum out late, pottery class until 9 pm",
    "Friday: Lola dentist 3:40 pm at Mill Street",
    "Saturday: Grandpa Kwame's 70th, lunch at 1 pm",
    "Sunday: pay Sami's trip money, 12 pounds",
    "Wifi goes off at 9 pm on school nights",
]

AQUARIUM: Final[dict[str, Any]] = {
    "title": "Our fish tank (the Lindqvist-Baptiste house)",
    "setup": ["The tank is a 120 litre Juwel, on the stand in the dining room.",
              "The heater is set to 25 degrees; the thermometer is on the left glass.",
              "The light is on a timer from 10 am to 8 pm.",
              "Change 25 per cent of the water every Sunday, with dechlorinated tap water."],
    "table": [["Fish", "How many", "Notes"],
              ["Neon tetras", "10", "Shy; keep the plants thick"],
              ["Corydoras", "5", "Feed them sinking pellets at night"],
              ["Honey gourami", "2", "Called Salt and Pepper"],
              ["Nerite snails", "3", "They eat the algae"]],
    "rules": ["Feed flakes once a day, only as much as they eat in 2 minutes.",
              "Clean the filter sponge in old tank water once a month, never under the tap.",
              "When we are away, our neighbour Mrs Farrukh feeds them on Wednesdays and "
              "Saturdays."],
}

CARPOOL: Final = [
    "School run car share (spring term, Ravensholme Primary)",
    "Families: the Abernethys, the Sokolovs and us, the Mendez-Whitlocks.",
    "Monday and Thursday mornings: Fiona Abernethy drives; she leaves Larch Close at 8:20 am.",
    "Tuesday mornings: Dmitri Sokolov drives the blue Volvo with the booster seats.",
    "Wednesday and Friday mornings: we drive.",
    "Afternoons: everyone walks home with the lollipop lady, except on Fridays, when Fiona "
    "collects at 3:15 pm.",
    "If your car is off the road, text the group by 7 pm the night before.",
    "Children must sit in booster seats until they are 12 or 135 cm tall.",
    "Spare booster seats are kept in the Abernethys' garage.",
    "Petrol: each family pays its own; no money changes hands.",
]

ESCAPE_ROOM: Final[dict[str, Any]] = {
    "title": "Booking confirmed: The Lighthouse Keeper's Secret at Locked In Ravensholme",
    "table": [["Player type", "Number", "Price each", "Subtotal"],
              ["Adult", "3", "24 pounds", "72 pounds"],
              ["Child 10 to 15", "2", "16 pounds", "32 pounds"]],
    "sentences": [
        "Booking reference: LIR-66120, booked by Constance Oyinlola-Marsh.",
        "Date and time: Sunday 3 January 2027 at 1:15 pm. The game lasts 60 minutes.",
        "Please arrive 15 minutes early for the safety briefing.",
        "Total paid: 104 pounds.",
        "Players under 16 must play with an adult. The minimum age is 10.",
        "You can ask for up to 3 free hints during the game.",
        "Free parking behind the building, on Foundry Street.",
        "Cancel or move your booking up to 48 hours before for a full refund.",
    ],
}
