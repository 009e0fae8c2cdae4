"""The documents_formats benchmark's fifth set (holdout5): new households' papers, all frozen test.

Written on 7 December 2026 by a helper who had not opened the readers, the ranking or the
answering code, nor any doc, nor any benchmark result. Other households, another town
(Kelsworth) and other subjects than the four earlier sets. `python -m
benchmarks.formats_make_holdout5` writes the files under `benchmarks/data/formats_holdout5/
documents/` and `questions.json` beside them; the questions are in `formats_holdout5_questions`.
"""

from __future__ import annotations

from typing import Any, Final

SEED: Final = 5151
"""The seed of the scans' and photos' noise (there is no split to draw: all is test)."""

CAR_HIRE: Final[list[tuple[str, Any]]] = [
    ("h1", "Roadway Car Rental: rental agreement"),
    ("p", "Hirer: Mr Gethin Pryce-Morgan"),
    ("p", "Agreement number: RCR-4471-0926"),
    ("p", "Vehicle: Skoda Octavia Estate, silver, registration KW26 HXT"),
    ("p", "Pick-up: Kelsworth Station branch, Friday 18 December 2026 at 10:00"),
    ("p", "Return: Kelsworth Station branch, Monday 28 December 2026 by 16:00"),
    ("p", "Mileage allowance: 250 miles a day; each extra mile is charged at 18p."),
    ("p", "Fuel policy: full to full. Return the car with a full tank, or we refuel it at "
          "2.45 pounds a litre plus a 20 pounds service fee."),
    ("p", "Additional driver: Mrs Carys Pryce-Morgan (no young driver surcharge)."),
    ("p", "The car must not be taken abroad without our written permission, and not onto "
          "ferries at all."),
    ("h2", "Charges"),
    ("table", [["Charge", "Amount", "Notes"],
               ["Car hire, 10 days", "412.00 pounds", "Paid online"],
               ["Collision damage waiver excess", "1,200 pounds", "Held on your card"],
               ["Excess reduction cover", "95.00 pounds", "Lowers the excess to 100 pounds"],
               ["Child booster seat", "36.00 pounds", "Fitted on collection"],
               ["Security deposit", "250 pounds", "Released 7 days after return"]]),
    ("p", "Breakdown and accident helpline, 24 hours: 0800 046 2719."),
    ("p", "Late return: after a 59 minute grace period, each late hour costs 15 pounds."),
]

BRACES: Final[list[tuple[str, Any]]] = [
    ("h1", "Kelsworth Orthodontics: treatment plan"),
    ("p", "Patient: Rhiannon Adeyemi-Hart, age 13"),
    ("p", "Orthodontist: Dr Lucian Moravec"),
    ("p", "Treatment: fixed upper and lower braces with clear ceramic brackets on the front "
          "teeth."),
    ("p", "Expected length of treatment: 20 months, then retainers."),
    ("p", "Retainers are worn every night for the first 12 months after the braces come off, "
          "then three nights a week."),
    ("p", "Avoid hard and sticky foods such as toffee, popcorn and whole apples; cut apples into "
          "slices instead."),
    ("p", "A broken bracket should be reported within 2 days; an emergency appointment is free "
          "during treatment."),
    ("h2", "Payments and appointments"),
    ("table", [["Stage", "Date", "Cost"],
               ["Fitting the braces", "Thursday 14 January 2027", "600 pounds"],
               ["Monthly plan, 20 payments", "From 1 February 2027", "95 pounds a month"],
               ["Adjustment checks, every 8 weeks", "First on 11 March 2027", "Included"],
               ["Retainers and removal", "About September 2028", "180 pounds"]]),
    ("p", "Missed appointments without 24 hours' notice are charged 30 pounds."),
    ("p", "Reception: 01632 960 445, open 8 am to 5:30 pm, Monday to Friday."),
]

