"""The documents_formats benchmark's labelled set: the text of each document, and the questions.

Written before any reader or ranking was tuned. `python -m benchmarks.formats_make` turns these
texts into real files of each format under `benchmarks/data/formats/documents/` and writes
`benchmarks/data/formats/questions.json` with each question's split (development or frozen test,
drawn with a fixed seed).
"""

from __future__ import annotations

from typing import Any, Final

SEED: Final = 24
TEST_SHARE: Final = 0.5

SCHOOL_TRIP: Final = {
    "title": "Maple Grove Primary School: Year 4 trip to the Natural History Museum",
    "paragraphs": [
        "Dear Parents and Carers,",
        "Year 4 will visit the Natural History Museum in London on Thursday 12 February 2027.",
        "The coach leaves the school gates at 8:15 am and returns at about 4:30 pm.",
        "The trip costs 18 pounds per child, payable on ParentPay by 30 January 2027.",
        "Children need a packed lunch in a disposable bag and a waterproof coat.",
        "Please do not send mobile phones or more than 5 pounds of spending money.",
        "If your child needs travel sickness medicine, hand it to Mrs Okafor at the school "
        "office in a named envelope.",
    ],
    "table": [["Group", "Leader", "Meeting point"],
              ["Kestrels", "Mr Patel", "Dinosaur gallery"],
              ["Otters", "Miss Brennan", "Blue whale hall"],
              ["Badgers", "Mrs Lindqvist", "Earth hall entrance"]],
    "closing": ["Yours sincerely,", "Ms Harriet Doyle, Year 4 teacher"],
}

BABYSITTER: Final = {
    "title": "Notes for the babysitter",
    "lines": [
        "Bedtime: 7:30 pm for Rosie, 8:00 pm for Sam.",
        "Wi-Fi network: Hollybank-Home",
        "Wi-Fi password: puffin-lantern-42",
        "Rosie is allergic to peanuts; her EpiPen is in the blue box on top of the fridge.",
        "Sam may have one biscuit after his bath, but no screens after 7 pm.",
        "The spare house key is with our neighbour Gwen at number 14.",
    ],
    "table": [["Name", "Relation", "Phone"],
              ["Clara Hollis", "Mum", "07700 900 311"],
              ["Dr Ahmed", "GP surgery", "01632 960 450"],
              ["Gwen Price", "Neighbour", "07700 900 872"]],
}

RECIPE: Final = [
    "Grandma Edith's lemon drizzle cake",
    "Oven: 180 C (160 C fan), gas mark 4.",
    "Ingredients: 225 g softened butter, 225 g caster sugar, 4 eggs, 275 g self-raising flour "
    "and the zest of 2 lemons.",
    "Drizzle: the juice of 1.5 lemons mixed with 85 g icing sugar.",
    "Bake in a 2 lb loaf tin for 45 to 50 minutes, until a skewer comes out clean.",
    "Pour the drizzle over the cake while it is still warm.",
    "The cake keeps for 4 days in an airtight tin and freezes for up to 1 month.",
]

BUDGET: Final = {
    "Monthly bills": [["Month", "Electricity", "Gas", "Water", "Broadband"],
                      ["January", 96.40, 121.15, 38.20, 32.00],
                      ["February", 88.75, 109.60, 38.20, 32.00],
                      ["March", 79.30, 84.90, 38.20, 34.50]],
    "Subscriptions": [["Service", "Monthly cost", "Renews on", "Account holder"],
                      ["Streaming video", 10.99, "3rd of each month", "Clara"],
                      ["Music", 11.99, "17th of each month", "Tom"],
                      ["Cloud photos", 2.99, "22nd of each month", "Clara"],
                      ["Gardening magazine", 4.50, "1st of each month", "Tom"]],
}

ALLOTMENT: Final = {
    "Rota": [["Week starting", "Watering", "Weeding", "Job"],
             ["6 April", "Priya", "Dev", "Sow broad beans"],
             ["13 April", "Dev", "Marguerite", "Net the brassicas"],
             ["20 April", "Marguerite", "Priya", "Order manure"],
             ["27 April", "Priya", "Dev", "Plant potatoes"]],
    "Plot": [["Item", "Detail"],
             ["Plot number", "23B"],
             ["Annual rent", "42 pounds"],
             ["Water trough", "by the east gate"],
             ["Padlock code", "7391"]],
}

