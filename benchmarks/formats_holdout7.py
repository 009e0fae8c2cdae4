"""The documents_formats benchmark's seventh set (holdout7): new households' papers, all test.

Written on 7 December 2026 by a helper who had not opened the readers, the ranking or the
answering code, nor any doc, nor any benchmark result. Other households, another town
(Hollowmere) and other subjects than the six earlier sets. `python -m
benchmarks.formats_make_holdout7` writes the files under `benchmarks/data/formats_holdout7/
documents/` and `questions.json` beside them; the texts of the scans, photos and small notes are
in `formats_holdout7_pages`, the questions in `formats_holdout7_questions`.
"""

from __future__ import annotations

from typing import Any, Final

from benchmarks.formats_holdout7_pages import (
    CARPET_QUOTE,
    FOOD_ORDER,
    KIT_LIST,
    LOST_CAT,
    PARKING_FINE,
    PRESCRIPTION,
    RECIPE_CARD,
    TRADESPEOPLE,
    YOGA_FLYER,
)

SEED: Final = 7171
"""The seed of the scans' and photos' noise (there is no split to draw: all is test)."""

PET_POLICY: Final[list[tuple[str, Any]]] = [
    ("h1", "Bramblecover Pet Insurance: policy schedule"),
    ("p", "Policyholder: Mrs Henrietta Okonjo-Vance"),
    ("p", "Address: 22 Sallow Crescent, Hollowmere HM3 8QE"),
    ("p", "Pet: Biscuit, a male cockapoo, born 2 May 2021"),
    ("p", "Policy number: BPI-5530-2871"),
    ("p", "Cover: Lifetime Plus, from 15 November 2026 to 14 November 2027"),
    ("p", "Monthly premium: 38.40 pounds, taken on the 1st of each month"),
    ("p", "Vet fees are covered up to the limit each year, and the limit renews every year the "
          "policy is renewed."),
    ("p", "Illnesses that showed signs before the start date are not covered."),
    ("p", "Claims must be made within 90 days of the treatment."),
    ("p", "Dental work is covered only for accidents, and only if Biscuit has a dental check "
          "every 12 months."),
    ("h2", "What is covered"),
    ("table", [["Cover", "Limit", "You pay"],
               ["Vet fees", "7,500 pounds a year", "Excess of 99 pounds a condition"],
               ["Complementary treatment", "1,000 pounds a year", "Included in vet fees"],
               ["Third party liability", "2 million pounds", "250 pounds excess"],
               ["Lost pet advertising and reward", "1,500 pounds", "Nothing"],
               ["Boarding kennels if you go into hospital", "750 pounds", "Nothing"]]),
    ("p", "From Biscuit's 9th birthday you also pay 20 per cent of each claim."),
    ("p", "Claims line: 0345 072 6618. Free 24 hour vet video calls in the Bramblecover app."),
]

UNIFORM: Final[list[tuple[str, Any]]] = [
    ("h1", "Hollowmere Academy: uniform list and prices 2027"),
    ("p", "Supplier: Threadwell Schoolwear, 14 Market Row, Hollowmere"),
    ("p", "Shop hours: Tuesday to Saturday, 9:30 am to 5 pm; late opening until 7 pm in August"),
    ("p", "Colours: bottle green and grey"),
    ("p", "Blazers are compulsory from Year 7 to Year 11; the sixth form wears business dress."),
    ("p", "Every item must be labelled with the pupil's name."),
    ("p", "Trainers may be worn only for PE, never around school."),
    ("h2", "Prices"),
    ("table", [["Item", "Sizes", "Price"],
               ["Blazer with badge", "28 to 44 inch chest", "42 pounds"],
               ["Clip-on tie, house colour", "One size", "7.50 pounds"],
               ["Jumper, V neck", "26 to 42 inch chest", "19 pounds"],
               ["PE polo shirt", "XS to XL", "14 pounds"],
               ["PE skort or shorts", "XS to XL", "13 pounds"],
               ["Rugby shirt, reversible", "26 to 42 inch chest", "26 pounds"],
               ["Book bag", "One size", "8 pounds"]]),
    ("p", "Grey trousers, skirts and white shirts may be bought from any shop."),
    ("p", "The PTA's second-hand uniform sale is on the first Friday of each half term, "
          "3:15 pm, in the school dining hall."),
    ("p", "Families on free school meals may claim a 60 pounds uniform grant from the school "
          "office."),
]

