"""The documents_formats benchmark's sixth set (holdout6): new households' papers, all frozen test.

Written on 7 December 2026 by a helper who had not opened the readers, the ranking or the
answering code, nor any doc, nor any benchmark result. Other households, another town
(Ravensholme) and other subjects than the five earlier sets. `python -m
benchmarks.formats_make_holdout6` writes the files under `benchmarks/data/formats_holdout6/
documents/` and `questions.json` beside them; the texts of the scans, photos and small notes are
in `formats_holdout6_pages`, the questions in `formats_holdout6_questions`.
"""

from __future__ import annotations

from typing import Any, Final

from benchmarks.formats_holdout6_pages import (
    AQUARIUM,
    BAKERY_SLIP,
    CAR_BOOT,
    CARPOOL,
    ESCAPE_ROOM,
    FISHING_PERMIT,
    RECYCLING_PERMIT,
    TREE_QUOTE,
    WHITEBOARD,
)

SEED: Final = 6161
"""The seed of the scans' and photos' noise (there is no split to draw: all is test)."""

ADOPTION: Final[list[tuple[str, Any]]] = [
    ("h1", "Ravensholme Dog Rescue: adoption contract"),
    ("p", "Adopter: Ms Wilhelmina Achebe-Strand"),
    ("p", "Address: 9 Lantern Walk, Ravensholme RV4 2PL"),
    ("p", "Dog: Tansy, a 3 year old female lurcher, brindle"),
    ("p", "Microchip number: 977200008841356"),
    ("p", "Adoption date: Saturday 12 December 2026"),
    ("p", "Tansy has been neutered, vaccinated and treated for fleas and worms."),
    ("p", "She must be walked on a lead for the first 6 weeks, and never let off near sheep."),
    ("p", "A home check visit will take place within 4 weeks of adoption."),
    ("p", "If you can no longer keep Tansy, she must be returned to the rescue; she may not be "
          "sold or given away."),
    ("h2", "Fees and items"),
    ("table", [["Item", "Cost", "Notes"],
               ["Adoption fee", "195 pounds", "Paid by card"],
               ["Martingale collar and lead", "18 pounds", "Taken home"],
               ["Four weeks of pet insurance", "Free", "Starts on the adoption date"],
               ["Bag of kibble, 2 kg", "12.50 pounds", "The food she eats at the kennels"],
               ["Donation", "25 pounds", "Gift Aid added"]]),
    ("p", "Rescue coordinator: Gaspard Lindahl, 01632 961 207."),
    ("p", "Behaviour helpline, 9 am to 6 pm every day: 0800 047 5531."),
]

MOORING: Final[list[tuple[str, Any]]] = [
    ("h1", "Ravensholme Canal Trust: mooring licence"),
    ("p", "Boat name: Kingfisher Lass"),
    ("p", "Owner: Mr Cosmo Varga-Pennington"),
    ("p", "Mooring: Berth 14, Lock Meadow Marina"),
    ("p", "Licence period: 1 January 2027 to 31 December 2027"),
    ("p", "Boat length: 57 feet (narrowboat)"),
    ("p", "Electricity hook-up is metered; cards are sold at the marina office."),
    ("p", "Engines may not be run between 8 pm and 8 am."),
    ("p", "Visitors may stay on board for up to 14 nights in a row."),
    ("h2", "Charges"),
    ("table", [["Charge", "Amount", "When due"],
               ["Annual mooring fee", "3,420 pounds", "In 4 quarterly payments"],
               ["Quarterly payment", "855 pounds", "1 January, April, July and October"],
               ["Pump-out", "22 pounds a time", "When used"],
               ["Winter crane-out and hull blacking", "640 pounds", "Booked for February"],
               ["Spare key to the marina gate", "8 pounds", "Once"]]),
    ("p", "Marina manager: Orla Benedetti, 01632 961 880."),
    ("p", "The gate code changes on the first Monday of each month and is sent by text."),
]

BLOOD_LETTER: Final = [
    "National Blood Service: your next donation",
    "Dear Mr Florian Makinde-Rowe,",
    "Donor number: NBS 4410-8827-3",
    "Thank you for your last donation on 16 September 2026. Your blood group is O negative, "
    "which can be given to anyone in an emergency.",
    "Your next appointment is on Tuesday 19 January 2027 at 5:45 pm at Ravensholme Methodist "
    "Hall, Cross Street.",
    "Please drink 500 ml of water in the half hour before you donate, and eat a proper meal "
    "beforehand.",
    "Men may give blood every 12 weeks, and women every 16 weeks.",
    "Please do not donate if you have had a tattoo or a piercing in the last 4 months.",
    "The session takes about an hour, and the donation itself around 10 minutes.",
    "Tea, squash and biscuits are provided afterwards; please stay with us for 15 minutes.",
    "To move your appointment, call 0300 123 2323 or use the GiveBlood app.",
    "With thanks, Marguerite Oyelaran, Donor Relations",
]

