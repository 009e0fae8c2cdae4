"""The documents_formats benchmark's third set (holdout3): new households' papers, all frozen test.

Written on 7 December 2026 by a helper who had not opened the readers, the ranking or the
answering code, nor the documents/responding/benchmarks docs, nor any benchmark result. Other
households and other subjects than the first two sets. `python -m benchmarks.formats_make
--set=holdout3` writes the files under `benchmarks/data/formats_holdout3/documents/` and
`questions.json` beside them; the questions are in `formats_holdout3_questions`.
"""

from __future__ import annotations

from typing import Any, Final

SEED: Final = 3107
"""The seed of the scans' and photos' noise (there is no split to draw: all is test)."""

TENANCY: Final[list[tuple[str, Any]]] = [
    ("h1", "Harbourside Lettings: tenancy renewal offer"),
    ("p", "Tenants: Priya and Tom Kessler"),
    ("p", "Property: Flat 4, 22 Quarry Lane, Fenwick FN2 8RT"),
    ("p", "Landlord: Mr Graham Oduya"),
    ("p", "Current tenancy ends: 31 March 2027"),
    ("p", "New fixed term: 12 months, from 1 April 2027 to 31 March 2028"),
    ("p", "Please sign and return the renewal agreement by 28 February 2027. If we do not hear "
          "from you, the tenancy will roll on as a monthly periodic tenancy."),
    ("p", "Your deposit of 1,350 pounds stays protected with the Deposit Protection Service under "
          "certificate number DPS-7731-4420."),
    ("p", "Pets: the landlord has agreed that you may keep one cat in the flat."),
    ("h2", "What changes on renewal"),
    ("table", [["Item", "Current tenancy", "From 1 April 2027"],
               ["Monthly rent", "1,150 pounds", "1,195 pounds"],
               ["Rent due", "1st of the month", "1st of the month"],
               ["Notice the tenant must give", "1 month", "2 months"],
               ["Garden upkeep", "Tenant", "Landlord"]]),
    ("p", "Your property manager is Leona Briggs: 01632 960 441, "
          "leona@harbourside-lettings.example"),
]

NURSERY: Final[list[tuple[str, Any]]] = [
    ("h1", "Little Acorns Nursery: December newsletter"),
    ("p", "Dear families, welcome to the December newsletter from the Hedgehog Room."),
    ("p", "Nursery manager: Mrs Fatima Rahman"),
    ("p", "Christmas nativity: Thursday 17 December 2026 at 10:30 am in the main hall. Each "
          "child may bring two guests."),
    ("p", "Christmas jumper day: Friday 11 December 2026. Please donate 1 pound for Save the "
          "Children."),
    ("p", "The nursery closes for Christmas at 1 pm on Wednesday 23 December 2026 and reopens "
          "on Monday 4 January 2027."),
    ("p", "From January 2027 a full day costs 62 pounds and a morning session 34 pounds."),
    ("p", "We go to the forest garden every Tuesday, so please label your child's wellies and "
          "spare clothes."),
    ("p", "A child who has had a temperature must stay at home until 48 hours after it has "
          "gone."),
    ("h2", "Key workers in the Hedgehog Room"),
    ("table", [["Key worker", "Children", "Days in"],
               ["Jade Morton", "Ollie, Freya, Sam", "Monday to Wednesday"],
               ["Kwame Asante", "Ruby, Leo, Isla", "Wednesday to Friday"],
               ["Bronwen Pryce", "Noah, Ava", "Monday, Tuesday and Friday"]]),
]

RECIPES: Final[list[tuple[str, list[str]]]] = [
    ("About this book", [
        "Slow Cooker Sundays, by Hattie Marlowe: twelve easy family suppers.",
        "A 3.5 litre pot feeds four people; choose a 6.5 litre pot for six or more.",
        "Never put the cold ceramic pot straight onto a hot hob: it can crack."]),
    ("Beef and ale stew", [
        "Serves 6. Preparation 20 minutes. Cook on low for 8 hours or on high for 5 hours.",
        "Ingredients: 1 kg diced braising steak, 2 onions, 3 carrots, 500 ml brown ale, "
        "2 tablespoons plain flour, 1 beef stock cube and 2 bay leaves.",
        "Brown the beef in batches before it goes into the pot; that gives the stew its colour.",
        "The stew freezes well for up to 3 months."]),
    ("Chicken tikka masala", [
        "Serves 4. Cook on low for 6 hours.",
        "Ingredients: 8 boneless chicken thighs, 400 g chopped tomatoes, 150 ml double cream, "
        "3 tablespoons tikka paste and 1 red pepper.",
        "Stir the cream in only for the last 30 minutes, so that it does not split.",
        "Serve with basmati rice and a handful of fresh coriander."]),
    ("Sticky toffee pudding", [
        "Serves 8. Cook on high for 3 hours.",
        "Ingredients: 200 g pitted dates, 175 g self-raising flour, 85 g butter, 140 g dark "
        "muscovado sugar and 2 eggs.",
        "Line the pot with baking parchment so that the sponge lifts out in one piece.",
        "For the toffee sauce, boil 100 g butter, 100 g light brown sugar and 150 ml double "
        "cream for 3 minutes."]),
]