WATCH_SLIDES: Final = [
    ("Elm Street Neighbourhood Watch: spring meeting",
     ["Tuesday 9 March 2027, 7 pm, at St Aidan's church hall"]),
    ("Recent incidents",
     ["Two bikes were stolen from front gardens in February.",
      "A van was seen checking car doors on Linden Road at 2 am."]),
    ("Actions",
     ["Our new coordinator is Farida Haque.",
      "Colin Reeve runs the street WhatsApp group.",
      "Our police community support officer is PCSO Jane Tully: call 101, extension 4412."]),
    ("Next meeting", ["The summer meeting is on 8 June 2027 in the same hall."]),
]

BIRDS: Final = [
    ("Feeding", [
        "Put out sunflower hearts from October to April.",
        "Clean feeders every two weeks with a weak disinfectant to stop the spread of "
        "trichomonosis.",
        "Never put out whole peanuts in spring: fledglings can choke on them.",
    ]),
    ("Nest boxes", [
        "Fix a nest box 2 to 4 metres up a tree or wall, facing between north and east.",
        "A 25 mm entrance hole suits blue tits; a 32 mm hole suits house sparrows.",
        "Clear out old nests in October or November.",
    ]),
    ("Counting", [
        "The Big Garden Birdwatch takes place over the last weekend of January.",
        "Count the birds in your garden for one hour and send in the highest number of each "
        "species seen at one time.",
    ]),
]

DENTIST_MAIL: Final = {
    "from": "Riverside Dental Practice <reception@riverside-dental.example>",
    "to": "Clara Hollis <clara.hollis@example.org>",
    "date": "Mon, 11 Jan 2027 09:42:00 +0000",
    "subject": "Your check-up appointment on 3 February",
    "body": [
        "Dear Clara,",
        "This is to confirm your check-up with Dr Miriam Lowe on Wednesday 3 February 2027 "
        "at 10:40 am.",
        "Please arrive 10 minutes early.",
        "If you need to cancel, please give us at least 24 hours' notice, or a fee of 20 pounds "
        "applies.",
        "Our new price list is attached.",
        "Kind regards,",
        "Riverside Dental reception, 01632 960 118",
    ],
}

PRICE_LIST: Final = {
    "title": "Riverside Dental Practice: price list from January 2027",
    "table": [["Treatment", "Band", "Price"],
              ["Check-up and scale", "Band 1", "26.80 pounds"],
              ["Filling", "Band 2", "73.50 pounds"],
              ["Crown", "Band 3", "319.10 pounds"],
              ["Hygienist clean", "Private", "65.00 pounds"]],
    "note": "Children under 18 are treated free of charge.",
}

WATER_BILL_PAGES: Final = [
    ["Severn Vale Water",
     "Account number: 4471 2290 38",
     "Bill date: 5 January 2027",
     "Amount due: 184.62 pounds",
     "Payment due by: 26 January 2027",
     "Your meter reading on 2 January 2027 was 01873 cubic metres."],
    ["Ways to pay",
     "Direct Debit: call 0345 600 2277.",
     "Leak allowance: if you find a leak, tell us within 28 days and we may reduce your bill.",
     "Your average daily use is 312 litres."],
]

PARKING_LETTER: Final = [
    "Northfield Borough Council",
    "Residents' parking permit",
    "Permit number: RP-20931",
    "Vehicle registration: KX21 LMO",
    "Zone: C (Hawthorn Road and Elm Street)",
    "Valid from 1 April 2027 to 31 March 2028",
    "Visitor vouchers: 30 a year at 2.50 pounds each.",
    "Display the permit in the bottom left corner of the windscreen.",
]

INSURANCE: Final = {
    "title": "Harbour Mutual Motor Insurance: policy schedule",
    "header": ["Policy number: HMM-5580-2214",
               "Policyholder: Thomas Hollis",
               "Vehicle: 2019 Skoda Octavia Estate, KX21 LMO",
               "Renewal date: 14 March 2027",
               "Annual premium: 486.30 pounds"],
    "table": [["Cover", "Limit", "Excess"],
              ["Accidental damage", "Market value", "350 pounds"],
              ["Theft", "Market value", "250 pounds"],
              ["Windscreen", "Unlimited", "90 pounds"],
              ["Personal belongings", "300 pounds", "Nil"]],
    "sentences": [
        "A courtesy car is provided for up to 14 days while your car is repaired by an "
        "approved garage.",
        "European driving is covered for up to 90 days in any one trip.",
    ],
    "scanned_page": ["Claims helpline: 0800 048 7712, open 24 hours.",
                     "Glass claims: 0800 048 7790.",
                     "Breakdown cover is not included in this policy."],
}