WILLS_LETTER: Final = [
    "Haverley and Rusk Solicitors: your wills appointment",
    "Dear Mr and Mrs Okonkwo-Lindqvist,",
    "Our reference: HR/WL/30581",
    "Thank you for asking us to prepare your wills. Your appointment is with Ms Priyanka "
    "Desrosiers on Wednesday 13 January 2027 at 2:30 pm at our office, 7 Abbey Row, Kelsworth.",
    "Please allow about 90 minutes for the meeting.",
    "Our fixed fee is 450 pounds plus VAT for a pair of mirror wills, and 295 pounds plus VAT "
    "for each lasting power of attorney.",
    "Please bring a passport or driving licence each, and a recent utility bill showing your "
    "address.",
    "Before the meeting, please think about who you would like as executors and as guardians "
    "for Ezra and Maisie.",
    "Once signed, we will store the original wills in our strongroom free of charge.",
    "Parking is available in the Abbey Row car park behind the office; we will validate your "
    "ticket.",
    "If you need to rearrange, please call Tomasz on 01632 960 512 at least 2 working days "
    "before.",
    "Yours sincerely, Priyanka Desrosiers, Associate Solicitor",
]

SUBSCRIPTIONS: Final[dict[str, list[list[Any]]]] = {
    "Subscriptions": [["Service", "Who uses it", "Monthly cost", "Paid on", "Renews or ends"],
                      ["Netflix Standard", "Everyone", 12.99, "3rd", "Rolling"],
                      ["Spotify Family", "Mum, Dad, Zara", 19.99, "11th", "Rolling"],
                      ["Kelsworth Leisure swim pass", "Dad", 27.5, "1st",
                       "Ends 31 March 2027"],
                      ["Mobile phone, Zara", "Zara", 8.0, "22nd", "Contract ends August 2027"],
                      ["Cloud photo storage, 2 TB", "Mum", 7.99, "15th", "Rolling"],
                      ["Magazine: BBC Wildlife", "Theo", 4.5, "28th", "Ends June 2027"]],
    "Savings": [["Account", "Holder", "Balance", "Interest rate", "Notes"],
                ["Easy access saver", "Joint", 3120.4, "3.1 per cent",
                 "Holiday fund, for Portugal in July"],
                ["Junior ISA", "Theo", 1845.0, "3.6 per cent", "Grandad adds 20 pounds a month"],
                ["Junior ISA", "Zara", 2410.75, "3.6 per cent", "Locked until she is 18"],
                ["Premium Bonds", "Mum", 500.0, "Prizes", "Won 25 pounds in October"]],
    "Notes": [["Note"],
              ["Cancel the swim pass if Dad has not been for a month."],
              ["Review all subscriptions every January."]],
}

MEAL_PLAN: Final[dict[str, list[list[str]]]] = {
    "Dinners": [["Day", "Dinner", "Cook", "Pudding"],
                ["Monday", "Chickpea and spinach curry", "Nasrin", "Yoghurt"],
                ["Tuesday", "Fish finger wraps", "Kofi", "Fruit salad"],
                ["Wednesday", "Leftover curry with naan", "Nasrin", "None"],
                ["Thursday", "Sausage and lentil casserole", "Kofi", "Apple crumble"],
                ["Friday", "Homemade pizza night", "Everyone", "Ice cream"],
                ["Saturday", "Takeaway, Lucky Star Chinese", "Nobody", "None"],
                ["Sunday", "Roast chicken with all the trimmings", "Grandma Efua",
                 "Sticky toffee pudding"]],
    "Shopping": [["Item", "Quantity", "Shop"],
                 ["Chickpeas", "3 tins", "Aldi"],
                 ["Fresh spinach", "2 bags", "Aldi"],
                 ["Sausages", "12", "Butcher on Mill Street"],
                 ["Whole chicken", "1.8 kg", "Butcher on Mill Street"],
                 ["Pizza bases", "4", "Aldi"],
                 ["Bramley apples", "1 kg", "Farmers market"]],
    "Budget": [["Item", "Amount"],
               ["Weekly food budget", "115 pounds"],
               ["Takeaway limit", "30 pounds"],
               ["Big shop day", "Saturday morning"]],
}

CRUISE_SLIDES: Final = [
    ("Bluewater Travel: your Norwegian fjords cruise", [
        "Prepared for Mr Hamish and Mrs Elspeth Dunleavy",
        "Ship: MV Northern Aurora",
        "Booking reference: BWT-77310"]),
    ("Dates and embarkation", [
        "Sailing from Southampton on Saturday 5 June 2027",
        "Check-in opens at 11:30 am; all aboard by 3:30 pm",
        "Back in Southampton on Saturday 12 June 2027: 7 nights"]),
    ("Ports of call", [
        "Stavanger on Monday 7 June",
        "Flaam on Tuesday 8 June, for the mountain railway",
        "Geiranger on Wednesday 9 June",
        "Bergen on Thursday 10 June"]),
    ("Your cabin and price", [
        "Balcony cabin 8142 on deck 8",
        "Price: 2,396 pounds for two, full board",
        "Drinks package: 39 pounds a person a day, optional",
        "Gratuities: 12 pounds a person a night, added to your onboard account"]),
    ("Before you travel", [
        "Balance due by 6 April 2027",
        "Passports must be valid for 3 months after you return",
        "Luggage labels arrive 2 weeks before departure",
        "Travel insurance is not included"]),
]