ENERGY_BILL: Final[dict[str, Any]] = {
    "title": "Lumen Energy: your electricity and gas bill",
    "header": ["Account holder: Marcus Penrose",
               "Supply address: 7 Kiln Row, Fenwick FN3 1DL",
               "Account number: 8841 2207 653",
               "Bill date: 2 December 2026",
               "Billing period: 1 September 2026 to 30 November 2026 (91 days)",
               "Amount due: 412.36 pounds, collected by Direct Debit on 16 December 2026"],
    "table": [["Fuel", "Units used", "Unit rate", "Standing charge", "Cost"],
              ["Electricity", "742 kWh", "24.5p per kWh", "53.7p a day", "230.66 pounds"],
              ["Gas", "2,915 kWh", "6.2p per kWh", "31.4p a day", "209.30 pounds"]],
    "sentences": [
        "A Warm Home Discount of 27.60 pounds has been taken off this bill.",
        "Your tariff, Lumen Fixed Saver, ends on 31 January 2027. We will write to you 49 days "
        "before it ends with the prices that follow.",
        "You used 12 per cent less electricity than in the same months last year.",
        "If you smell gas, call the gas emergency line on 0800 111 999 at any time.",
    ],
}

COTTAGE_MAIL: Final[dict[str, Any]] = {
    "from": "Seawhistle Cottages <bookings@seawhistle-cottages.example>",
    "to": "Nadia Kowalczyk <nadia.k@mailbox.example>",
    "date": "Fri, 13 Nov 2026 09:12:44 +0000",
    "subject": "Booking confirmed: Gull's Rest, Porthkerra, 10 to 17 April 2027",
    "body": [
        "Dear Nadia,",
        "Thank you for booking Gull's Rest with Seawhistle Cottages. Your booking reference is "
        "SWC-58213.",
        "Arrival: Saturday 10 April 2027, check-in from 4 pm. Departure: Saturday 17 April 2027, "
        "check-out by 10 am.",
        "The key safe is to the left of the front door; we send its code seven days before you "
        "arrive.",
        "The cottage sleeps 5, and one well-behaved dog is welcome.",
        "Parking: one space in the lane behind the cottage. The nearest beach is a 6 minute "
        "walk.",
        "Your invoice is attached.",
        "Kind regards, Elowen Trevithick, Seawhistle Cottages",
    ],
}

COTTAGE_INVOICE: Final[dict[str, Any]] = {
    "title": "Seawhistle Cottages: invoice SWC-58213",
    "header": ["Guest: Nadia Kowalczyk",
               "Property: Gull's Rest, Porthkerra, Cornwall",
               "Invoice date: 13 November 2026"],
    "table": [["Item", "Amount", "Status"],
              ["Cottage, 7 nights", "1,120 pounds", "Included"],
              ["Dog", "35 pounds", "Included"],
              ["Deposit", "300 pounds", "Paid 13 November 2026"],
              ["Balance", "855 pounds", "Due 13 February 2027"]],
    "note": "Cancellation: the deposit is not refundable.",
}

CHRISTMAS: Final[dict[str, list[list[Any]]]] = {
    "Gifts": [["Person", "Gift", "Shop", "Price", "Bought"],
              ["Grandma Irene", "Cashmere scarf", "Harlow's", 45.0, "Yes"],
              ["Uncle Rafe", "Whisky tasting set", "Online", 38.5, "No"],
              ["Mia", "Lego botanical set", "Toy Barn", 54.99, "Yes"],
              ["Jonah", "Football boots", "Kickoff Sports", 64.0, "No"],
              ["Auntie Bea", "Candle set", "Christmas market", 18.0, "Yes"]],
    "Food order": [["Item", "Supplier", "Collect on", "Price"],
                   ["Turkey crown, 2.5 kg", "Fenwick Butchers", "23 December", 42.0],
                   ["Pigs in blankets, 24", "Fenwick Butchers", "23 December", 9.5],
                   ["Christmas pudding", "The Bakehouse", "22 December", 12.75],
                   ["Cheeseboard", "Deli on the Square", "24 December", 27.0]],
}

