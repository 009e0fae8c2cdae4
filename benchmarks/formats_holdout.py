"""The documents_formats benchmark's held-out set: new documents and questions, all frozen test.

Written by a helper who had not seen the readers, the ranking or the answering code, after the
first set (`formats_corpus`) had been used for tuning. Every question here is in the test split
and is run once, at the end. `python -m benchmarks.formats_make --set=holdout` writes the files
under `benchmarks/data/formats_holdout/documents/` and `questions.json` beside them.
"""

from __future__ import annotations

from typing import Any, Final

SEED: Final = 2407
"""The seed of the scans' and photos' noise (there is no split to draw: all is test)."""

BOILER: Final[dict[str, Any]] = {
    "title": "Brightflame Heating Ltd: annual boiler service report",
    "paragraphs": [
        "Customer: Daniel Fairweather, 9 Wrenfield Avenue, Ashcombe AC4 7PL",
        "Engineer: Callum Whitby, Gas Safe registration number 604417",
        "Date of visit: 18 October 2026",
        "Boiler: Worcester Bosch Greenstar 30i combi, fitted in 2017, in the kitchen cupboard.",
        "The system pressure was low, so it was topped up from 0.6 bar to 1.3 bar.",
        "The condensate pipe runs outside and should be lagged before winter so that it does "
        "not freeze.",
        "Next service due: October 2027",
        "Charge for this visit: 89 pounds, paid by card.",
    ],
    "table": [["Check", "Result", "Engineer's note"],
              ["Gas tightness", "Pass", "No leaks found"],
              ["Flue", "Pass", "Clear of obstructions"],
              ["Expansion vessel", "Advisory", "Recharge to 1 bar at the next visit"],
              ["Carbon monoxide alarm", "Fail", "Alarm has expired: replace within 7 days"]],
    "closing": ["Breakdowns and emergencies, day or night: 0330 088 4512"],
}

GYM: Final[dict[str, Any]] = {
    "title": "Peakform Leisure Club: membership agreement",
    "lines": [
        "Member: Imogen Fairweather",
        "Membership number: PF-338172",
        "Membership type: Off-peak single (weekdays before 4 pm, weekends all day)",
        "Start date: 1 November 2026",
        "Minimum term: 12 months",
        "Monthly fee: 34.99 pounds, collected by Direct Debit on the 1st of each month.",
        "After the minimum term, you may cancel by giving one full calendar month's notice in "
        "writing to membership@peakform.example.",
        "Membership can be frozen for up to 3 months in any year, at 5 pounds a month.",
        "A member may bring a guest for 8 pounds a visit, no more than four times a year.",
    ],
    "table": [["Day", "Opens", "Closes"],
              ["Monday to Friday", "6:00 am", "10:00 pm"],
              ["Saturday", "7:00 am", "8:00 pm"],
              ["Sunday", "8:00 am", "6:00 pm"],
              ["Bank holidays", "9:00 am", "4:00 pm"]],
}

DRYER_WARRANTY: Final = [
    "Valeron extended warranty certificate",
    "Product: Valeron HD850 heat pump tumble dryer",
    "Serial number: VHD850-22K-71934",
    "Date of purchase: 4 September 2026",
    "Retailer: Castlegate Appliances, Ashcombe",
    "Warranty reference: WX-4471-0962",
    "Cover lasts for up to 36 months from the date of purchase and includes parts, labour and "
    "call-out charges.",
    "Cover does not include accidental damage, fluff filters or door seals.",
    "To book a repair, call the Valeron care line on 0344 561 2090, Monday to Saturday, 8 am to "
    "8 pm.",
    "Please have the serial number ready: it is printed on the label inside the door.",
    "If the dryer cannot be repaired, we will replace it with a model of the same or a better "
    "specification.",
]

SWIMMING: Final[dict[str, Any]] = {
    "Timetable": [["Day", "Time", "Child", "Stage", "Teacher", "Pool"],
                  ["Monday", "16:30", "Milo", "Stage 5", "Rhian Ellis", "Main pool"],
                  ["Wednesday", "17:15", "Ada", "Stage 2", "Tomasz Nowak", "Learner pool"],
                  ["Saturday", "09:00", "Milo", "Stage 5", "Rhian Ellis", "Main pool"],
                  ["Saturday", "09:45", "Ada", "Stage 2", "Bethan Cole", "Learner pool"]],
    "Term fees": [["Child", "Lessons this term", "Fee this term", "Paid"],
                  ["Milo", 20, 143.00, "Yes"],
                  ["Ada", 10, 71.50, "Not yet"]],
    "Notes": [["Item", "Detail"],
              ["Venue", "Ashcombe Leisure Pool, Mill Lane"],
              ["Term", "6 January to 28 March 2027"],
              ["No lessons", "17 and 19 February (half term)"],
              ["Kit", "Swimming hat and goggles; no jewellery"],
              ["Missed lessons", "Not refunded; one catch-up lesson a term can be booked at "
                                 "reception"]],
}