HEARING_LETTER: Final = [
    "Hollowmere General Hospital: Audiology Department",
    "Dear Mr Thaddeus Brightwater,",
    "Hospital number: HGH 7702194",
    "Your doctor has referred you for a hearing assessment. Your appointment is on Thursday "
    "28 January 2027 at 10:20 am in the Audiology Department, Level 2, the Outpatients "
    "building.",
    "The appointment takes about 90 minutes.",
    "Please do not wear your hearing aids on the day; bring them with you.",
    "If you have wax in your ears, use olive oil drops twice a day for 2 weeks before the "
    "appointment.",
    "Avoid loud noise, such as concerts or power tools, for 48 hours before the test.",
    "You are welcome to bring a relative or friend with you.",
    "Parking is in car park C; the first 30 minutes are free and a blue badge parks free all "
    "day.",
    "If you cannot come, please tell us at least 3 working days before, on 01632 963 418, so "
    "that the slot can be given to someone else.",
    "Yours sincerely, Rosalind Achterberg, Clinical Scientist",
]

WEDDING: Final[dict[str, list[list[Any]]]] = {
    "Budget": [["Item", "Supplier", "Cost", "Deposit paid", "Balance due"],
               ["Venue hire and meal", "Thistledown Barn", 8950.0, 2000.0, "1 May 2027"],
               ["Photographer", "Lumen and Lace", 1450.0, 300.0, "14 June 2027"],
               ["Flowers", "Petal and Pod", 780.0, 150.0, "21 June 2027"],
               ["Band for the evening", "The Velvet Foxes", 1200.0, 250.0, "On the night"],
               ["Wedding cake", "Sugarloaf Bakes", 420.0, 100.0, "28 June 2027"],
               ["Dress and alterations", "Ivory Lane Bridal", 1680.0, 840.0,
                "At the last fitting"]],
    "Tables": [["Table", "Name", "Seats", "Who sits there"],
               ["Top table", "Rowan", 8, "Bride, groom, both sets of parents, best man, "
                                          "chief bridesmaid"],
               ["Table 1", "Hawthorn", 10, "The Delacroix-Nunes cousins"],
               ["Table 2", "Willow", 10, "University friends"],
               ["Table 3", "Alder", 8, "Grandparents and great aunts, near the door"],
               ["Table 4", "Birch", 12, "Work friends"],
               ["Children's table", "Acorn", 9, "Children under 12, with colouring packs"]],
    "Suppliers": [["Supplier", "Contact", "Phone", "Arrives"],
                  ["Thistledown Barn", "Marisol Penhallow", "01632 964 100", "All day"],
                  ["Lumen and Lace", "Jarvis Oduya", "07700 900 734", "11 am"],
                  ["Petal and Pod", "Fenella Grice", "07700 900 519", "9 am"],
                  ["The Velvet Foxes", "Dex Amankwah", "07700 900 466", "6:30 pm"],
                  ["Sugarloaf Bakes", "Ottilie Brandt", "01632 964 852", "10 am"]],
}