BOOK_CLUB_SLIDES: Final = [
    ("Kelsworth Library Book Club: 2027 programme", [
        "We meet on the last Tuesday of each month at 7 pm",
        "Upstairs in the Willow Room at Kelsworth Library",
        "Organiser: Bernadette Quaye"]),
    ("January to March", [
        "26 January: The Remains of the Day by Kazuo Ishiguro",
        "23 February: Hamnet by Maggie O'Farrell",
        "30 March: Small Things Like These by Claire Keegan"]),
    ("April to June", [
        "27 April: Demon Copperhead by Barbara Kingsolver",
        "25 May: Lessons in Chemistry by Bonnie Garmus",
        "29 June: summer social at The Old Ferry pub, no book"]),
    ("How it works", [
        "Membership is 12 pounds a year, which pays for tea and biscuits",
        "The library orders 10 copies of each book, to borrow free",
        "The person who chose the book leads the discussion"]),
    ("Suggestions", [
        "Send your suggestions for July onwards to Bernadette by 31 March",
        "Books should be under 400 pages and available in paperback"]),
]

SOURDOUGH: Final[list[tuple[str, list[str]]]] = [
    ("Before you begin", [
        "Crust and Crumb, by Ingrid Halvorsen: sourdough at home, week by week.",
        "You need a digital scale, a large bowl, a banneton proving basket and a cast iron pot "
        "with a lid.",
        "Use strong white bread flour with at least 12 per cent protein."]),
    ("Making a starter", [
        "Mix 50 g of wholemeal rye flour with 50 g of water in a clean jar.",
        "Feed it every 24 hours with the same again, throwing away half first.",
        "The starter is ready when it doubles in size within 6 hours of a feed, usually after "
        "7 to 10 days.",
        "Keep a mature starter in the fridge and feed it once a week."]),
    ("The basic loaf", [
        "Mix 500 g of flour, 350 g of water, 100 g of active starter and 10 g of salt.",
        "Stretch and fold the dough four times, 30 minutes apart.",
        "Let it rise at room temperature for 4 to 6 hours, until it has grown by half.",
        "Shape it, put it in the banneton and leave it in the fridge overnight."]),
    ("Baking", [
        "Heat the oven and the pot to 250 degrees for 45 minutes.",
        "Bake with the lid on for 20 minutes, then with the lid off for another 25 minutes at "
        "230 degrees.",
        "Wait at least an hour before cutting the loaf, or the crumb will be gummy."]),
    ("When things go wrong", [
        "A flat loaf usually means the dough rose for too long.",
        "Liquid on top of the starter is called hooch: stir it back in and feed the starter.",
        "Pink or orange streaks mean the starter has gone bad: throw it away and start again."]),
]

LESSONS_MAIL: Final[dict[str, Any]] = {
    "from": "Greenlight Driving School <bookings@greenlight-driving.example>",
    "to": "Tobias Eriksen-Byrne <toby.eb@postbox.example>",
    "date": "Thu, 3 Dec 2026 09:12:44 +0000",
    "subject": "Your driving lessons are booked: block GDS-6624",
    "body": [
        "Hi Tobias,",
        "Thanks for booking a block of 10 lessons with us. Your instructor is Fenella Achterberg, "
        "and she drives a dual-control Ford Fiesta.",
        "Your first lesson is on Tuesday 5 January 2027 at 4 pm. Fenella will pick you up from "
        "Kelsworth Sixth Form College.",
        "Each lesson lasts 2 hours.",
        "Please bring your provisional driving licence to every lesson, and wear flat shoes.",
        "If you need to cancel a lesson, tell us at least 48 hours before, or the lesson is "
        "charged in full.",
        "Your theory test is booked for Saturday 16 January 2027 at 9:40 am at the Kelsworth "
        "test centre.",
        "Your invoice is attached.",
        "Happy driving, Shauna, Greenlight Driving School, 01632 960 861",
    ],
}

