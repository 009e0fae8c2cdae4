"""The documents_formats benchmark's fourth set (holdout4): new households' papers, all frozen test.

Written on 7 December 2026 by a helper who had not opened the readers, the ranking or the
answering code, nor the documents/responding/benchmarks docs, nor any benchmark result. Other
households and other subjects than the three earlier sets. `python -m benchmarks.formats_make
--set=holdout4` writes the files under `benchmarks/data/formats_holdout4/documents/` and
`questions.json` beside them; the questions are in `formats_holdout4_questions`.
"""

from __future__ import annotations

from typing import Any, Final

SEED: Final = 4242
"""The seed of the scans' and photos' noise (there is no split to draw: all is test)."""

MORTGAGE: Final[list[tuple[str, Any]]] = [
    ("h1", "Thornbury Building Society: mortgage offer"),
    ("p", "Applicants: Aisha and Daniel Whitcombe"),
    ("p", "Property: 18 Sorrel Gardens, Ashcombe AS4 2JW"),
    ("p", "Offer reference: TBS-M-558190"),
    ("p", "Offer date: 24 November 2026"),
    ("p", "This offer is valid until 24 May 2027. If the purchase has not completed by then, you "
          "will need to apply again."),
    ("p", "Loan amount: 236,000 pounds over a term of 30 years, repaid monthly on a capital and "
          "interest basis."),
    ("p", "Purchase price: 295,000 pounds, so your deposit is 59,000 pounds (20 per cent)."),
    ("p", "An arrangement fee of 999 pounds is payable on completion."),
    ("p", "Early repayment charges apply during the fixed rate: 3 per cent of the amount repaid in "
          "years 1 and 2, and 2 per cent in years 3 to 5. You may overpay up to 10 per cent of "
          "the balance each year without a charge."),
    ("h2", "Your interest rates"),
    ("table", [["Period", "Rate", "Type", "Monthly payment"],
               ["Until 31 January 2032", "4.19 per cent", "Fixed", "1,153.42 pounds"],
               ["From 1 February 2032", "6.49 per cent", "Standard variable rate",
                "1,417.80 pounds (estimated)"]]),
    ("p", "Buildings insurance must be in place from the day contracts are exchanged."),
    ("p", "Your mortgage adviser is Kieran Lott at Ashcombe Home Finance, 01632 960 512."),
]

HALL_HIRE: Final[list[tuple[str, Any]]] = [
    ("h1", "St Barnabas Community Hall: hire agreement"),
    ("p", "Hirer: Megan Ostrowski, 9 Larch Avenue, Ashcombe"),
    ("p", "Event: Tilly's 7th birthday party"),
    ("p", "Date of hire: Saturday 13 February 2027, 1 pm to 5 pm, including setting up and "
          "clearing away."),
    ("p", "Booking secretary: Mr Desmond Achebe, 01632 960 387"),
    ("p", "The main hall holds up to 80 people. The small kitchen has a fridge, a hot water urn "
          "and an oven, but no dishwasher."),
    ("p", "Bouncy castles are allowed inside only if the hirer has public liability insurance."),
    ("p", "No confetti, glitter or candles, except candles on the birthday cake."),
    ("p", "Collect the key from the Post Office on the Friday before the party, and post it back "
          "through the letterbox of 2 Church Lane afterwards."),
    ("p", "All rubbish must be taken home: the hall's bins are for the playgroup only."),
    ("h2", "Charges"),
    ("table", [["Item", "Cost", "When to pay"],
               ["Hall hire, 4 hours at 18 pounds an hour", "72 pounds", "With the booking form"],
               ["Damage deposit", "100 pounds", "With the booking form; returned within 14 days"],
               ["Use of the kitchen", "10 pounds", "On the day"],
               ["Each extra hour", "25 pounds", "Within a week of the party"]]),
]

JURY: Final = [
    "HM Courts and Tribunals Service: jury summons",
    "Dear Mr Tobias Fennimore,",
    "Juror number: 5093-082",
    "You are summoned for jury service at Ashcombe Crown Court, Quay Street, Ashcombe AS1 3PB.",
    "First day: Monday 8 March 2027. Please arrive at 9:15 am at the jury assembly area.",
    "Jury service normally lasts up to 10 working days, but some trials take longer.",
    "Reply within 7 days of receiving this summons, online or with the enclosed form.",
    "You may ask to defer your service once, to a date within the next 12 months.",
    "Loss of earnings: you can claim up to 64.95 pounds a day for the first 10 days.",
    "Travel: bus and train fares are paid in full; if you drive, you can claim 31.4p a mile.",
    "Food and drink: you can claim up to 5.71 pounds a day.",
    "Bring this letter and photo ID on your first day. Mobile phones must be switched off in "
    "court.",
    "Jury Central Summoning Bureau: 0300 456 1024",
]