HOUSE_MOVE: Final[dict[str, list[list[Any]]]] = {
    "Removals": [["Company", "Quote", "Van", "Date offered", "Notes"],
                 ["Ravensholme Removals", 1180.0, "Two Luton vans", "Friday 26 February 2027",
                  "Packing service included"],
                 ["Swift Move Ltd", 945.0, "One 7.5 tonne lorry", "Thursday 25 February 2027",
                  "No packing"],
                 ["Two Lads and a Van", 620.0, "One Luton van", "Saturday 27 February 2027",
                  "Cash only"]],
    "Utilities": [["Service", "Provider", "Account number", "Action", "Deadline"],
                  ["Electricity", "Brightwatt Energy", "BW-5520193",
                   "Take a meter reading on moving day", "26 February 2027"],
                  ["Water", "Ravensholme Water", "RW 88 1402 77", "Close the account",
                   "19 February 2027"],
                  ["Broadband", "Starnet Broadband", "SN-771045",
                   "Book the move, 3 weeks notice", "5 February 2027"],
                  ["Council tax", "Ravensholme Borough Council", "CT 6630 9912",
                   "Tell them the moving date", "26 February 2027"],
                  ["Post", "Royal Mail", "None", "Redirect the post for 12 months",
                   "12 February 2027"]],
    "Boxes": [["Room", "Boxes", "Colour label"],
              ["Kitchen", 14, "Red"],
              ["Living room", 9, "Blue"],
              ["Main bedroom", 11, "Green"],
              ["Ines's bedroom", 7, "Yellow"],
              ["Study", 12, "Orange"]],
}

CHESS_CLUB: Final[dict[str, list[list[str]]]] = {
    "Ladder": [["Position", "Player", "Played", "Won", "Drawn", "Lost", "Points"],
               ["1", "Anouk Feldstein", "9", "7", "1", "1", "7.5"],
               ["2", "Barnaby Okafor", "9", "6", "2", "1", "7"],
               ["3", "Wren Castellanos", "9", "5", "2", "2", "6"],
               ["4", "Idris Balogun-Shaw", "8", "4", "1", "3", "4.5"],
               ["5", "Pippa Marchetti", "9", "2", "3", "4", "3.5"]],
    "Fixtures": [["Date", "Opponent", "Venue", "Team"],
                 ["Wednesday 13 January 2027", "Millbrook Knights", "Home, the Scout Hut",
                  "Anouk, Barnaby, Wren, Idris"],
                 ["Wednesday 27 January 2027", "St Cuthbert's School", "Away",
                  "Barnaby, Wren, Idris, Pippa"],
                 ["Wednesday 10 February 2027", "Harrowgate Rooks", "Home, the Scout Hut",
                  "Anouk, Wren, Idris, Pippa"]],
    "Club info": [["Item", "Detail"],
                  ["Club night", "Wednesdays, 6:15 pm to 7:45 pm"],
                  ["Subs", "3 pounds a night or 30 pounds a term"],
                  ["Coach", "Mr Tiberius Adewale"],
                  ["Time control", "Each player has 25 minutes for the game"]],
}

REUNION_SLIDES: Final = [
    ("The Halloran-Fitch family reunion: summer 2027", [
        "Hosted by Auntie Bridget and Uncle Desmond",
        "Saturday 14 and Sunday 15 August 2027",
        "Everyone welcome, dogs included"]),
    ("Where", [
        "Glenmorrow Farm, near Ravensholme",
        "Camping in the top field, or rooms at The Drovers Inn",
        "The Drovers Inn is holding 8 rooms for us until 1 May"]),
    ("Saturday", [
        "Arrive from 11 am",
        "Rounders and a treasure hunt at 2 pm",
        "Hog roast at 6:30 pm",
        "Ceilidh band in the barn from 8 pm"]),
    ("Sunday", [
        "Cooked breakfast from 8:30 am",
        "Family photo at 11 am: wear something blue",
        "Goodbye lunch at 12:30 pm"]),
    ("Costs and replies", [
        "25 pounds an adult, children under 12 free",
        "Pay Cousin Niamh by bank transfer",
        "Reply by 30 April 2027",
        "Bring a pudding to share"]),
]