CRICKET: Final[dict[str, list[list[str]]]] = {
    "Batting": [["Batter", "Innings", "Runs", "Highest score", "Average"],
                ["Priya Venkataraman", "11", "412", "87", "41.2"],
                ["Jonah Ashdown", "12", "356", "101 not out", "32.4"],
                ["Callum Muirhead", "10", "241", "64", "26.8"],
                ["Kofi Adjei-Barnes", "9", "118", "33", "14.8"],
                ["Magnus Thorsby", "12", "97", "28", "9.7"]],
    "Bowling": [["Bowler", "Overs", "Wickets", "Runs conceded", "Best"],
                ["Kofi Adjei-Barnes", "96", "27", "402", "6 for 31"],
                ["Magnus Thorsby", "88", "19", "431", "4 for 22"],
                ["Callum Muirhead", "41", "8", "240", "3 for 40"],
                ["Priya Venkataraman", "12", "2", "77", "1 for 9"]],
    "Club": [["Item", "Detail"],
             ["Ground", "Hollowmere Recreation Ground, Ferry Lane"],
             ["Nets", "Tuesdays and Thursdays, 6 pm to 8 pm, from 6 April"],
             ["Match fee", "8 pounds for adults, 4 pounds for juniors"],
             ["Season subs", "95 pounds"],
             ["Captain", "Jonah Ashdown"],
             ["Tea rota", "Each family does two Saturdays a season"]],
}

LOFT_SLIDES: Final = [
    ("Loft conversion for 5 Quarry Bank, Hollowmere", [
        "Prepared for Ines and Barnaby Sutcliffe-Mwangi",
        "By Skylark Lofts, designer Cormac Villiers",
        "Proposal date: 30 November 2026"]),
    ("What we will build", [
        "A rear dormer with a double bedroom and an en suite shower room",
        "Two Velux windows at the front",
        "A new staircase over the existing stairs, with a fire door at the top",
        "Floor area: about 24 square metres"]),
    ("Price", [
        "Total: 58,400 pounds including VAT",
        "Deposit of 10 per cent when the contract is signed",
        "Stage payments as the work goes on; 5 per cent held back for 3 months after the end",
        "Building regulations fees of 1,150 pounds are extra"]),
    ("Timetable", [
        "Start: Monday 5 April 2027",
        "About 9 weeks of work, most of it from the scaffolding",
        "The stairs go in during week 6; you keep the house until then",
        "Party wall notice to number 7 must be served 2 months before we start"]),
    ("Guarantees", [
        "10 year structural guarantee",
        "Insurance-backed deposit protection",
        "Building control sign-off before the last payment"]),
]

FIRST_AID_SLIDES: Final = [
    ("Baby and child first aid for parents", [
        "Hollowmere Family Hub, Orchard Room",
        "Saturday 23 January 2027, 9:30 am to 1 pm",
        "Trainer: Sister Agnieszka Holloway, a retired paediatric nurse"]),
    ("Choking", [
        "Up to 5 back blows between the shoulder blades",
        "Then up to 5 chest thrusts for a baby under one",
        "Abdominal thrusts only for a child over one",
        "Call 999 if the object does not come out"]),
    ("CPR", [
        "Give 5 rescue breaths first for a child",
        "Then 30 chest compressions to 2 breaths",
        "Push at 100 to 120 a minute, to a third of the chest's depth"]),
    ("Burns and fevers", [
        "Cool a burn under cool running water for 20 minutes",
        "Cover it loosely with cling film; no butter or creams",
        "A fever is 38 degrees or more; call 111 for a baby under 3 months with a fever"]),
    ("Booking", [
        "25 pounds a person, 40 pounds a couple",
        "Babies under 6 months may come in a sling",
        "Everyone gets a certificate and a pocket card"]),
]