CHORES: Final[dict[str, list[list[Any]]]] = {
    "Chores": [["Chore", "Who", "Day", "Points"],
               ["Empty the dishwasher", "Poppy", "Every day", 2],
               ["Feed the rabbits", "Idris", "Every day", 2],
               ["Hoover the stairs", "Mabel", "Saturday", 5],
               ["Put the bins out", "Idris", "Tuesday", 3],
               ["Clean the bathroom sink", "Poppy", "Sunday", 4],
               ["Water the tomatoes", "Mabel", "Every evening", 1]],
    "Pocket money": [["Child", "Age", "Weekly pocket money", "Saved so far", "Saving for",
                      "Target"],
                     ["Poppy", 13, 8.0, 46.5, "Concert ticket", 65.0],
                     ["Idris", 10, 5.0, 31.25, "Nintendo game", 49.99],
                     ["Mabel", 7, 3.0, 12.0, "Roller skates", 35.0]],
    "Rules": [["Rule"],
              ["Pocket money is paid on Friday after tea."],
              ["Every 10 points over 20 in a week earns a 50p bonus."],
              ["A skipped chore means no screen time the next day."]],
}

TRAINING: Final[dict[str, list[list[str]]]] = {
    "Plan": [["Week", "Week starting", "Tuesday", "Thursday", "Sunday long run"],
             ["1", "4 January 2027", "20 min easy", "30 min with 4 hill sprints", "5 km"],
             ["2", "11 January 2027", "25 min easy", "6 x 400 m intervals", "6 km"],
             ["3", "18 January 2027", "30 min easy", "35 min tempo", "7 km"],
             ["4", "25 January 2027", "Rest", "20 min easy", "4 km recovery"],
             ["5", "1 February 2027", "40 min easy", "8 x 400 m intervals", "8 km"],
             ["6", "8 February 2027", "20 min easy", "Rest", "Race day: 10 km"]],
    "Race": [["Item", "Detail"],
             ["Race", "Ashcombe Riverside 10K"],
             ["Runner", "Farah Lindgren"],
             ["Date", "Sunday 14 February 2027"],
             ["Start", "9:30 am, from the rowing club"],
             ["Race numbers", "Collect on Friday 12 February, 10 am to 4 pm, at Stride Running"],
             ["Entry fee", "28 pounds, paid"],
             ["Target time", "Under 55 minutes"],
             ["Bag drop", "Closes at 9 am"]],
}

SOLAR_SLIDES: Final = [
    ("Brightwater Solar: your home solar proposal", [
        "Prepared for Harjit and Simran Kaur, 27 Wren Street, Ashcombe",
        "Surveyor: Callum Reyes",
        "Proposal date: 30 November 2026"]),
    ("Your system", [
        "10 panels of 435 watts: a 4.35 kW system on the south-facing roof",
        "Inverter: Solis 3.6 kW hybrid",
        "Battery: 5.1 kWh, fitted in the garage"]),
    ("Price", [
        "Panels, inverter and fitting: 6,480 pounds",
        "Battery: 2,950 pounds",
        "Bird mesh: 320 pounds",
        "No VAT is charged on solar panels and batteries",
        "Total: 9,750 pounds"]),
    ("What you could save", [
        "Expected generation: about 3,900 kWh a year",
        "Estimated saving on bills: 780 pounds a year",
        "Payback in about 12 years"]),
    ("Next steps", [
        "Installation takes 2 days; the scaffolding goes up the week before",
        "A 30 per cent deposit secures your date",
        "Panels are guaranteed for 25 years, the inverter for 10 years",
        "Earliest installation date: 22 February 2027"]),
]