RECEIPT: Final = [
    "HOMEWAYS ELECTRICAL",
    "Store 114, Castle Retail Park",
    "Date: 28/11/2026  Time: 14:52",
    "Bosch Serie 6 washing machine  549.00",
    "Delivery and installation  25.00",
    "Removal of old appliance  15.00",
    "Total  589.00",
    "Paid by Visa ending 4821",
    "Guarantee: 2 years parts and labour.",
    "Please keep this receipt.",
]

STORY: Final = {
    "title": "The Lighthouse Cat",
    "author": "Nell Arbuthnot",
    "paragraphs": [
        "Every night at nine o'clock, Captain Bramble the cat climbed the 117 steps of the Gull "
        "Point lighthouse.",
        "His best friend was a puffin called Oskar, who lived on the rocks below.",
        "One stormy night the lamp went out, and Bramble rang the brass bell until the keeper, "
        "Mrs Tamsin Rowe, woke up.",
        "She lit the lamp again, and the fishing boat Morning Star reached the harbour safely.",
    ],
}

FILES: Final = {
    "school-trip-letter.docx": "docx", "babysitter-notes.odt": "odt",
    "lemon-drizzle-recipe.rtf": "rtf", "household-budget.xlsx": "xlsx",
    "allotment-rota.ods": "ods", "neighbourhood-watch-meeting.pptx": "pptx",
    "garden-birds-guide.epub": "epub", "dentist-appointment.eml": "eml",
    "dental-price-list.pdf": "eml attachment (pdf)", "scanned-water-bill.pdf": "scanned pdf",
    "parking-permit-photo.jpg": "photo (jpg)", "car-insurance-schedule.pdf": "pdf (table, scan)",
    "washing-machine-receipt.png": "scan (png)", "bedtime-story.fb2": "fb2",
}
"""Each file a question may expect, and the format it stands for in the tables."""

Q = tuple[str, str, list[str]]