FIXTURES: Final[dict[str, list[list[str]]]] = {
    "Fixtures": [["Date", "Opponent", "Home or away", "Kick-off", "Venue"],
                 ["Sunday 10 January 2027", "Ashby Rovers", "Home", "10:00", "Kiln Park pitch 2"],
                 ["Sunday 17 January 2027", "Millbrook Colts", "Away", "10:30", "Millbrook Rec"],
                 ["Sunday 24 January 2027", "St Anne's Juniors", "Home", "11:00",
                  "Kiln Park pitch 1"],
                 ["Sunday 31 January 2027", "Harrowgate United", "Away", "09:45",
                  "Harrowgate Academy 3G"],
                 ["Sunday 7 February 2027", "Brenton Town (cup quarter-final)", "Away", "13:00",
                  "Brenton Sports Hub"]],
    "Subs and kit": [["Item", "Detail"],
                     ["Team", "Fenwick Falcons Under 11s"],
                     ["Monthly subs", "22 pounds by standing order"],
                     ["Match fee", "3 pounds a game, in cash to the manager"],
                     ["Training", "Wednesdays, 6 pm to 7 pm, Kiln Park"],
                     ["Manager", "Dean Achterberg, 07700 900 318"],
                     ["Home kit", "Red shirts, black shorts, red socks"],
                     ["Away kit", "All white"]],
}

YEAR7_SLIDES: Final = [
    ("Welcome to Castleford Academy", [
        "Year 7 parents' evening, 3 December 2026",
        "Year 7 starts on Thursday 2 September 2027",
        "Head of Year 7: Mr Obi Lindqvist",
        "Tutor groups are announced at the induction day on 6 July 2027"]),
    ("Uniform", [
        "Supplier: Stitchwell Schoolwear, 14 Market Street",
        "Blazer with the school badge: 32 pounds",
        "Black trousers or skirt, white shirt and house tie",
        "PE kit: navy polo shirt and navy shorts"]),
    ("Getting to school", [
        "School bus route 42 leaves Fenwick bus station at 7:55 am",
        "A bus pass costs 190 pounds a year",
        "Gates open at 8:15 am; registration is at 8:40 am"]),
    ("Lunch", [
        "The canteen is cashless: top up through ParentPay",
        "A meal deal costs 2.60 pounds",
        "Apply for free school meals before 30 June 2027"]),
    ("Homework and phones", [
        "Homework is set on Classcharts: about 30 minutes a night",
        "Phones are switched off and out of sight all day"]),
]

CAT_CARD: Final = [
    "Meadowbank Veterinary Surgery: vaccination card",
    "Pet: Biscuit, cat, female, neutered",
    "Breed: domestic shorthair, ginger",
    "Date of birth: 14 May 2022",
    "Owner: Sunita Rao, 31 Elder Close, Fenwick",
    "Microchip: 977200008213456",
    "Last vaccination: 9 June 2026, cat flu and enteritis booster, batch PV4471, given by "
    "Dr Anya Moreau",
    "Next booster due: 9 June 2027",
    "Weight at last visit: 4.3 kg",
    "Flea and worm treatment: Bravecto spot-on every 12 weeks",
    "Surgery phone: 01632 960 775",
]

DISHWASHER: Final[dict[str, Any]] = {
    "title": "Aquila DW60 dishwasher: user manual, page 14, troubleshooting",
    "header": ["Model number: DW60-B2",
               "Clean the filter once a week: twist it anticlockwise and lift it out."],
    "table": [["Code", "Meaning", "What to do"],
              ["E1", "No water coming in", "Open the tap; check the inlet hose"],
              ["E4", "Water leak detected", "Switch off at the wall, call us"],
              ["E9", "Door not closed", "Close the door until it clicks"],
              ["F2", "Filter blocked", "Clean the filter under the tap"]],
    "sentences": [
        "Add dishwasher salt when the salt light comes on. The first fill needs 1.5 kg of salt "
        "and 1 litre of water.",
        "Refill the rinse aid when its indicator lights; the dispenser holds 110 ml.",
        "The Eco 50 programme takes 3 hours 15 minutes and uses 9.5 litres of water.",
        "The Quick 30 programme washes lightly soiled dishes in 30 minutes at 40 degrees.",
        "Customer care: 0344 892 5510. The serial number is on the inside edge of the door.",
    ],
}