TERM_DATES: Final[dict[str, Any]] = {
    "Term dates 2027-28": [["Term", "Starts", "Half term", "Ends"],
                           ["Autumn", "Thursday 2 September 2027", "25 to 29 October 2027",
                            "Friday 17 December 2027"],
                           ["Spring", "Tuesday 4 January 2028", "14 to 18 February 2028",
                            "Thursday 30 March 2028"],
                           ["Summer", "Tuesday 18 April 2028", "29 May to 2 June 2028",
                            "Friday 21 July 2028"]],
    "INSET days": [["Date", "Reason"],
                   ["Wednesday 1 September 2027", "Staff training"],
                   ["Monday 3 January 2028", "Staff training"],
                   ["Friday 26 May 2028", "Reports and planning"]],
    "School": [["Item", "Detail"],
               ["School", "Ashcombe Church of England Primary School"],
               ["Office phone", "01632 960 774"],
               ["School day", "8:45 am to 3:15 pm"],
               ["Breakfast club", "From 7:45 am, 4 pounds a day"]],
}

KITCHEN_SLIDES: Final = [
    ("Oakbeam Kitchens: your kitchen refit proposal",
     ["For Daniel and Imogen Fairweather, 9 Wrenfield Avenue, prepared by designer Leona Marsh "
      "on 12 November 2026"]),
    ("Your design",
     ["Shaker-style doors in sage green with brass handles",
      "Quartz worktops, 30 mm thick, in Calacatta white",
      "An island with a one and a half bowl sink and a boiling-water tap"]),
    ("Schedule",
     ["The old kitchen is stripped out from Monday 8 February 2027.",
      "Fitting takes about 3 weeks.",
      "You will be without a kitchen sink for about 10 days."]),
    ("Price",
     ["Total price: 14,850 pounds including VAT",
      "Deposit: 30 % (4,455 pounds) when you sign",
      "The balance is due on completion.",
      "This quote is valid until 31 December 2026."]),
    ("Contacts",
     ["Site manager: Gareth Pryce, 07700 900 419",
      "Showroom: Unit 6, Tanner's Yard, Ashcombe"]),
]

CUBS_SLIDES: Final = [
    ("1st Ashcombe Cubs: summer camp 2027",
     ["Friday 16 July to Sunday 18 July 2027 at Hollins Wood campsite, near Dunmere"]),
    ("Getting there",
     ["Meet at the scout hut on Briar Lane at 5:30 pm on the Friday.",
      "Parents collect their cubs from the campsite at 2 pm on the Sunday."]),
    ("Cost",
     ["Camp costs 65 pounds per cub, all meals included.",
      "A deposit of 20 pounds is due by 30 April 2027."]),
    ("Kit list",
     ["Sleeping bag, roll mat and a torch",
      "Full uniform and necker for the campfire",
      "No electronic devices and no sweets, please."]),
    ("Leaders",
     ["Camp leader: Akela (Sunita Varma), 07700 900 563",
      "First aider: Baloo (Owen Hartley)"]),
]

PLANTS: Final = [
    ("Watering", [
        "Water a peace lily when its leaves begin to droop, usually about once a week in "
        "summer.",
        "A snake plant needs water only every 3 to 4 weeks; too much water rots its roots.",
        "Use water at room temperature, never straight from the cold tap.",
    ]),
    ("Light", [
        "A fiddle-leaf fig wants bright, indirect light: stand it about 1 metre from a "
        "south-facing window.",
        "Cacti need at least 4 hours of direct sun every day.",
    ]),
    ("Feeding and repotting", [
        "Feed most houseplants once a month from March to September with a half-strength "
        "liquid feed.",
        "Repot in spring into a pot about 5 cm wider than the old one.",
        "Keep lilies away from cats: every part of the plant is poisonous to them.",
    ]),
]

TRAIN_MAIL: Final[dict[str, Any]] = {
    "from": "Northway Rail <bookings@northway-rail.example>",
    "to": "Daniel Fairweather <dan.fairweather@example.org>",
    "date": "Thu, 14 Jan 2027 18:05:00 +0000",
    "subject": "Your trip to Edinburgh: booking NWR7Q4K2",
    "body": [
        "Hello Daniel,",
        "Thank you for booking with Northway Rail. Your booking reference is NWR7Q4K2.",
        "Outward: Friday 26 March 2027, Ashcombe to Edinburgh Waverley, departs 07:12, arrives "
        "12:48, change at York.",
        "Return: Monday 29 March 2027, Edinburgh Waverley to Ashcombe, departs 15:30, arrives "
        "21:05.",
        "Passengers: 2 adults and 2 children, with a Family and Friends Railcard.",
        "Total paid: 212.40 pounds.",
        "Your e-tickets are attached as a PDF: show them on your phone or print them.",
        "You can change your seats free of charge until 6 pm on the day before you travel.",
        "Customer services: 0345 812 3344",
    ],
}