LESSONS_INVOICE: Final[dict[str, Any]] = {
    "title": "Greenlight Driving School: invoice GDS-6624",
    "header": ["Pupil: Tobias Eriksen-Byrne",
               "Invoice date: 3 December 2026",
               "Paid by: Mrs Annika Eriksen (parent)"],
    "table": [["Item", "Price", "Status"],
              ["Block of 10 two-hour lessons", "680 pounds", "Paid"],
              ["Theory test booking", "23 pounds", "Paid"],
              ["Hazard perception app", "4.99 pounds", "Paid"],
              ["Mock test with an examiner", "75 pounds", "Due before the practical test"]],
    "sentences": ["Amount paid today: 707.99 pounds.",
                  "Unused lessons in a block can be refunded within 12 months."],
}

GAS_SAFETY: Final[dict[str, Any]] = {
    "title": "Landlord gas safety record",
    "header": ["Landlord: Mrs Beatrix Holloway-Nunn",
               "Tenant: Mr Oisin Kavanagh",
               "Property: Flat 5, 21 Tannery Lane, Kelsworth KW3 8RD",
               "Engineer: Dev Ramasamy, Gas Safe registration number 604418",
               "Date of check: 30 November 2026",
               "Next check due by: 29 November 2027"],
    "table": [["Appliance", "Location", "Result"],
              ["Combi boiler, Worcester Greenstar", "Kitchen cupboard", "Safe"],
              ["Gas hob, 4 burners", "Kitchen", "Safe"],
              ["Gas fire", "Living room", "At risk: turned off, do not use"],
              ["Carbon monoxide alarm", "Hallway", "Working"]],
    "sentences": [
        "The gas fire's flue is partly blocked; the landlord must have it repaired before it is "
        "used again.",
        "The boiler's working pressure was 1.2 bar.",
        "Keep this record for 2 years. A copy must be given to the tenant within 28 days of the "
        "check.",
    ],
}

POLLING_CARD: Final = [
    "Kelsworth District Council: your poll card",
    "Election of a county councillor for the Tannery ward",
    "Polling day: Thursday 6 May 2027",
    "Polling station: St Aidan's Church Hall, Brook Street",
    "Open from 7 am to 10 pm",
    "Name: Ms Adaeze Fairweather-Nkemelu",
    "Elector number: TW2-1187",
    "You do not need this card to vote, but it helps staff find you quickly.",
    "You must show photo ID to vote at a polling station, such as a passport, a driving "
    "licence or a bus pass for older people.",
    "To vote by post, apply by 5 pm on 20 April 2027.",
    "Electoral services: 01632 960 374",
]

OPTICIAN: Final[dict[str, Any]] = {
    "title": "ClearView Opticians: eye examination summary",
    "header": ["Patient: Mr Bartholomew Szabo",
               "Date of test: 2 December 2026",
               "Optometrist: Ms Yetunde Marchbank",
               "Next eye test recommended: December 2028"],
    "table": [["Eye", "Sphere", "Cylinder", "Axis"],
              ["Right", "-2.25", "-0.50", "180"],
              ["Left", "-1.75", "-0.75", "170"]],
    "sentences": [
        "Eye pressures were normal. There are no signs of glaucoma or cataract.",
        "You are short-sighted: wear your glasses for driving and watching television.",
        "Reading add: none needed yet.",
    ],
    "scanned_page": [
        "ClearView Opticians: spectacle order",
        "Customer: Bartholomew Szabo",
        "Order number: CV-90214",
        "Frames: Ray-Ban RB5154, tortoiseshell, 135 pounds",
        "Lenses: single vision, thinner 1.6 index, anti-glare coating, 110 pounds",
        "Spare pair offer: second pair from 39 pounds",
        "Total: 245 pounds, deposit paid 100 pounds",
        "Balance to pay on collection: 145 pounds",
        "Ready to collect: from Friday 18 December 2026",
        "Free adjustments for the life of the frames.",
    ],
}