COMPOST: Final[list[tuple[str, list[str]]]] = [
    ("Starting a heap", [
        "Black Gold: composting at home, by Leofric Amberley-Shah.",
        "Put the bin on bare soil in a sunny or half shaded spot, so that worms can get in.",
        "A bin of about 330 litres suits a family garden.",
        "Compost is ready in 6 to 12 months; a hot heap can be ready in 8 weeks."]),
    ("Greens and browns", [
        "Mix greens and browns about half and half by volume.",
        "Greens: grass cuttings, fruit and vegetable peelings, tea bags and coffee grounds.",
        "Browns: cardboard, egg boxes, shredded paper, straw and autumn leaves.",
        "Never add meat, fish, dairy or cooked food: they bring rats."]),
    ("Looking after it", [
        "Turn the heap with a fork once a month to let air in.",
        "It should be as damp as a wrung-out sponge; add water in a dry summer.",
        "A smell of ammonia means too many greens: add cardboard.",
        "Cover the top with an old carpet or a lid to keep the heat in."]),
    ("Leaf mould", [
        "Fallen leaves rot slowly, so keep them apart in a bag or a wire cage.",
        "Pierce a few holes in the bags and leave them for 2 years.",
        "Leaf mould makes the best seed compost."]),
    ("Wormeries", [
        "A wormery suits a flat or a small garden.",
        "Use tiger worms, not earthworms from the garden.",
        "Drain the liquid from the tap every week and dilute it 1 part to 10 parts water "
        "for a plant feed.",
        "Do not feed the worms onions, garlic or citrus peel."]),
]

REPAIR_MAIL: Final[dict[str, Any]] = {
    "from": "PixelFix Repairs <bookings@pixelfix.example>",
    "to": "Ambrose Kettering-Lowe <ambrose.kl@mailhub.example>",
    "date": "Sat, 5 Dec 2026 10:42:55 +0000",
    "subject": "Your laptop repair is done: job PF-20417",
    "body": [
        "Hello Ambrose,",
        "Good news: your laptop, a Lenovo ThinkPad T14, is repaired and ready to collect from "
        "our shop at 3 Bridge Street, Hollowmere.",
        "We replaced the cracked screen and the worn keyboard, and cleaned the fan. The battery "
        "tested at 81 per cent of its first capacity, so it does not need replacing yet.",
        "Your files were not touched and your password was not needed.",
        "The shop is open Monday to Saturday from 9 am to 5:30 pm, closed on Sundays.",
        "Please collect within 30 days; after that a storage charge of 2 pounds a day applies.",
        "Bring the job card or photo ID when you collect.",
        "The parts and the work are guaranteed for 6 months.",
        "The invoice is attached; the balance is paid when you collect.",
        "Cheers, Nadia, PixelFix Repairs, 01632 965 207",
    ],
}

REPAIR_INVOICE: Final[dict[str, Any]] = {
    "title": "PixelFix Repairs: invoice PF-20417",
    "header": ["Customer: Ambrose Kettering-Lowe",
               "Device: Lenovo ThinkPad T14, serial PF3X9K2",
               "Booked in: 1 December 2026",
               "Technician: Yusuf Blomqvist"],
    "table": [["Work", "Qty", "Price"],
              ["Replacement screen, 14 inch", "1", "119 pounds"],
              ["Replacement keyboard", "1", "64 pounds"],
              ["Fan clean and new thermal paste", "1", "25 pounds"],
              ["Labour", "1.5 hours", "60 pounds"]],
    "sentences": ["Total: 268 pounds including VAT.",
                  "Diagnostic deposit already paid: 20 pounds.",
                  "Balance to pay on collection: 248 pounds.",
                  "We take cards and cash, but not cheques."],
}

EPC: Final[dict[str, Any]] = {
    "title": "Energy performance certificate",
    "header": ["Address: 41 Kingfisher Mews, Hollowmere HM1 4RZ",
               "Property type: Mid-terrace house, 3 bedrooms",
               "Total floor area: 86 square metres",
               "Date of assessment: 19 November 2026",
               "Certificate valid until: 18 November 2036",
               "Assessor: Pellam Ostrowski, accreditation EES-118842",
               "Current rating: D (61); potential rating: B (84)"],
    "table": [["Recommended improvement", "Typical cost", "Yearly saving"],
              ["Cavity wall insulation", "900 to 1,500 pounds", "176 pounds"],
              ["Loft insulation to 270 mm", "300 to 500 pounds", "62 pounds"],
              ["Solar water heating", "4,000 to 6,000 pounds", "48 pounds"],
              ["Double glazing for the 2 rear windows", "1,200 to 1,800 pounds", "35 pounds"]],
    "sentences": [
        "The house is heated by a gas boiler with radiators; hot water comes from the boiler.",
        "The estimated energy cost of the house is 1,940 pounds a year.",
        "Carbon dioxide: 3.8 tonnes a year.",
        "A landlord may not let a home rated below E.",
    ],
}