TICKETS: Final[dict[str, Any]] = {
    "title": "Northway Rail e-ticket: booking NWR7Q4K2",
    "header": ["Ticket type: Off-Peak Return",
               "Railcard: Family and Friends, number FF-6620193"],
    "table": [["Journey", "Date", "Coach", "Seats"],
              ["Ashcombe to York", "26 March 2027", "C", "41, 42, 43, 44"],
              ["York to Edinburgh", "26 March 2027", "F", "12, 13, 14, 15"],
              ["Edinburgh to Ashcombe", "29 March 2027", "B", "22, 23, 24, 25"]],
    "note": "Tickets are valid only on the trains shown.",
}

HOME_INSURANCE: Final[dict[str, Any]] = {
    "title": "Kestrel Home Insurance: policy schedule",
    "header": ["Policy number: KHI-77120-45",
               "Policyholders: Daniel and Imogen Fairweather",
               "Insured address: 9 Wrenfield Avenue, Ashcombe AC4 7PL",
               "Period of cover: 2 May 2026 to 1 May 2027",
               "Annual premium: 412.88 pounds, paid in 12 monthly instalments of 34.41 pounds"],
    "table": [["Cover", "Limit", "Excess"],
              ["Buildings", "500,000 pounds", "250 pounds"],
              ["Contents", "60,000 pounds", "100 pounds"],
              ["Escape of water", "Buildings limit", "450 pounds"],
              ["Subsidence", "Buildings limit", "1,000 pounds"],
              ["Possessions away from home", "5,000 pounds", "100 pounds"],
              ["Any single item", "2,000 pounds", "Nil"]],
    "sentences": [
        "If your home cannot be lived in after an insured event, we pay for alternative "
        "accommodation for up to 12 months.",
        "Legal expenses cover is included up to 50,000 pounds.",
        "Home emergency cover is not included in this policy.",
        "To make a claim, call 0800 316 5500, open 24 hours a day.",
    ],
}

COUNCIL_TAX_PAGES: Final = [
    ["Ashcombe District Council",
     "Council Tax bill 2027/28",
     "Account reference: 60417729",
     "Property: 9 Wrenfield Avenue, Ashcombe AC4 7PL",
     "Valuation band: D",
     "Annual charge: 2,184.50 pounds",
     "Instalments: 10 monthly payments of 218.45 pounds from 1 April 2027"],
    ["How your council tax is spent",
     "Ashcombe District Council: 12 per cent",
     "Wessex County Council: 74 per cent",
     "Police and fire service: 14 per cent",
     "Questions about your bill: call 01632 960 205.",
     "If you pay by Direct Debit, you can choose the 1st, 15th or 28th of the month."],
]

WEDDING: Final = [
    "Together with their families",
    "Eleanor Whitcombe and Jonah Adeyemi",
    "request the pleasure of the company of",
    "Daniel, Imogen, Milo and Ada Fairweather",
    "at their wedding on Saturday 11 September 2027 at 1:30 pm",
    "at St Bride's Church, Little Wenham,",
    "and afterwards at Wenham Barn for the reception.",
    "Dress code: garden party",
    "Please reply by 31 May 2027 to eleanor.jonah@example.org",
    "Gift list at Haywards, list number 20557",
]

HOSPITAL_LETTER: Final = [
    "Ashcombe General Hospital",
    "Orthopaedic Outpatients, Level 2, Maple Wing",
    "Patient: Mr Daniel Fairweather",
    "Hospital number: K4471093",
    "Your appointment: Tuesday 9 March 2027 at 2:40 pm",
    "Consultant: Ms Priyanka Desai",
    "Please bring a list of your medicines and wear loose clothing.",
    "The multi-storey car park costs 3 pounds for up to 4 hours.",
    "To change your appointment, call 01632 960 388.",
]

BROADBAND_SCREEN: Final = [
    "Skylink Broadband",
    "My contract",
    "Plan: Full Fibre 500",
    "Average download speed: 500 Mb/s",
    "Average upload speed: 74 Mb/s",
    "Monthly price: 29.99 pounds",
    "Each April the monthly price goes up by 3 pounds.",
    "Contract start: 20 June 2026",
    "Contract end: 19 December 2027",
    "Account number: SKB-5092-3317",
    "Router: Skylink Hub 6",
    "Help: call 0333 014 2200",
]