STREET_PARTY: Final = [
    "Kelsworth District Council: temporary road closure",
    "Nightingale Road will be closed to traffic for a residents' street party.",
    "Date: Sunday 4 July 2027",
    "Closure times: 11 am to 7 pm",
    "Closed between: the Quarry Street junction and number 48",
    "Cars parked in the closed section must be moved by 10 am.",
    "Emergency vehicles will still have access at all times.",
    "Organiser: Lorna McAllister-Reid, 07700 900 418",
    "Bring a dish to share; tables and bunting are provided.",
    "Reference: TTRO/2027/0093",
]

DRY_CLEANING: Final = [
    "SPOTLESS DRY CLEANERS",
    "12 Market Square, Kelsworth",
    "Tel 01632 960 927",
    "Ticket no. 40771",
    "In  Mon 07/12/2026   Ready  Fri 11/12/2026",
    "Customer: PATEL-ROWE",
    "Wool overcoat             14.50",
    "2 piece suit              16.00",
    "Silk dress                12.75",
    "Duvet, king size          22.00",
    "TOTAL                     65.25",
    "PAID CASH",
    "Items not collected within 90 days",
    "will be given to charity.",
    "No ticket, no garment.",
]

MUSEUM_CARD: Final = [
    "Kelsworth Museum and Art Gallery",
    "Family membership card",
    "Members: Ravi and Helena Thorsby-Iqbal, and children",
    "Membership number: KM-F-20913",
    "Valid until: 30 November 2027",
    "Free entry to all exhibitions for 2 adults and up to 4 children",
    "10 per cent off in the cafe and shop",
    "Members' evenings: first Thursday of the month, 6 pm to 8 pm",
    "Not transferable. Show this card at the front desk.",
]

LIBRARY_HOURS: Final = [
    "Kelsworth Library: opening hours",
    "Monday: 9 am to 7 pm",
    "Tuesday: 9 am to 5 pm",
    "Wednesday: closed",
    "Thursday: 9 am to 7 pm",
    "Friday: 9 am to 5 pm",
    "Saturday: 9:30 am to 1 pm",
    "Sunday: closed",
    "Rhyme Time for under 5s: Fridays at 10:30 am",
    "Books can be borrowed for 3 weeks and renewed up to 5 times.",
    "Printing: 15p a page in black and white, 50p in colour.",
]

TECH_NOTES: Final[dict[str, Any]] = {
    "title": "Gadgets and wifi at 3 Cobble Mews (the Vasquez-Holt house)",
    "wifi": ["The wifi name is CobbleMews-5G and the password is on the card stuck to the "
             "back of the router.",
             "The router is in the hall cupboard, on the shelf above the electricity meter.",
             "If the internet drops, switch the router off, wait 30 seconds, and switch it on "
             "again.",
             "The broadband provider is Fibrelink; their help line is 0800 046 3350."],
    "table": [["Device", "Where", "Notes"],
              ["Printer, Brother HL-L2350", "Study", "Toner is TN-2420; spare in the "
                                                      "bottom drawer"],
              ["Smart speaker", "Kitchen", "Set up on Lucia's account"],
              ["Games console", "Living room", "Off at 8 pm on school nights"],
              ["Tablet, kids", "Charging drawer", "Parental PIN known to Mum and Dad only"]],
    "rules": ["Screens off at the table during meals.",
              "No phones in bedrooms after 9 pm; they charge on the landing."],
}

VEG_PATCH: Final = [
    "Veg patch notes (Moorcroft family, plot behind 16 Ferndale Close)",
    "Potatoes: Charlotte seed potatoes, chit them in February and plant in early April, 30 cm "
    "apart.",
    "Runner beans: sow indoors in late April, plant out after the last frost, usually mid May.",
    "Carrots: sow thinly in rows from April; cover with fleece against carrot fly.",
    "Tomatoes: Gardener's Delight in the greenhouse, feed once a week with tomato food when the "
    "first flowers appear.",
    "Garlic: plant the cloves in October, pointy end up, 2 cm deep; harvest in July.",
    "Rhubarb: do not pick any in the first year; after that, stop picking at the end of June.",
    "The water butt holds 200 litres; the hose tap is by the shed.",
    "Grandpa Wilf's tip: marigolds between the tomatoes keep the whitefly away.",
]