BEES_SLIDES: Final = [
    ("Ravensholme Beekeepers: beginners' course 2027", [
        "Six Saturday mornings at Ravensholme Community Orchard",
        "Tutor: Evangeline Strachan",
        "Course fee: 145 pounds, including a year's membership"]),
    ("Course dates", [
        "20 March: the honey bee colony",
        "3 April: hives and equipment",
        "17 April: your first hive inspection",
        "1 May: swarms and how to stop them",
        "15 May: pests and diseases",
        "29 May: taking the honey off"]),
    ("What to bring", [
        "A bee suit or a jacket with a veil; spares can be borrowed",
        "Long trousers, wellies and washing-up gloves",
        "No perfume or aftershave"]),
    ("Safety", [
        "Tell the tutor before the course if you are allergic to stings",
        "An EpiPen is kept in the orchard shed",
        "Sessions are cancelled if it rains; we email by 8 am"]),
    ("After the course", [
        "Each beginner is paired with a mentor for the first season",
        "A starter colony costs about 200 pounds",
        "Apply for a colony by 31 May"]),
]

HENS: Final[list[tuple[str, list[str]]]] = [
    ("Choosing your hens", [
        "The Backyard Flock, by Cordelia Penhaligon: keeping hens in a small garden.",
        "Start with at least three hens; they are flock birds and get lonely on their own.",
        "Hybrid hens such as the Warren lay up to 300 eggs a year; pure breeds lay fewer.",
        "Buy point-of-lay pullets at about 18 weeks old."]),
    ("The coop and run", [
        "Allow at least 1 square metre of run for each hen.",
        "Each hen needs 25 cm of perch, and there should be one nest box for every three hens.",
        "Bury the wire mesh of the run 30 cm deep to keep foxes out.",
        "Shut the pop hole every night at dusk."]),
    ("Feeding and water", [
        "Feed layers pellets, about 120 g a hen a day.",
        "Give mixed grit in a separate pot so that the shells stay strong.",
        "Never feed kitchen scraps: it is against the law in the UK.",
        "Clean the drinker every day; in a frost, bring it in at night."]),
    ("Eggs", [
        "Collect the eggs every day, in the morning if you can.",
        "Do not wash eggs until you use them; store them pointed end down.",
        "Most hens stop laying for about 6 weeks while they moult in autumn."]),
    ("Health", [
        "Check for red mite every week, under the perches and in the corners.",
        "Worm the flock twice a year with Flubenvet, in spring and in autumn.",
        "A hen that sits in the nest box all day and pecks at you may be broody."]),
]

FESTIVAL_MAIL: Final[dict[str, Any]] = {
    "from": "Fernlight Festival <tickets@fernlight-festival.example>",
    "to": "Saoirse Kowalczyk-Dunne <saoirse.kd@postbox.example>",
    "date": "Fri, 4 Dec 2026 18:03:10 +0000",
    "subject": "Your Fernlight 2027 tickets are confirmed: order FF27-30815",
    "body": [
        "Hi Saoirse,",
        "Your tickets for Fernlight Festival 2027 are confirmed: 2 adult weekend camping tickets "
        "and 1 teen ticket for Kit.",
        "The festival runs from Friday 23 July to Sunday 25 July 2027 at Highcombe Park, 6 "
        "miles from Ravensholme.",
        "Gates and campsites open at 10 am on the Friday. Arrive before 6 pm to get a pitch in "
        "the family field.",
        "Your wristbands will be posted to you in the first week of July; nobody gets in "
        "without one.",
        "Under 16s must camp with an adult over 18. Kit needs photo ID at the gate.",
        "No glass, gazebos or barbecues in the campsite.",
        "A free shuttle bus runs from Ravensholme station every 20 minutes.",
        "Your invoice is attached.",
        "See you in the fields, Dara, Fernlight Festival ticket office, 01632 962 044",
    ],
}

FESTIVAL_INVOICE: Final[dict[str, Any]] = {
    "title": "Fernlight Festival: invoice FF27-30815",
    "header": ["Customer: Saoirse Kowalczyk-Dunne",
               "Order date: 4 December 2026",
               "Payment plan: 3 monthly instalments"],
    "table": [["Item", "Qty", "Price"],
              ["Adult weekend camping ticket", "2", "378 pounds"],
              ["Teen ticket, 13 to 17", "1", "95 pounds"],
              ["Car parking pass", "1", "30 pounds"],
              ["Campervan upgrade", "0", "Not booked"]],
    "sentences": ["Total: 503 pounds, of which 167.67 pounds was paid today.",
                  "The next instalments are due on 4 January and 4 February 2027.",
                  "Tickets can be refunded up to 60 days before the festival, less a 10 pounds "
                  "fee."],
}