SCHOOL_REPORT: Final = [
    "Brookfield Primary School: end of autumn term report 2026",
    "Pupil: Leo Fairbanks",
    "Class: 4 Rowan",
    "Class teacher: Miss Harriet Quayle",
    "Attendance this term: 96.4 per cent (2 days absent)",
    "Reading: working at the expected standard. Leo reads fluently and should now try longer "
    "chapter books.",
    "Writing: working towards the expected standard. His target is to use paragraphs and full "
    "stops every time.",
    "Maths: working above the expected standard. He knows his times tables up to 12 x 12.",
    "Science: at the expected standard. He especially enjoyed our topic on electricity.",
    "PE: Leo has been chosen for the school cross-country team.",
    "Parents' evening: Tuesday 19 January 2027. Please book a slot on the school app.",
    "Headteacher: Mrs Delphine Okafor",
]

ROOF_QUOTE: Final = [
    "Slatecraft Roofing: quotation Q-2291",
    "Date: 26 November 2026",
    "For: Mr and Mrs Adebayo, 5 Linnet Way, Fenwick FN4 6QA",
    "Work: replace 30 cracked and slipped tiles on the rear roof, renew the lead flashing "
    "around the chimney and clear the gutters.",
    "Scaffolding: 480 pounds (up for two weeks)",
    "Labour and materials: 1,640 pounds",
    "VAT at 20 per cent: 424 pounds",
    "Total including VAT: 2,544 pounds",
    "The work takes about 3 days, weather permitting, and has a 10 year guarantee.",
    "This quote is valid for 30 days. A deposit of 25 per cent is due when you book.",
    "Roofer: Aled Pritchard, 07700 900 562",
]

FRIDGE_NOTE: Final = [
    "Kofi,",
    "Back from Nan's on Sunday, about 6 pm.",
    "Feed the fish twice a day, just a pinch of flakes.",
    "The green recycling bin goes out on Thursday night.",
    "Lasagne in the freezer: 190 degrees for 50 minutes.",
    "Your dentist appointment is Friday at 3:15 pm at Parkside Dental.",
    "The spare key is with Gwen at number 12.",
    "Pocket money is in the blue tin: 20 pounds for the weekend.",
    "Love, Mum x",
]

PIANO_SLIP: Final = [
    "Fenwick School of Music: piano lessons, spring term 2027",
    "Pupil: Elif Demir",
    "Teacher: Mr Julian Ashdown",
    "Lessons: Mondays at 4:45 pm, 30 minutes each, starting 11 January 2027",
    "Term fee: 11 lessons at 21 pounds, 231 pounds, due by 4 January 2027",
    "Grade 3 piano exam: Saturday 20 March 2027, arrive 15 minutes early",
    "Exam pieces: Minuet in G, The Swan, Rainy Day Blues",
    "Missed lessons are not refunded unless cancelled 24 hours ahead.",
]

PENSION: Final = [
    "Northgate Pensions: your annual pension statement",
    "Dear Mrs Carys Llewellyn,",
    "Plan number: NGP-40682215",
    "Statement date: 30 November 2026",
    "Your pension pot was worth 48,732 pounds on 30 November 2026, up from 41,905 pounds a "
    "year earlier.",
    "Contributions this year: you paid 2,160 pounds and your employer, Halden Engineering, paid "
    "3,240 pounds.",
    "Selected retirement age: 67",
    "If you keep paying in at the same rate, we estimate an income of 6,400 pounds a year from "
    "age 67, in today's money.",
    "Your money is invested in the Northgate Lifestyle Growth fund. The annual management "
    "charge is 0.45 per cent.",
    "Beneficiary: Rhys Llewellyn",
    "Questions? Call us on 0345 600 2217, Monday to Friday, 9 am to 5 pm.",
]