ATTACHMENT: Final = "laptop-repair.eml/repair-invoice.pdf"
"""Where the store keeps the mail's attached PDF (a document of its own, linked to the mail)."""

FILES: Final = {
    "pet-insurance-policy.docx": "docx (key/value lines, a Word table)",
    "school-uniform-list.odt": "odt (a table)",
    "hearing-test-letter.rtf": "rtf letter",
    "wedding-planner.xlsx": "xlsx (3 sheets)",
    "cricket-club-averages.ods": "ods (3 sheets)",
    "loft-conversion-proposal.pptx": "pptx (5 slides)",
    "first-aid-course.odp": "odp (5 slides)",
    "composting-guide.epub": "epub 3 (nav, 5 chapters)",
    "laptop-repair.eml": "eml (plain + HTML, PDF attached)",
    "repair-invoice.pdf": "eml attachment (pdf, table)",
    "energy-certificate.pdf": "pdf (key/value header, a table)",
    "parking-fine-scan.pdf": "scanned pdf (200 dpi, skewed)",
    "carpet-fitting-quote.pdf": "pdf (a table) + an image-only page",
    "lost-cat-poster.jpg": "photo (jpg, skewed, noisy)",
    "prescription-slip.png": "scanned slip (png, 220 dpi)",
    "yoga-class-flyer.webp": "photo (webp)",
    "recipe-card.tiff": "photo (tiff)",
    "camping-kit-list.md": "md (pipe table)",
    "tradespeople.txt": "txt",
    "christmas-food-order.html": "html (saved web page, a table)",
}
"""Each file a question may expect, and the format it stands for in the tables."""

REFERENCE: Final[dict[str, Any]] = {
    "pet-insurance-policy.docx": [text for _, text in PET_POLICY],
    "school-uniform-list.odt": [text for _, text in UNIFORM],
    "hearing-test-letter.rtf": HEARING_LETTER,
    "wedding-planner.xlsx": WEDDING, "cricket-club-averages.ods": CRICKET,
    "loft-conversion-proposal.pptx": LOFT_SLIDES, "first-aid-course.odp": FIRST_AID_SLIDES,
    "composting-guide.epub": COMPOST, "laptop-repair.eml": REPAIR_MAIL,
    ATTACHMENT: REPAIR_INVOICE, "energy-certificate.pdf": EPC,
    "parking-fine-scan.pdf": PARKING_FINE, "carpet-fitting-quote.pdf": CARPET_QUOTE,
    "lost-cat-poster.jpg": LOST_CAT, "prescription-slip.png": PRESCRIPTION,
    "yoga-class-flyer.webp": YOGA_FLYER, "recipe-card.tiff": RECIPE_CARD,
    "camping-kit-list.md": KIT_LIST, "tradespeople.txt": TRADESPEOPLE,
    "christmas-food-order.html": FOOD_ORDER,
}
"""The text each stored document was written from (for the fidelity column; the block kinds of
the docx and odt left out)."""


def questions() -> dict[str, Any]:
    """The labelled questions, every one in the frozen test split."""
    from benchmarks.formats_holdout7_questions import ABSENT, GROUNDED  # noqa: PLC0415

    grounded = [{"doc": d, "q": q, "expect": e, "split": "test"} for d, q, e in GROUNDED]
    absent = [{"q": q, "split": "test"} for q in ABSENT]
    return {"seed": SEED, "set": "holdout7", "grounded": grounded, "absent": absent}