CHARGER: Final[dict[str, Any]] = {
    "title": "Electric vehicle charge point: installation certificate",
    "header": ["Customer: Mr Leopold Nakashima-Reyes",
               "Installation address: 31 Weaver's Row, Ravensholme RV2 7TD",
               "Installer: VoltHome Ltd, engineer Kasia Brennan",
               "Date of installation: 1 December 2026",
               "Charger: Zappi 7 kW, tethered cable, 5 metres",
               "Warranty: 3 years from installation"],
    "table": [["Test", "Reading", "Result"],
              ["Earth loop impedance", "0.21 ohms", "Pass"],
              ["Insulation resistance", "over 200 megohms", "Pass"],
              ["RCD trip time", "18 ms", "Pass"],
              ["Main supply fuse", "100 amps", "Adequate"]],
    "sentences": [
        "The charger is on its own 32 amp circuit from a new consumer unit in the garage.",
        "Cheapest charging: set the charger's timer for 12:30 am to 5:30 am to match your "
        "off-peak tariff.",
        "A government grant of 350 pounds was taken off the price.",
        "Have the charge point inspected every 5 years.",
    ],
}

ATTACHMENT: Final = "festival-tickets.eml/festival-invoice.pdf"
"""Where the store keeps the mail's attached PDF (a document of its own, linked to the mail)."""

FILES: Final = {
    "dog-adoption-contract.docx": "docx (key/value lines, a Word table)",
    "mooring-licence.odt": "odt (a table)",
    "blood-donor-letter.rtf": "rtf letter",
    "house-move-planner.xlsx": "xlsx (3 sheets)",
    "chess-club-ladder.ods": "ods (3 sheets)",
    "family-reunion.pptx": "pptx (5 slides)",
    "beekeeping-course.odp": "odp (5 slides)",
    "backyard-hens-guide.epub": "epub 3 (nav, 5 chapters)",
    "festival-tickets.eml": "eml (plain + HTML, PDF attached)",
    "festival-invoice.pdf": "eml attachment (pdf, table)",
    "ev-charger-certificate.pdf": "pdf (key/value header, a table)",
    "fishing-permit-scan.pdf": "scanned pdf (200 dpi, skewed)",
    "tree-surgery-quote.pdf": "pdf (a table) + an image-only page",
    "car-boot-sale-poster.jpg": "photo (jpg, skewed, noisy)",
    "cake-order-slip.png": "scanned slip (png, 250 dpi)",
    "recycling-van-permit.webp": "photo (webp)",
    "family-whiteboard.tiff": "photo (tiff)",
    "fish-tank-notes.md": "md (pipe table)",
    "school-run-car-share.txt": "txt",
    "escape-room-booking.html": "html (saved web page, a table)",
}
"""Each file a question may expect, and the format it stands for in the tables."""

REFERENCE: Final[dict[str, Any]] = {
    "dog-adoption-contract.docx": [text for _, text in ADOPTION],
    "mooring-licence.odt": [text for _, text in MOORING],
    "blood-donor-letter.rtf": BLOOD_LETTER,
    "house-move-planner.xlsx": HOUSE_MOVE, "chess-club-ladder.ods": CHESS_CLUB,
    "family-reunion.pptx": REUNION_SLIDES, "beekeeping-course.odp": BEES_SLIDES,
    "backyard-hens-guide.epub": HENS, "festival-tickets.eml": FESTIVAL_MAIL,
    ATTACHMENT: FESTIVAL_INVOICE, "ev-charger-certificate.pdf": CHARGER,
    "fishing-permit-scan.pdf": FISHING_PERMIT, "tree-surgery-quote.pdf": TREE_QUOTE,
    "car-boot-sale-poster.jpg": CAR_BOOT, "cake-order-slip.png": BAKERY_SLIP,
    "recycling-van-permit.webp": RECYCLING_PERMIT, "family-whiteboard.tiff": WHITEBOARD,
    "fish-tank-notes.md": AQUARIUM, "school-run-car-share.txt": CARPOOL,
    "escape-room-booking.html": ESCAPE_ROOM,
}
"""The text each stored document was written from (for the fidelity column; the block kinds of
the docx and odt left out)."""


def questions() -> dict[str, Any]:
    """The labelled questions, every one in the frozen test split."""
    from benchmarks.formats_holdout6_questions import ABSENT, GROUNDED  # noqa: PLC0415

    grounded = [{"doc": d, "q": q, "expect": e, "split": "test"} for d, q, e in GROUNDED]
    absent = [{"q": q, "split": "test"} for q in ABSENT]
    return {"seed": SEED, "set": "holdout6", "grounded": grounded, "absent": absent}