GROUNDED: Final[list[Q]] = [
    ("school-trip-letter.docx", "When is the school trip to the Natural History Museum?",
     ["12 February"]),
    ("school-trip-letter.docx", "What time does the coach leave for the school trip?", ["8:15"]),
    ("school-trip-letter.docx", "How much does the school trip cost?", ["18 pounds", "£18"]),
    ("school-trip-letter.docx", "By when must the school trip be paid for?", ["30 January"]),
    ("school-trip-letter.docx", "Who leads the Otters group on the school trip?", ["Brennan"]),
    ("school-trip-letter.docx", "Where does the Badgers group meet at the museum?",
     ["Earth hall"]),
    ("school-trip-letter.docx", "Who should I give travel sickness medicine to for the trip?",
     ["Okafor"]),
    ("school-trip-letter.docx", "How much spending money can children take on the school trip?",
     ["5 pounds", "£5", "five pounds"]),
    ("babysitter-notes.odt", "What time is Rosie's bedtime?", ["7:30"]),
    ("babysitter-notes.odt", "What is the Wi-Fi password?", ["puffin-lantern-42"]),
    ("babysitter-notes.odt", "Where is Rosie's EpiPen kept?", ["fridge", "blue box"]),
    ("babysitter-notes.odt", "What is Rosie allergic to?", ["peanut"]),
    ("babysitter-notes.odt", "Who has our spare house key?", ["Gwen"]),
    ("babysitter-notes.odt", "What is the phone number of Dr Ahmed's GP surgery?",
     ["01632 960 450"]),
    ("babysitter-notes.odt", "What is Gwen Price's phone number?", ["07700 900 872"]),
    ("lemon-drizzle-recipe.rtf", "What temperature do I bake the lemon drizzle cake at?",
     ["180"]),
    ("lemon-drizzle-recipe.rtf", "How long does the lemon drizzle cake bake for?",
     ["45 to 50", "45"]),
    ("lemon-drizzle-recipe.rtf", "How much flour goes in the lemon drizzle cake?", ["275"]),
    ("lemon-drizzle-recipe.rtf", "How long does the lemon drizzle cake keep?",
     ["4 days", "four days"]),
    ("lemon-drizzle-recipe.rtf", "How much icing sugar goes in the lemon drizzle?", ["85"]),
    ("lemon-drizzle-recipe.rtf", "How many eggs go in the lemon drizzle cake?",
     ["4 eggs", "four eggs"]),
    ("household-budget.xlsx", "How much was our gas bill in February?", ["109.60", "109.6"]),
    ("household-budget.xlsx", "How much was our electricity bill in January?", ["96.40", "96.4"]),
    ("household-budget.xlsx", "What did our broadband cost in March?", ["34.50", "34.5"]),
    ("household-budget.xlsx", "How much is our music subscription a month?", ["11.99"]),
    ("household-budget.xlsx", "When does our cloud photos subscription renew?", ["22nd"]),
    ("household-budget.xlsx", "Who is the account holder of the gardening magazine "
     "subscription?", ["Tom"]),
    ("household-budget.xlsx", "What was our water bill in March?", ["38.20", "38.2"]),
    ("allotment-rota.ods", "Who is watering the allotment in the week starting 13 April?",
     ["Dev"]),
    ("allotment-rota.ods", "Who is weeding the allotment in the week starting 20 April?",
     ["Priya"]),
    ("allotment-rota.ods", "In which week do we plant potatoes at the allotment?",
     ["27 April"]),
    ("allotment-rota.ods", "What is the allotment padlock code?", ["7391"]),
    ("allotment-rota.ods", "What is our allotment plot number?", ["23B"]),
    ("allotment-rota.ods", "How much is the annual rent for the allotment?", ["42"]),
    ("neighbourhood-watch-meeting.pptx", "When is the neighbourhood watch spring meeting?",
     ["9 March"]),
    ("neighbourhood-watch-meeting.pptx", "Where is the neighbourhood watch meeting held?",
     ["St Aidan"]),
    ("neighbourhood-watch-meeting.pptx", "Who is the new neighbourhood watch coordinator?",
     ["Farida Haque"]),
    ("neighbourhood-watch-meeting.pptx", "How many bikes were stolen from front gardens in "
     "February?", ["two", "2"]),
    ("neighbourhood-watch-meeting.pptx", "What extension do I ask for to reach PCSO Jane Tully?",
     ["4412"]),
    ("neighbourhood-watch-meeting.pptx", "When is the next neighbourhood watch meeting?",
     ["8 June"]),
    ("neighbourhood-watch-meeting.pptx", "Who runs the street WhatsApp group?",
     ["Colin Reeve"]),
    ("garden-birds-guide.epub", "How high should a bird nest box be fixed?", ["2 to 4 metres"]),
    ("garden-birds-guide.epub", "What size entrance hole suits blue tits?", ["25 mm"]),
    ("garden-birds-guide.epub", "How often should bird feeders be cleaned?",
     ["two weeks", "2 weeks"]),
    ("garden-birds-guide.epub", "When should old birds' nests be cleared out of a nest box?",
     ["October"]),
    ("garden-birds-guide.epub", "Which way should a bird nest box face?", ["north", "east"]),
    ("garden-birds-guide.epub", "How long do you count birds for in the Big Garden Birdwatch?",
     ["one hour", "1 hour"]),
    ("garden-birds-guide.epub", "Why should whole peanuts not be put out for birds in spring?",
     ["choke"]),
    ("dentist-appointment.eml", "When is my dentist check-up?", ["3 February", "10:40"]),
    ("dentist-appointment.eml", "Which dentist is my check-up with?", ["Miriam Lowe"]),
    ("dentist-appointment.eml", "How much notice do I need to give to cancel the dentist?",
     ["24 hours"]),
    ("dentist-appointment.eml", "What is the fee for cancelling the dentist late?",
     ["20 pounds", "£20"]),
    ("dentist-appointment.eml", "What is the dental practice reception's phone number?",
     ["01632 960 118"]),
    ("dental-price-list.pdf", "How much does a filling cost at the dentist?", ["73.50", "73.5"]),
    ("dental-price-list.pdf", "How much is a hygienist clean at the dental practice?",
     ["65.00", "65"]),
    ("dental-price-list.pdf", "Which band is a crown at the dentist?", ["Band 3"]),
    ("scanned-water-bill.pdf", "How much is our water bill?", ["184.62"]),
    ("scanned-water-bill.pdf", "When is the water bill due to be paid?", ["26 January"]),
    ("scanned-water-bill.pdf", "What is our water account number?", ["4471 2290 38"]),
    ("scanned-water-bill.pdf", "What was our water meter reading?", ["01873", "1873"]),
    ("scanned-water-bill.pdf", "How soon must a water leak be reported?", ["28 days"]),
    ("scanned-water-bill.pdf", "What is our average daily water use?", ["312"]),
    ("scanned-water-bill.pdf", "What number do I call to pay the water bill by Direct Debit?",
     ["0345 600 2277"]),
    ("parking-permit-photo.jpg", "What is our parking permit number?", ["RP-20931", "20931"]),
    ("parking-permit-photo.jpg", "Which zone is our parking permit for?", ["Zone: C", "zone C",
                                                                          "Zone C"]),
    ("parking-permit-photo.jpg", "When does our parking permit expire?", ["31 March 2028"]),
    ("parking-permit-photo.jpg", "How much do visitor parking vouchers cost?", ["2.50", "2.5"]),
    ("parking-permit-photo.jpg", "Where should the parking permit be displayed?",
     ["windscreen"]),
    ("parking-permit-photo.jpg", "How many visitor parking vouchers do we get a year?", ["30"]),
    ("car-insurance-schedule.pdf", "When does the car insurance renew?", ["14 March"]),
    ("car-insurance-schedule.pdf", "How long can we keep the courtesy car?", ["14 days"]),
    ("car-insurance-schedule.pdf", "What is the theft excess on our car insurance?", ["250"]),
    ("car-insurance-schedule.pdf", "What is our car insurance policy number?",
     ["HMM-5580-2214"]),
    ("car-insurance-schedule.pdf", "How much is the annual car insurance premium?",
     ["486.30", "486.3"]),
    ("car-insurance-schedule.pdf", "What is the windscreen excess on the car insurance?", ["90"]),
    ("car-insurance-schedule.pdf", "What is the car insurance claims helpline number?",
     ["0800 048 7712"]),
    ("car-insurance-schedule.pdf", "How long can we drive in Europe on our car insurance?",
     ["90 days"]),
    ("car-insurance-schedule.pdf", "What is the limit for personal belongings on the car "
     "insurance?", ["300"]),
    ("washing-machine-receipt.png", "When did we buy the washing machine?",
     ["28/11/2026", "28 November"]),
    ("washing-machine-receipt.png", "How much did the washing machine itself cost?", ["549"]),
    ("washing-machine-receipt.png", "What was the total on the washing machine receipt?",
     ["589"]),
    ("washing-machine-receipt.png", "Which card paid for the washing machine?", ["4821"]),
    ("washing-machine-receipt.png", "How long is the washing machine guarantee?",
     ["2 years", "two years"]),
    ("washing-machine-receipt.png", "How much was delivery and installation of the washing "
     "machine?", ["25"]),
    ("bedtime-story.fb2", "How many steps does the lighthouse have in the bedtime story?",
     ["117"]),
    ("bedtime-story.fb2", "What is the puffin called in the lighthouse cat story?", ["Oskar"]),
    ("bedtime-story.fb2", "Who is the lighthouse keeper in the bedtime story?",
     ["Tamsin Rowe"]),
    ("bedtime-story.fb2", "Which boat reached the harbour in the lighthouse cat story?",
     ["Morning Star"]),
    ("bedtime-story.fb2", "What time does Captain Bramble climb the lighthouse?",
     ["nine"]),
]

