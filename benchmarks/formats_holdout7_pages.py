"""The holdout7 set's texts of the scans, photos and small notes (split from `formats_holdout7`
to keep each module short): a parking penalty notice, a carpet fitter's quote with its signed
order form, a lost cat poster, a pharmacy prescription slip, a yoga class flyer, a recipe card,
a camping kit list, a list of tradespeople and a Christmas food order page.
"""

from __future__ import annotations

from typing import Any, Final

PARKING_FINE: Final = [
    "Hollowmere Borough Council",
    "PENALTY CHARGE NOTICE",
    "PCN number: HM 30918475",
    "Vehicle registration: HW21 YTK",
    "Keeper: Ms Delphine Ashworth-Obi",
    "Contravention: parked in a residents' bay without a permit",
    "Location: Tanner's Yard, bay 6",
    "Date and time: 27 November 2026 at 14:52",
    "Civil enforcement officer: CEO 4471",
    "Penalty: 70 pounds, reduced to 35 pounds if paid within 14 days",
    "Pay online at hollowmere.example/pcn or by phone on 0300 555 0192.",
    "To challenge this notice, write within 28 days and send photos.",
    "If unpaid after 28 days, a Notice to Owner will be sent.",
]

CARPET_QUOTE: Final[dict[str, Any]] = {
    "title": "Woolsack Flooring: quotation WF-7734",
    "header": ["Customer: Mr Cassius Nwachukwu-Hart",
               "Address: 8 Rookery Lane, Hollowmere",
               "Measured by: Dilys Fairweather",
               "Date measured: 26 November 2026",
               "Quote valid for: 30 days"],
    "table": [["Room", "Flooring", "Price"],
              ["Stairs and landing", "Wool twist carpet, Heather Grey", "640 pounds"],
              ["Main bedroom", "Wool twist carpet, Heather Grey", "455 pounds"],
              ["Box room", "Saxony carpet, Oatmeal", "210 pounds"],
              ["Bathroom", "Vinyl, slate effect", "185 pounds"],
              ["Underlay, grippers and fitting", "All rooms", "Included"]],
    "sentences": [
        "Total: 1,490 pounds including VAT.",
        "Old carpets are taken up and taken away for 45 pounds extra.",
        "Doors may need trimming after fitting; we do this free of charge.",
    ],
    "scanned_page": [
        "Woolsack Flooring: order form",
        "Quote: WF-7734",
        "I accept the quotation and wish to order.",
        "Signed: C. Nwachukwu-Hart",
        "Date: 2 December 2026",
        "Deposit paid: 300 pounds by card",
        "Fitting date: Wednesday 13 January 2027",
        "Fitters arrive between 8 and 9 am",
        "Old carpets to be taken away: yes",
        "Please move small furniture out of the rooms first.",
    ],
}

LOST_CAT: Final = [
    "LOST CAT",
    "Have you seen Marmaduke?",
    "Large ginger tom, 6 years old",
    "White bib and one white front paw",
    "Wearing a green collar with a bell",
    "Microchipped and neutered",
    "Missing since Tuesday 1 December",
    "Last seen near Willowbrook Close",
    "Please check your sheds and garages",
    "REWARD of 100 pounds for his safe return",
    "Call Oona on 07700 900 358",
]

PRESCRIPTION: Final = [
    "HOLLOWMERE PHARMACY",
    "19 Abbey Parade, Hollowmere",
    "Tel 01632 966 041",
    "PRESCRIPTION READY",
    "Patient: GRUNDY-OKAFOR, M",
    "Ref: RX-662190",
    "Amoxicillin 500mg capsules",
    "Qty: 21",
    "Take ONE capsule THREE times a day",
    "Finish the whole course",
    "Ready from: Thu 10/12/2026",
    "Collect within 14 days",
    "Charge: 1 item   9.90",
    "Fridge item: NO",
]