CHOIR_SLIDES: Final = [
    ("Ashcombe Community Choir: spring concert", [
        "Saturday 20 March 2027 at 7:30 pm",
        "Venue: the Corn Exchange, Ashcombe",
        "Musical director: Imogen Thackeray"]),
    ("On the day", [
        "Call time: 5:45 pm at the stage door, for the sound check",
        "Dress: all black, with the choir's green scarf",
        "Bring your folder and a bottle of water"]),
    ("Programme", [
        "First half: Eternal Source of Light, Shenandoah, The Parting Glass",
        "Second half: a medley from The Greatest Showman",
        "Interval: 20 minutes; the raffle is drawn at the end"]),
    ("Tickets", [
        "Adults 14 pounds, under 16s 6 pounds",
        "Each singer has 4 tickets to sell",
        "Ticket money goes to the treasurer, Paul Ndlovu, by 6 March"]),
    ("Rehearsals", [
        "Extra rehearsal: Sunday 14 March, 2 pm to 5 pm, at Ashcombe Methodist Church",
        "Sopranos: learn the descant for Shenandoah by heart"]),
]

BIKE_GUIDE: Final[list[tuple[str, list[str]]]] = [
    ("About this guide", [
        "Keep Rolling, by Owen Pemberton: simple bike care for the whole family.",
        "Give every bike the ABC check before each ride: A for air in the tyres, B for brakes "
        "and C for chain.",
        "A basic toolkit needs a track pump, a set of Allen keys, two tyre levers and a "
        "puncture repair kit."]),
    ("Tyres", [
        "Road bike tyres run at 80 to 100 psi; mountain bike tyres at 25 to 35 psi; children's "
        "bikes at about 40 psi.",
        "The right pressure is printed on the side wall of the tyre.",
        "Replace a tyre when you can see the threads of the casing, or after about 3,000 "
        "miles."]),
    ("Chains", [
        "Clean and oil the chain every 2 weeks, and after every wet ride.",
        "Put a drop of chain oil on each link, then wipe off the extra with a rag.",
        "A chain stretches as it wears; replace it about every 2,000 miles."]),
    ("Brakes", [
        "Rim brake pads have grooves; replace the pads when the grooves have worn away.",
        "Squeeze the brake lever: it should stop at least 2 cm before it touches the "
        "handlebar.",
        "Replace disc brake pads when they are thinner than 1.5 mm."]),
    ("Mending a puncture", [
        "Find the hole by pumping up the tube and listening, or hold it under water and look "
        "for bubbles.",
        "Roughen the rubber with sandpaper, spread a thin layer of glue, wait 5 minutes until "
        "it is dry, then press the patch on hard.",
        "Before refitting, run your fingers round the inside of the tyre to find the thorn or "
        "glass that caused the puncture."]),
]

SOFA_MAIL: Final[dict[str, Any]] = {
    "from": "Hearth and Home Furniture <deliveries@hearthandhome.example>",
    "to": "Bethan Moriarty <bethan.moriarty@mailbox.example>",
    "date": "Tue, 1 Dec 2026 16:20:05 +0000",
    "subject": "Your sofa delivery: order HH-302718",
    "body": [
        "Dear Bethan,",
        "Good news: your Langdale 3-seater sofa in sage velvet is ready for delivery.",
        "Delivery date: Thursday 17 December 2026, between 7 am and 1 pm. Our driver will phone "
        "you about 30 minutes before arriving.",
        "Please measure your doorways: the sofa needs an opening at least 80 cm wide.",
        "Our two-person team will carry the sofa to the room of your choice, unwrap it and take "
        "the packaging away.",
        "We can also take away your old sofa for 45 pounds; please reply to this e-mail by "
        "10 December if you would like this.",
        "To change the delivery day, call us on 01632 960 694 at least 48 hours before.",
        "Your receipt is attached.",
        "Kind regards, Marek Duda, Hearth and Home Furniture",
    ],
}

SOFA_RECEIPT: Final[dict[str, Any]] = {
    "title": "Hearth and Home Furniture: order HH-302718",
    "header": ["Customer: Bethan Moriarty",
               "Delivery address: 41 Aldous Road, Ashcombe AS2 7HN",
               "Order date: 2 November 2026"],
    "table": [["Item", "Price", "Status"],
              ["Langdale 3-seater sofa, sage velvet", "1,299 pounds", "Paid"],
              ["Matching footstool", "249 pounds", "Paid"],
              ["Fabric protection, 5 years", "89 pounds", "Paid"],
              ["Delivery", "39 pounds", "Paid"]],
    "sentences": ["Total paid: 1,676 pounds.",
                  "The sofa frame is guaranteed for 10 years."],
}