PANTO: Final[dict[str, Any]] = {
    "title": "Booking confirmed: Cinderella at the Kelsworth Playhouse",
    "table": [["Row", "Seat", "Ticket type", "Price"],
              ["F", "14", "Adult", "26.50 pounds"],
              ["F", "15", "Adult", "26.50 pounds"],
              ["F", "16", "Child under 16", "18.00 pounds"],
              ["F", "17", "Child under 16", "18.00 pounds"]],
    "sentences": [
        "Order number: KPH-558204, booked by Imelda Corrigan-Shaw.",
        "Performance: Tuesday 29 December 2026 at 2 pm. The show lasts about 2 hours 20 "
        "minutes, with one interval.",
        "Seats are in the stalls. Booking fee: 3 pounds. Total paid: 92.00 pounds.",
        "Your e-tickets will be sent 48 hours before the show; show the barcode at the door.",
        "Doors open 45 minutes before the start. Booster cushions for children are free at the "
        "cloakroom.",
        "The Playhouse car park on Dock Road costs 4 pounds for the afternoon.",
    ],
}

ATTACHMENT: Final = "driving-lessons-booking.eml/lessons-invoice.pdf"
"""Where the store keeps the mail's attached PDF (a document of its own, linked to the mail)."""

FILES: Final = {
    "car-hire-agreement.docx": "docx (key/value lines, a Word table)",
    "braces-treatment-plan.odt": "odt (a table)",
    "wills-appointment-letter.rtf": "rtf letter",
    "subscriptions-and-savings.xlsx": "xlsx (3 sheets)",
    "weekly-meal-plan.ods": "ods (3 sheets)",
    "fjords-cruise.pptx": "pptx (5 slides)",
    "book-club-programme.odp": "odp (5 slides)",
    "sourdough-guide.epub": "epub 3 (nav, 5 chapters)",
    "driving-lessons-booking.eml": "eml (plain + HTML, PDF attached)",
    "lessons-invoice.pdf": "eml attachment (pdf, table)",
    "gas-safety-record.pdf": "pdf (key/value header, a table)",
    "poll-card-scan.pdf": "scanned pdf (200 dpi, skewed)",
    "eye-test-and-glasses.pdf": "pdf (a table) + an image-only page",
    "road-closure-photo.jpg": "photo (jpg, skewed, noisy)",
    "dry-cleaning-ticket.png": "scanned ticket (png, 250 dpi)",
    "museum-membership-card.webp": "photo (webp)",
    "library-hours-photo.tiff": "photo (tiff)",
    "gadgets-and-wifi.md": "md (pipe table)",
    "veg-patch-notes.txt": "txt",
    "panto-tickets.html": "html (saved web page, a table)",
}
"""Each file a question may expect, and the format it stands for in the tables."""

REFERENCE: Final[dict[str, Any]] = {
    "car-hire-agreement.docx": [text for _, text in CAR_HIRE],
    "braces-treatment-plan.odt": [text for _, text in BRACES],
    "wills-appointment-letter.rtf": WILLS_LETTER,
    "subscriptions-and-savings.xlsx": SUBSCRIPTIONS, "weekly-meal-plan.ods": MEAL_PLAN,
    "fjords-cruise.pptx": CRUISE_SLIDES, "book-club-programme.odp": BOOK_CLUB_SLIDES,
    "sourdough-guide.epub": SOURDOUGH, "driving-lessons-booking.eml": LESSONS_MAIL,
    ATTACHMENT: LESSONS_INVOICE, "gas-safety-record.pdf": GAS_SAFETY,
    "poll-card-scan.pdf": POLLING_CARD, "eye-test-and-glasses.pdf": OPTICIAN,
    "road-closure-photo.jpg": STREET_PARTY, "dry-cleaning-ticket.png": DRY_CLEANING,
    "museum-membership-card.webp": MUSEUM_CARD, "library-hours-photo.tiff": LIBRARY_HOURS,
    "gadgets-and-wifi.md": TECH_NOTES, "veg-patch-notes.txt": VEG_PATCH,
    "panto-tickets.html": PANTO,
}
"""The text each stored document was written from (for the fidelity column; the block kinds of
the docx and odt left out)."""


def questions() -> dict[str, Any]:
    """The labelled questions, every one in the frozen test split."""
    from benchmarks.formats_holdout5_questions import ABSENT, GROUNDED  # noqa: PLC0415

    grounded = [{"doc": d, "q": q, "expect": e, "split": "test"} for d, q, e in GROUNDED]
    absent = [{"q": q, "split": "test"} for q in ABSENT]
    return {"seed": SEED, "set": "holdout5", "grounded": grounded, "absent": absent}
