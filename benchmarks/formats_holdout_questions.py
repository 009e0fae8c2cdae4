"""The held-out set's questions, asked as people ask a voice assistant; all frozen test.

Each grounded question names the file that must be cited and the strings of which the answer
must hold one (matched case-folded, commas dropped, as `benchmarks.answers._holds` does). The
absent ones have their answer in no document: the right reply is "not in your documents", with
no invented fact. Several of those sound as if they belong to one document but ask for a detail
it does not hold.
"""

from __future__ import annotations

from typing import Final

Q = tuple[str, str, list[str]]

_BOILER = "boiler-service-report.docx"
_GYM = "gym-membership.odt"
_DRYER = "tumble-dryer-warranty.rtf"
_SWIM = "swimming-lessons.xlsx"
_TERM = "school-term-dates.ods"
_KITCHEN = "kitchen-refit-proposal.pptx"
_CUBS = "cubs-summer-camp.odp"
_PLANTS = "houseplant-care.epub"
_MAIL = "edinburgh-train-booking.eml"
_TICKETS = "train-tickets.pdf"
_HOME = "home-insurance-schedule.pdf"
_COUNCIL = "council-tax-bill-scan.pdf"
_WEDDING = "wedding-invitation-scan.pdf"
_HOSPITAL = "hospital-letter-photo.jpg"
_BROADBAND = "broadband-contract-screenshot.png"
_VET = "pickle-vet-record.txt"
_CAR = "car-mot-log.md"