PAYSLIP: Final[dict[str, Any]] = {
    "title": "Ashcombe District Council: payslip",
    "header": ["Employee: Lorcan Fairley",
               "Employee number: 200417",
               "Job title: Library assistant",
               "Pay date: 27 November 2026",
               "Tax period: month 8",
               "Tax code: 1257L",
               "National Insurance number: QQ 12 34 56 C"],
    "table": [["Payments and deductions", "This month", "Year to date"],
              ["Basic pay", "2,214.00 pounds", "17,712.00 pounds"],
              ["Overtime", "96.40 pounds", "412.75 pounds"],
              ["Income tax", "253.80 pounds", "1,987.20 pounds"],
              ["National Insurance", "87.12 pounds", "702.40 pounds"],
              ["Pension (LGPS)", "127.06 pounds", "1,010.00 pounds"]],
    "sentences": [
        "Net pay: 1,842.42 pounds, paid into the account ending 3096.",
        "Annual leave left this year: 11.5 days.",
        "Your pay rise of 3.2 per cent from April will be back-paid with your December pay.",
        "Questions about your pay: payroll team, 01632 960 230.",
    ],
}

TV_LICENCE: Final = [
    "TV Licensing: your TV Licence",
    "Licence number: 8806 2193 5547",
    "Name: Mr Anselm Whitlock",
    "Address: Flat 2, 63 Mill Street, Ashcombe AS3 9QE",
    "Valid from: 1 January 2027",
    "Expires: 31 December 2027",
    "Cost: 174.50 pounds, paid by monthly Direct Debit",
    "Your payments: 14.54 pounds a month, taken on the 1st of each month",
    "This licence covers watching or recording live TV on any channel, and using BBC iPlayer, "
    "on any device at this address.",
    "If you move house, tell us at least 2 weeks before, so that your licence moves with you.",
    "If you are 75 or over and receive Pension Credit, you may be able to get a free licence.",
    "Enquiries: 0300 790 6112",
]

HOLIDAY_CLUB: Final[dict[str, Any]] = {
    "title": "Funtastic Holiday Club: Easter 2027 booking",
    "header": ["Parent: Sinead Okorie",
               "Child: Reuben Okorie, age 8",
               "Booking reference: FHC-27-0419",
               "Venue: Ashcombe Leisure Centre, Station Road"],
    "table": [["Date", "Activity", "Hours", "Cost"],
              ["Tuesday 30 March 2027", "Multi-sports", "9 am to 3 pm", "32 pounds"],
              ["Wednesday 31 March 2027", "Swimming and pool games", "9 am to 3 pm",
               "34 pounds"],
              ["Thursday 1 April 2027", "Trip to Oakridge Farm Park", "8:30 am to 4 pm",
               "41 pounds"]],
    "sentences": [
        "Early drop-off from 8 am costs 5 pounds a day.",
        "Please bring a packed lunch with no nuts, a water bottle and a sun hat.",
        "On the trip day, children must be at the leisure centre by 8:15 am; the coach leaves "
        "at 8:30 am.",
    ],
    "scanned_page": [
        "Funtastic Holiday Club: medical and consent form",
        "Child: Reuben Okorie",
        "Date of birth: 9 October 2018",
        "Allergies: none known",
        "Medical needs: mild asthma; his blue inhaler is in the front pocket of his rucksack",
        "Doctor: Dr Varsha Pillai, Mill Lane Surgery",
        "Emergency contact: Femi Okorie (dad), 07700 900 846",
        "May be collected by: Sinead or Femi Okorie, or Grandma Ruth Cassidy",
        "Photos: yes for the club's newsletter, but not for social media",
        "Password for collection: pineapple",
        "Signed: Sinead Okorie, 12 January 2027",
    ],
}

PLANNING_NOTICE: Final = [
    "Ashcombe Borough Council: notice of a planning application",
    "Application number: 26/01583/HOUS",
    "Site: 15 Juniper Close, Ashcombe AS5 1NF",
    "Proposal: a single storey rear extension 4 metres deep, and a loft conversion with a rear "
    "dormer window.",
    "Applicant: Mr and Mrs Osei-Bonsu",
    "Comments must reach the council by 8 January 2027.",
    "You can see the plans and comment online, or at the Town Hall from 9 am to 4 pm on "
    "weekdays.",
    "Only planning matters, such as light, privacy and parking, can be taken into account.",
    "Case officer: Ms Roisin Fairclough, 01632 960 158",
    "Date of notice: 11 December 2026",
]