MEDICINES: Final[dict[str, Any]] = {
    "title": "Medicines and allergies: the Brennan family",
    "allergies": ["Rosie (age 6): peanuts. She carries two EpiPen Junior pens.",
                  "Sean: penicillin.",
                  "Rosie's EpiPens expire in August 2027."],
    "table": [["Who", "Medicine", "Dose", "When"],
              ["Rosie", "Cetirizine liquid", "5 ml", "every morning"],
              ["Sean", "Amlodipine", "5 mg", "once a day, at night"],
              ["Grace", "Levothyroxine", "75 micrograms", "before breakfast"]],
    "fever": "Calpol Six Plus for Rosie: 5 ml a dose, no more than 4 doses in 24 hours.",
    "notes": ["GP: Dr Mensah, Hollybank Surgery, 01632 960 208",
              "Repeat prescriptions are collected from Fenwick Pharmacy on the 1st of the month."],
}

PASSPORTS: Final = [
    "Family passports and travel documents (the Varga family)",
    "Zoltan Varga: passport 538812907, expires 3 August 2027",
    "Helen Varga: passport 541170385, expires 19 November 2031",
    "Bence Varga (age 9): child passport 560248113, expires 28 May 2027",
    "Child passports last 5 years; adult passports last 10 years.",
    "Renewing online costs 88.50 pounds for an adult and 57.50 pounds for a child. Allow 3 weeks.",
    "GHIC health cards: all three valid until March 2030.",
    "The passports are kept in the grey document box on top of the wardrobe.",
    "Summer trip: Lake Balaton, flying out on 24 July 2027.",
]

ATTACHMENT: Final = "cottage-booking.eml/cottage-invoice.pdf"
"""Where the store keeps the mail's attached PDF (a document of its own, linked to the mail)."""

FILES: Final = {
    "tenancy-renewal.docx": "docx (key/value lines, a Word table)",
    "nursery-newsletter.odt": "odt (a table)",
    "slow-cooker-recipes.epub": "epub 3 (nav, 4 chapters)",
    "energy-bill.pdf": "pdf (a usage table)",
    "cottage-booking.eml": "eml (plain + HTML, PDF attached)",
    "cottage-invoice.pdf": "eml attachment (pdf, table)",
    "christmas-planner.xlsx": "xlsx (2 sheets)",
    "falcons-fixtures.ods": "ods (2 sheets)",
    "year7-welcome.pptx": "pptx (5 slides)",
    "biscuit-vaccination-card.png": "scanned card (png, 200 dpi)",
    "dishwasher-manual-page.pdf": "pdf (manual page, table)",
    "school-report-scan.pdf": "scanned pdf (200 dpi, skewed)",
    "roof-quote-photo.jpg": "photo (jpg, skewed, noisy)",
    "fridge-note.tiff": "photo (tiff, italic note)",
    "piano-lessons-slip.webp": "photo (webp)",
    "pension-statement.rtf": "rtf letter",
    "medicines-and-allergies.md": "md (pipe table)",
    "passports.txt": "txt",
}
"""Each file a question may expect, and the format it stands for in the tables."""

REFERENCE: Final[dict[str, Any]] = {
    "tenancy-renewal.docx": [text for _, text in TENANCY],
    "nursery-newsletter.odt": [text for _, text in NURSERY],
    "slow-cooker-recipes.epub": RECIPES, "energy-bill.pdf": ENERGY_BILL,
    "cottage-booking.eml": COTTAGE_MAIL, ATTACHMENT: COTTAGE_INVOICE,
    "christmas-planner.xlsx": CHRISTMAS, "falcons-fixtures.ods": FIXTURES,
    "year7-welcome.pptx": YEAR7_SLIDES, "biscuit-vaccination-card.png": CAT_CARD,
    "dishwasher-manual-page.pdf": DISHWASHER, "school-report-scan.pdf": SCHOOL_REPORT,
    "roof-quote-photo.jpg": ROOF_QUOTE, "fridge-note.tiff": FRIDGE_NOTE,
    "piano-lessons-slip.webp": PIANO_SLIP, "pension-statement.rtf": PENSION,
    "medicines-and-allergies.md": MEDICINES, "passports.txt": PASSPORTS,
}
"""The text each stored document was written from (for the fidelity column; the block kinds of
the docx and odt left out)."""


def questions() -> dict[str, Any]:
    """The labelled questions, every one in the frozen test split."""
    from benchmarks.formats_holdout3_questions import ABSENT, GROUNDED  # noqa: PLC0415

    grounded = [{"doc": d, "q": q, "expect": e, "split": "test"} for d, q, e in GROUNDED]
    absent = [{"q": q, "split": "test"} for q in ABSENT]
    return {"seed": SEED, "set": "holdout3", "grounded": grounded, "absent": absent}