GROUNDED: Final[list[Q]] = [
    (_BOILER, "When does the boiler need servicing again?", ["October 2027"]),
    (_BOILER, "Who was the engineer that serviced our boiler?", ["Callum Whitby"]),
    (_BOILER, "What's the boiler engineer's Gas Safe number?", ["604417", "604 417"]),
    (_BOILER, "How much did we pay for the boiler service?", ["89"]),
    (_BOILER, "What was wrong with the carbon monoxide alarm?", ["expired"]),
    (_BOILER, "What pressure did the engineer top the boiler up to?", ["1.3"]),
    (_BOILER, "What make is our boiler?", ["Worcester Bosch"]),
    (_BOILER, "Who do I ring if the boiler packs up in the middle of the night?",
     ["0330 088 4512"]),
    (_BOILER, "What should we do about the condensate pipe before the cold weather?", ["lag"]),
    (_GYM, "How much is my gym membership a month?", ["34.99"]),
    (_GYM, "What's my membership number at Peakform?", ["PF-338172", "338172"]),
    (_GYM, "How long am I locked into the gym contract for?",
     ["12 months", "twelve months"]),
    (_GYM, "How much notice do I need to give to leave the gym?",
     ["calendar month", "one month", "1 month"]),
    (_GYM, "For how long can I put my gym membership on hold?", ["3 months", "three months"]),
    (_GYM, "What time does the gym shut on a Sunday?", ["6:00 pm", "6 pm", "6pm", "18:00"]),
    (_GYM, "How much does it cost to take a friend to the gym?", ["8 pounds", "£8"]),
    (_GYM, "When did my gym membership begin?", ["1 November 2026"]),
    (_DRYER, "How long is the tumble dryer covered for?",
     ["36 months", "3 years", "three years"]),
    (_DRYER, "What's the serial number of the tumble dryer?", ["VHD850-22K-71934"]),
    (_DRYER, "What number do I phone to get the dryer repaired?", ["0344 561 2090"]),
    (_DRYER, "Where do I find the serial number on the dryer?", ["inside the door"]),
    (_DRYER, "Which shop sold us the tumble dryer?", ["Castlegate"]),
    (_DRYER, "Is a broken door seal on the dryer covered by the warranty?",
     ["not include", "not covered", "isn't covered", "excluded"]),
    (_DRYER, "What's the warranty reference for the tumble dryer?", ["WX-4471-0962"]),
    (_SWIM, "What time is Ada's swimming on Wednesdays?", ["17:15", "5:15"]),
    (_SWIM, "Who teaches Milo to swim?", ["Rhian Ellis"]),
    (_SWIM, "What stage is Ada at in her swimming lessons?", ["Stage 2"]),
    (_SWIM, "How much are Milo's swimming lessons this term?", ["143"]),
    (_SWIM, "Which pool is Milo in on Saturday mornings?", ["Main pool"]),
    (_SWIM, "Which days are swimming lessons cancelled for half term?", ["19 February"]),
    (_SWIM, "What does Ada need to take to swimming?", ["hat", "goggles"]),
    (_SWIM, "Where are the kids' swimming lessons held?", ["Ashcombe Leisure Pool",
                                                          "Mill Lane"]),
    (_SWIM, "Do we get our money back if we miss a swimming lesson?",
     ["not refunded", "catch-up"]),
    (_TERM, "When do the children go back to school in September?", ["2 September"]),
    (_TERM, "When is the February half term?", ["14 to 18 February", "14 February"]),
    (_TERM, "When do the kids break up for the summer holidays?", ["21 July"]),
    (_TERM, "When does school start again after Christmas?", ["4 January"]),
    (_TERM, "Why is there no school on the 26th of May?", ["Reports and planning"]),
    (_TERM, "What time does school finish?", ["3:15"]),
    (_TERM, "How much is breakfast club a day?", ["4 pounds", "£4"]),
    (_TERM, "What's the phone number for the school office?", ["01632 960 774"]),
    (_KITCHEN, "How much is the new kitchen going to cost us?", ["14850"]),
    (_KITCHEN, "How much deposit do we pay for the kitchen?", ["4455", "30 %", "30%"]),
    (_KITCHEN, "When do the kitchen fitters start?", ["8 February"]),
    (_KITCHEN, "How long will it take to fit the kitchen?", ["3 weeks", "three weeks"]),
    (_KITCHEN, "What colour will the kitchen cupboard doors be?", ["sage green"]),
    (_KITCHEN, "Who's the site manager for the kitchen?", ["Gareth Pryce"]),
    (_KITCHEN, "How long is the kitchen quote good for?", ["31 December 2026", "31 December"]),
    (_KITCHEN, "What are the new worktops made of?", ["Quartz"]),
    (_KITCHEN, "How long will we be without a sink?", ["10 days", "ten days"]),
    (_CUBS, "What dates is cub camp?", ["16 July", "18 July"]),
    (_CUBS, "Where are the cubs going camping?", ["Hollins Wood"]),
    (_CUBS, "What time do I drop Milo off for cub camp?", ["5:30"]),
    (_CUBS, "How much does cub camp cost?", ["65"]),
    (_CUBS, "When do I have to pay the cub camp deposit by?", ["30 April"]),
    (_CUBS, "Who's doing first aid at cub camp?", ["Owen Hartley", "Baloo"]),
    (_CUBS, "Can Milo bring his tablet to cub camp?", ["no electronic"]),
    (_CUBS, "What time do we collect Milo from camp on Sunday?", ["2 pm", "2pm", "2:00"]),
    (_PLANTS, "How often should I water the snake plant?", ["3 to 4 weeks"]),
    (_PLANTS, "How far from the window should the fiddle leaf fig stand?",
     ["1 metre", "one metre"]),
    (_PLANTS, "Which months should I feed the houseplants?", ["March to September"]),
    (_PLANTS, "How many hours of sunshine does a cactus need?", ["4 hours", "four hours"]),
    (_PLANTS, "How much bigger should the new pot be when I repot a plant?", ["5 cm"]),
    (_PLANTS, "Are lilies dangerous for cats?", ["poisonous"]),
    (_PLANTS, "How can I tell when the peace lily is thirsty?", ["droop"]),
    (_MAIL, "What time does our train to Edinburgh leave?", ["07:12", "7:12"]),
    (_MAIL, "Where do we change trains on the way up to Edinburgh?", ["York"]),
    (_MAIL, "What day do we travel home from Edinburgh?", ["29 March"]),
    (_MAIL, "How much did the Edinburgh train tickets come to?", ["212.40", "212.4"]),
    (_MAIL, "What's the booking reference for the Edinburgh trip?", ["NWR7Q4K2"]),
    (_MAIL, "Until when can we swap our train seats for free?", ["6 pm", "day before"]),
    (_MAIL, "What time do we get into Edinburgh?", ["12:48"]),
    (_TICKETS, "Which seats have we got from York to Edinburgh?", ["12 13"]),
    (_TICKETS, "What's our railcard number?", ["FF-6620193", "6620193"]),
    (_TICKETS, "What sort of train ticket did we buy for Edinburgh?", ["Off-Peak Return"]),
    (_TICKETS, "Which seats are ours on the train home from Edinburgh?", ["22 23"]),
    (_HOME, "What's the policy number for our home insurance?", ["KHI-77120-45"]),
    (_HOME, "When does the house insurance run out?", ["1 May 2027"]),
    (_HOME, "What's the excess if we claim for a water leak?", ["450"]),
    (_HOME, "How much would we pay towards a subsidence claim?", ["1000"]),
    (_HOME, "How much are our contents insured for?", ["60000"]),
    (_HOME, "How long would the insurance pay for us to live somewhere else?",
     ["12 months", "twelve months"]),
    (_HOME, "How much is the home insurance a month?", ["34.41"]),
    (_HOME, "What's the most we can claim for any one item?", ["2000"]),
    (_HOME, "What number do I call to claim on the home insurance?", ["0800 316 5500"]),
    (_HOME, "Does our home insurance include home emergency cover?", ["not included"]),
    (_COUNCIL, "What council tax band is our house in?", ["band: d", "band d", "band is d"]),
    (_COUNCIL, "How much council tax do we pay for the year?", ["2184.50", "2184.5"]),
    (_COUNCIL, "How much is each council tax instalment?", ["218.45"]),
    (_COUNCIL, "What's our council tax account reference?", ["60417729"]),
    (_COUNCIL, "Who do I phone with a question about the council tax?", ["01632 960 205"]),
    (_COUNCIL, "How many council tax payments do we make?",
     ["10 monthly", "ten monthly", "10 payments"]),
    (_COUNCIL, "Which days of the month can the council tax direct debit go out?",
     ["15th", "28th"]),
    (_COUNCIL, "What share of our council tax goes to the police and fire service?",
     ["14 per cent", "14%", "14 %"]),
    (_WEDDING, "When is Eleanor and Jonah's wedding?", ["11 September"]),
    (_WEDDING, "What time does the wedding start?", ["1:30"]),
    (_WEDDING, "Which church is the wedding at?", ["St Bride"]),
    (_WEDDING, "Where's the wedding reception?", ["Wenham Barn"]),
    (_WEDDING, "When do we need to RSVP to the wedding by?", ["31 May"]),
    (_WEDDING, "What should we wear to the wedding?", ["garden party"]),
    (_WEDDING, "What's the number of the wedding gift list?", ["20557"]),
    (_HOSPITAL, "When is Daniel's hospital appointment?", ["9 March", "2:40"]),
    (_HOSPITAL, "Which consultant is Dan seeing?", ["Priyanka Desai"]),
    (_HOSPITAL, "Whereabouts in the hospital is the orthopaedic clinic?",
     ["Maple Wing", "Level 2"]),
    (_HOSPITAL, "What's Daniel's hospital number?", ["K4471093"]),
    (_HOSPITAL, "How much does it cost to park at the hospital?", ["3 pounds", "£3"]),
    (_HOSPITAL, "What does Daniel need to bring to the hospital?", ["medicines"]),
    (_HOSPITAL, "How do I move Daniel's hospital appointment?", ["01632 960 388"]),
    (_BROADBAND, "When does our broadband contract finish?", ["19 December 2027"]),
    (_BROADBAND, "How fast is our internet download speed?", ["500"]),
    (_BROADBAND, "What do we pay for broadband each month?", ["29.99"]),
    (_BROADBAND, "What's our Skylink account number?", ["SKB-5092-3317"]),
    (_BROADBAND, "How much does the broadband price go up every April?",
     ["3 pounds", "£3"]),
    (_BROADBAND, "What's the phone number for broadband help?", ["0333 014 2200"]),
    (_BROADBAND, "What upload speed do we get?", ["74"]),
    (_VET, "When is Pickle's next booster jab due?", ["14 August 2027"]),
    (_VET, "What's Pickle's microchip number?", ["941000024577310"]),
    (_VET, "How long is the dog's rabies vaccination good for?",
     ["3 years", "three years", "June 2028"]),
    (_VET, "What's the phone number for the vet?", ["01632 960 642"]),
    (_VET, "How heavy is Pickle?", ["13.6"]),
    (_VET, "What flea treatment is Pickle on?", ["NexGard"]),
    (_VET, "When's Pickle's birthday?", ["3 March"]),
    (_CAR, "When is the car's MOT due again?", ["20 January 2028"]),
    (_CAR, "What did the MOT tester say about the tyres?", ["legal limit"]),
    (_CAR, "What was the mileage on the car at its last MOT?", ["48213"]),
    (_CAR, "How much was the car's full service in February 2026?", ["289"]),
    (_CAR, "At what mileage does the cambelt need doing?", ["60000"]),
    (_CAR, "What's our car's number plate?", ["AB20 XKT"]),
    (_CAR, "What's the phone number of the garage that does our car?", ["01632 960 917"]),
]

ABSENT: Final[list[str]] = [
    "What's the serial number of our boiler?",
    "How much does a personal training session at the gym cost?",
    "What's the password for the Skylink Wi-Fi router?",
    "Who is Ada's class teacher?",
    "What's the energy rating of the tumble dryer?",
    "What's the excess for accidental damage on the home insurance?",
    "Which platform does the Edinburgh train leave from?",
    "How much does the kitchen island cost on its own?",
    "What's Pickle's pet passport number?",
    "What's the postcode of the cub camp site?",
    "What time does the wedding reception finish?",
    "When is the car tax due?",
    "How much council tax did we pay last year?",
    "What are the hospital's visiting hours?",
    "Which day are the bins collected?",
    "How much is our TV licence?",
]
"""Questions whose answer is in none of the documents."""