GARDEN_RECEIPT: Final = [
    "GREENACRE GARDEN CENTRE",
    "Ashcombe Road, Ashcombe",
    "Tel 01632 960 733",
    "Date 05/12/2026   Time 14:52",
    "Till 3   Served by Jasmine",
    "Compost 50L x2           13.98",
    "Nordmann fir tree 6ft    54.99",
    "Tree stand               19.99",
    "Holly wreath             22.50",
    "Bird seed 2kg             7.49",
    "TOTAL                   118.95",
    "Paid by Visa ending 6682",
    "Loyalty points earned: 118",
    "Trees cannot be returned after 7 days.",
    "Plants have a 1 year guarantee.",
    "Please keep this receipt.",
]

DELIVERY_CARD: Final = [
    "Parcelwise: sorry we missed you",
    "To: Tamsin Royle, 4 Beacon Terrace",
    "We called on: Wednesday 9 December at 11:40 am",
    "Item: a parcel that needs a signature",
    "Your item is at: Ashcombe Delivery Office, Unit 6, Canal Wharf",
    "Collect from: Friday 11 December, after 12 noon",
    "Opening hours: Monday to Saturday, 7 am to 2 pm",
    "Bring this card and photo ID.",
    "Tracking number: PW 8842 6719 GB",
    "We keep items for 18 days, then return them to the sender.",
]

BUS_TIMES: Final = [
    "Ashcombe Buses: route 17, Hollins Park to Town Centre",
    "Times valid from 4 January 2027",
    "Monday to Friday: first bus 06:50, then every 20 minutes, last bus 22:10",
    "Saturday: first bus 07:30, then every 30 minutes, last bus 21:40",
    "Sunday: every hour from 09:15 to 18:15",
    "Journey time to the Town Centre: about 25 minutes",
    "Fares: single 2 pounds, child single 1 pound, day ticket 5.50 pounds",
    "Stops: Hollins Park, Westfield School, Ashcombe Hospital, Railway Station, Town Centre",
    "No buses run on 25 and 26 December.",
    "Customer line: 01632 960 904",
]

HOUSE_NOTES: Final[dict[str, Any]] = {
    "title": "House notes: 22 Foxglove Road (the Marchetti family)",
    "where": ["The water stopcock is under the kitchen sink, behind the bleach.",
              "The fuse box is in the cupboard under the stairs; the trip switch for the "
              "sockets is the third from the left.",
              "The gas meter is in the white box outside by the front door; its key hangs on "
              "the hook in the utility room.",
              "Spare fuses and light bulbs are in the top drawer of the dresser."],
    "table": [["Job", "Who", "Phone"],
              ["Plumber", "Dario Conti", "07700 900 271"],
              ["Electrician", "Sparks and Co, ask for Nadine", "01632 960 619"],
              ["Locksmith", "KeyFast Ashcombe", "01632 960 880"],
              ["Window cleaner", "Billy Hancock, every 4 weeks, 18 pounds", "07700 900 733"]],
    "heating": ["The heating comes on at 6:30 am and at 5 pm; the thermostat is set to 19 "
                "degrees.",
                "The boiler pressure should be between 1 and 1.5 bar."],
    "safety": ["The burglar alarm code is not written here: ask Mum.",
               "The smoke alarms were last tested on 1 November 2026; test them on the first "
               "of each month."],
}

BIRTHDAYS: Final = [
    "Birthdays and sizes (the Quinlan family)",
    "Grandpa Seamus: birthday 2 February, and he turns 80 in 2027. He likes crosswords and "
    "Irish whiskey.",
    "Auntie Orla: birthday 19 April. Jumper size medium.",
    "Niamh (age 12): birthday 7 September. Shoe size 5, clothes age 13 to 14.",
    "Ciaran (age 9): birthday 23 June. Shoe size 2, clothes age 9 to 10. Allergic to wool.",
    "Baby Aoife: born 30 December 2025. Clothes 12 to 18 months.",
    "Mum (Deirdre): ring size N, dress size 12.",
    "Dad (Padraig): shirt collar 16 inches, shoe size 10.",
    "Wedding anniversary: 14 August (married in 2011).",
    "Presents are hidden in the suitcase under the spare bed.",
]