YOGA_FLYER: Final = [
    "Gentle Yoga at St Aldhelm's Church Hall",
    "Mondays 7:30 pm to 8:45 pm",
    "Thursdays 10 am to 11 am (over 60s)",
    "Teacher: Saffron Illingworth",
    "First class free, then 9 pounds a class",
    "Or 6 classes for 48 pounds",
    "Mats and blocks provided",
    "Wear loose clothes, come with an empty stomach",
    "No class on bank holidays",
    "Book on 07700 900 812",
]

RECIPE_CARD: Final = [
    "Nain's Welsh cakes",
    "Makes about 20",
    "225 g self-raising flour",
    "100 g salted butter, cubed",
    "75 g caster sugar",
    "50 g currants",
    "1 egg, beaten, and a splash of milk",
    "Rub the butter into the flour",
    "Roll to the thickness of a pound coin",
    "Cut with a 6 cm cutter",
    "Cook on a bakestone on a medium heat",
    "3 minutes a side, until golden",
    "Dust with sugar while warm",
]

KIT_LIST: Final[dict[str, Any]] = {
    "title": "Camping kit list (the Pemberton-Adeyemi family)",
    "trip": ["Campsite: Larkspur Farm, pitch 17, from Friday 30 July to Monday 2 August 2027.",
             "Check-in from 2 pm; quiet time from 10:30 pm.",
             "The site has hot showers and a washing-up block, but no shop.",
             "Campfires are allowed only in the fire pits, and we must bring our own logs."],
    "table": [["Item", "Who packs it", "Where it is"],
              ["Six-man tent", "Dad", "Garage, top shelf"],
              ["Sleeping bags, 4", "Each of us", "Under the stairs"],
              ["Camping stove and 2 gas canisters", "Mum", "Garage, blue crate"],
              ["First aid kit", "Zara", "Bathroom cupboard"],
              ["Head torches", "Tobi", "Kitchen drawer"],
              ["Cool box", "Mum", "Utility room"]],
    "notes": ["Freeze the ice packs the night before.",
              "Check the tent pegs: last year we were 3 short.",
              "Buy firelighters and marshmallows on the way."],
}

TRADESPEOPLE: Final = [
    "People who do jobs for us (the Szymanski-Reid house, 12 Mallard Way)",
    "Window cleaner: Gethin Pryce, every fourth Wednesday; 18 pounds, cash in the envelope by "
    "the back door.",
    "Plumber: Rosa Delgado-Finch, 07700 900 143; she fixed the leaking stopcock in October.",
    "Electrician: Hamish Tolley, 07700 900 627; he is not free on Fridays.",
    "Chimney sweep: Ember and Brush, once a year in September; last swept 14 September 2026.",
    "Gardener: Kwabena Lister, alternate Tuesdays from March to October, 15 pounds an hour.",
    "The gardener takes the green waste away himself.",
    "Boiler: the annual service is with HeatRight, booked for 3 March 2027.",
    "Locksmith: Keyhaven Locks holds a spare key; the password is the name of our first dog.",
]

FOOD_ORDER: Final[dict[str, Any]] = {
    "title": "Order confirmed: your Christmas food from Hollowmere Farm Shop",
    "table": [["Item", "Qty", "Price each"],
              ["Free range bronze turkey, 6 to 7 kg", "1", "78 pounds"],
              ["Pigs in blankets, pack of 24", "2", "17 pounds"],
              ["Chestnut and cranberry stuffing", "1", "6.50 pounds"],
              ["Christmas pudding, 900 g", "1", "12 pounds"],
              ["Stilton, 500 g wedge", "1", "9.75 pounds"]],
    "sentences": [
        "Order number: HFS-11936, placed by Perpetua Langridge-Osei.",
        "Collection: Wednesday 23 December 2026, between 10 am and 11 am.",
        "Total: 140.25 pounds. A deposit of 20 pounds was paid online; the rest is paid on "
        "collection.",
        "Please bring a cool bag; the turkey comes in a box with cooking instructions.",
        "Changes can be made until 12 December by phoning the shop.",
        "The farm shop is closed from 25 December to 2 January.",
    ],
}