ABSENT: Final[list[str]] = [
    "What is the serial number of our fridge freezer?",
    "When is the chimney sweep booked?",
    "What is the excess for flood damage on our home insurance?",
    "What is the PIN for the garage door?",
    "Who is Sam's swimming teacher?",
    "How much was the gas bill in April?",
    "What is the name of the vet's receptionist?",
    "When does the TV licence expire?",
]
"""Questions about the household whose answer is in none of the documents."""


def questions() -> dict[str, Any]:
    """The labelled questions, each with its split (development or test), drawn with SEED."""
    import random  # noqa: PLC0415

    rng = random.Random(SEED)
    grounded = []
    for doc in dict.fromkeys(d for d, _, _ in GROUNDED):
        own = [(d, q, e) for d, q, e in GROUNDED if d == doc]
        order = list(range(len(own)))
        rng.shuffle(order)
        tests = set(order[:round(len(own) * TEST_SHARE)])
        grounded += [{"doc": d, "q": q, "expect": e, "split": "test" if i in tests else "dev"}
                     for i, (d, q, e) in enumerate(own)]
    absent_order = list(range(len(ABSENT)))
    rng.shuffle(absent_order)
    absent_tests = set(absent_order[:len(ABSENT) // 2])
    absent = [{"q": q, "split": "test" if i in absent_tests else "dev"}
              for i, q in enumerate(ABSENT)]
    return {"seed": SEED, "grounded": grounded, "absent": absent}