BINS: Final[dict[str, Any]] = {
    "title": "Your bin collection days: 8 Heron Way, Ashcombe",
    "table": [["Bin", "Colour", "Collected", "Next collection"],
              ["General waste", "Black bin", "Every other Monday", "Monday 4 January 2027"],
              ["Recycling", "Blue bin", "Every other Monday",
               "Tuesday 29 December 2026 (moved for Christmas)"],
              ["Garden waste", "Brown bin", "Every other Friday, March to November",
               "Friday 5 March 2027"],
              ["Food waste", "Green caddy", "Every Monday", "Monday 4 January 2027"]],
    "sentences": [
        "Put your bins out by 6:30 am on collection day, with the lid closed.",
        "Garden waste needs a permit: 48 pounds a year, renewed by 28 February.",
        "Christmas trees can go in the garden waste bin if cut into pieces under 1 metre long, "
        "or take them to the Hollins Lane recycling centre.",
        "Report a missed bin within 2 working days.",
    ],
}

ATTACHMENT: Final = "sofa-delivery.eml/sofa-order-receipt.pdf"
"""Where the store keeps the mail's attached PDF (a document of its own, linked to the mail)."""

FILES: Final = {
    "mortgage-offer.docx": "docx (key/value lines, a Word table)",
    "hall-hire-agreement.odt": "odt (a table)",
    "jury-summons.rtf": "rtf letter",
    "chores-and-pocket-money.xlsx": "xlsx (3 sheets)",
    "10k-training-plan.ods": "ods (2 sheets)",
    "solar-panels-proposal.pptx": "pptx (5 slides)",
    "choir-concert.odp": "odp (5 slides)",
    "bike-care-guide.epub": "epub 3 (nav, 5 chapters)",
    "sofa-delivery.eml": "eml (plain + HTML, PDF attached)",
    "sofa-order-receipt.pdf": "eml attachment (pdf, table)",
    "payslip-november.pdf": "pdf (key/value header, a table)",
    "tv-licence-scan.pdf": "scanned pdf (200 dpi, skewed)",
    "holiday-club-booking.pdf": "pdf (a table) + an image-only page",
    "planning-notice-photo.jpg": "photo (jpg, skewed, noisy)",
    "garden-centre-receipt.png": "scanned receipt (png, 250 dpi)",
    "missed-delivery-card.webp": "photo (webp)",
    "bus-timetable-photo.tiff": "photo (tiff)",
    "house-notes.md": "md (pipe table)",
    "birthdays-and-sizes.txt": "txt",
    "bin-collections.html": "html (saved web page, a table)",
}
"""Each file a question may expect, and the format it stands for in the tables."""

REFERENCE: Final[dict[str, Any]] = {
    "mortgage-offer.docx": [text for _, text in MORTGAGE],
    "hall-hire-agreement.odt": [text for _, text in HALL_HIRE],
    "jury-summons.rtf": JURY, "chores-and-pocket-money.xlsx": CHORES,
    "10k-training-plan.ods": TRAINING, "solar-panels-proposal.pptx": SOLAR_SLIDES,
    "choir-concert.odp": CHOIR_SLIDES, "bike-care-guide.epub": BIKE_GUIDE,
    "sofa-delivery.eml": SOFA_MAIL, ATTACHMENT: SOFA_RECEIPT,
    "payslip-november.pdf": PAYSLIP, "tv-licence-scan.pdf": TV_LICENCE,
    "holiday-club-booking.pdf": HOLIDAY_CLUB, "planning-notice-photo.jpg": PLANNING_NOTICE,
    "garden-centre-receipt.png": GARDEN_RECEIPT, "missed-delivery-card.webp": DELIVERY_CARD,
    "bus-timetable-photo.tiff": BUS_TIMES, "house-notes.md": HOUSE_NOTES,
    "birthdays-and-sizes.txt": BIRTHDAYS, "bin-collections.html": BINS,
}
"""The text each stored document was written from (for the fidelity column; the block kinds of
the docx and odt left out)."""


def questions() -> dict[str, Any]:
    """The labelled questions, every one in the frozen test split."""
    from benchmarks.formats_holdout4_questions import ABSENT, GROUNDED  # noqa: PLC0415

    grounded = [{"doc": d, "q": q, "expect": e, "split": "test"} for d, q, e in GROUNDED]
    absent = [{"q": q, "split": "test"} for q in ABSENT]
    return {"seed": SEED, "set": "holdout4", "grounded": grounded, "absent": absent}