VET_RECORD: Final = [
    "Pickle: vaccination and health record",
    "Dog: cocker spaniel, born 3 March 2023",
    "Microchip number: 941000024577310",
    "Vet: Willowbank Veterinary Centre, 01632 960 642",
    "Annual booster (DHP and leptospirosis): last given 14 August 2026, next due 14 August "
    "2027.",
    "Kennel cough vaccine: given 14 August 2026, lasts 12 months.",
    "Rabies vaccine: given 2 June 2025, valid for 3 years (needed for the pet passport).",
    "Flea and worm treatment: one NexGard Spectra chew on the 1st of every month.",
    "Weight at the last visit: 13.6 kg.",
]

CAR_LOG: Final[dict[str, Any]] = {
    "title": "Our car: MOT and service log",
    "car": "Car: 2020 Volkswagen Touran, registration AB20 XKT",
    "mot": ["MOT test number: 8841 2275 6630",
            "Tested on 21 January 2027 at Ashcombe Motor Centre: pass, with advisories.",
            "MOT expiry date: 20 January 2028",
            "Mileage at test: 48,213 miles",
            "Advisories: front brake discs slightly worn; nearside rear tyre close to the "
            "legal limit."],
    "table": [["Date", "Garage", "Work", "Cost"],
              ["12 March 2025", "Ashcombe Motor Centre", "Interim service", "149 pounds"],
              ["3 February 2026", "Ashcombe Motor Centre", "Full service and brake fluid",
               "289 pounds"],
              ["21 January 2027", "Ashcombe Motor Centre", "MOT and two rear tyres",
               "226.50 pounds"]],
    "notes": ["Garage phone: 01632 960 917",
              "The cambelt is due to be changed at 60,000 miles."],
}

ATTACHMENT: Final = "edinburgh-train-booking.eml/train-tickets.pdf"
"""Where the store keeps the mail's attached PDF (a document of its own, linked to the mail)."""

FILES: Final = {
    "boiler-service-report.docx": "docx", "gym-membership.odt": "odt",
    "tumble-dryer-warranty.rtf": "rtf", "swimming-lessons.xlsx": "xlsx",
    "school-term-dates.ods": "ods", "kitchen-refit-proposal.pptx": "pptx",
    "cubs-summer-camp.odp": "odp", "houseplant-care.epub": "epub",
    "edinburgh-train-booking.eml": "eml", "train-tickets.pdf": "eml attachment (pdf, table)",
    "home-insurance-schedule.pdf": "pdf (table)",
    "council-tax-bill-scan.pdf": "scanned pdf (200 dpi, skewed)",
    "wedding-invitation-scan.pdf": "scanned pdf (300 dpi)",
    "hospital-letter-photo.jpg": "photo (jpg)",
    "broadband-contract-screenshot.png": "screenshot (png)",
    "pickle-vet-record.txt": "txt", "car-mot-log.md": "md",
}
"""Each file a question may expect, and the format it stands for in the tables."""

REFERENCE: Final[dict[str, Any]] = {
    "boiler-service-report.docx": BOILER, "gym-membership.odt": GYM,
    "tumble-dryer-warranty.rtf": DRYER_WARRANTY, "swimming-lessons.xlsx": SWIMMING,
    "school-term-dates.ods": TERM_DATES, "kitchen-refit-proposal.pptx": KITCHEN_SLIDES,
    "cubs-summer-camp.odp": CUBS_SLIDES, "houseplant-care.epub": PLANTS,
    "edinburgh-train-booking.eml": TRAIN_MAIL, ATTACHMENT: TICKETS,
    "home-insurance-schedule.pdf": HOME_INSURANCE,
    "council-tax-bill-scan.pdf": COUNCIL_TAX_PAGES, "wedding-invitation-scan.pdf": WEDDING,
    "hospital-letter-photo.jpg": HOSPITAL_LETTER,
    "broadband-contract-screenshot.png": BROADBAND_SCREEN,
    "pickle-vet-record.txt": VET_RECORD, "car-mot-log.md": CAR_LOG,
}
"""The text each stored document was written from (for the fidelity column)."""


def questions() -> dict[str, Any]:
    """The labelled questions, every one in the frozen test split."""
    from benchmarks.formats_holdout_questions import ABSENT, GROUNDED  # noqa: PLC0415

    grounded = [{"doc": d, "q": q, "expect": e, "split": "test"} for d, q, e in GROUNDED]
    absent = [{"q": q, "split": "test"} for q in ABSENT]
    return {"seed": SEED, "set": "holdout", "grounded": grounded, "absent": absent}
