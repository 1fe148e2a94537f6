"""What the demo says: Northshire County Council's projects, tenders and the providers' bids.

Plain data only; `commissioning.demo.stages` turns it into records through the services.
"""

from decimal import Decimal

AUTHORITY = "Northshire County Council"
RIVERSIDE, MUTUAL, BRIGHTWAY = ("Riverside Community Trust", "Northshire Care Mutual",
                                "Brightway Services Ltd")

# A phrase from a sealed answer: it must never be readable in the database (tests check it).
SEALED_PHRASE = "weekly tea dances at Ferncliffe Miners' Welfare Hall"

PROJECTS = [
    {
        "title": "Early help for young people's mental health",
        "need": "Waiting times for child and adolescent mental health services in Northshire "
                "are over 30 weeks. Many young people with anxiety or low mood need help "
                "sooner, closer to home and without a referral.",
        "outcomes": "Young people aged 11 to 25 get support within 2 weeks of asking; fewer "
                    "are referred on to specialist services; schools and youth clubs know "
                    "where to send them.",
        "budget": Decimal("450000.00"), "months": (9, 45),
        "event": ("Provider workshop: drop-in support for young people",
                  "An afternoon workshop for voluntary, community and social enterprise "
                  "organisations to help shape the service model.", 18,
                  "Committee Room 2, County Hall, Northby"),
        "question": "How could a drop-in service reach young people in rural parts of the "
                    "county who cannot easily travel to Northby or Southby?",
        "response": "We already run weekly youth sessions in six village halls. A mobile "
                    "'pop-up' offer using those venues, plus text-based support in the "
                    "evenings, would reach rural young people without new buildings.",
        "comment": "My daughter waited eight months for help. Please make sure young people "
                   "can walk in without an appointment, including after school.",
        "responder": RIVERSIDE, "citizen": "citizen@example.org",
        "tender": None,
    },
    {
        "title": "Befriending and companionship for older people",
        "need": "About 9,000 people aged 75 or over in Northshire live alone; a third of them "
                "say they often feel lonely. Loneliness leads to earlier GP visits, falls "
                "and moves into residential care.",
        "outcomes": "Older people feel less lonely (UCLA scale), stay connected to their "
                    "community and know where to get practical help.",
        "budget": Decimal("300000.00"), "months": (8, 44),
        "event": ("Market engagement webinar: befriending",
                  "An online session presenting the draft service model, followed by "
                  "questions from providers.", 10, "Online (Microsoft Teams)"),
        "question": "Should the service combine telephone befriending with face-to-face "
                    "visits, and how would you recruit volunteers in market towns?",
        "response": "A mix works best: weekly calls for everyone, with home visits for people "
                    "who are housebound. Our care workers already visit many of them and "
                    "could introduce volunteers recruited through the libraries.",
        "comment": "Many of us do not use the internet. Please advertise the service in GP "
                   "surgeries, pharmacies and the parish magazine.",
        "responder": MUTUAL, "citizen": "citizen2@example.org",
        "tender": {
            "reference": "NSH-2026-031",
            "title": "Befriending and companionship service for older people",
            "summary": "Telephone and face-to-face befriending for people aged 75 or over "
                       "who live alone or feel lonely.",
        },
    },
]

# The social value measures each tender asks for: (catalogue code, why it is relevant).
MEASURES = {
    "local_jobs": ("CP-2.1-B", "The service is delivered in people's homes across Northshire: "
                   "employing local people keeps staff turnover low and wages in the county."),
    "volunteering": ("CP-5.2-A", "Community groups in Northshire's market towns depend on "
                     "volunteers; staff volunteering strengthens the networks the service "
                     "refers people to."),
    "local_spend": ("CP-2.2-A", "Small local suppliers (venues, caterers, taxi firms) are part "
                    "of delivering this service; spending with them supports the local "
                    "economy."),
    "apprentices": ("CP-2.1-C", "The care and support workforce has high vacancy rates: "
                    "apprenticeships build the county's future workforce."),
    "wellbeing": ("CP-5.1-A", "Carers and service users benefit from health and wellbeing "
                  "activities beyond the core service."),
    "carbon": ("CP-3.1-A", "Transport is the largest source of emissions in this service: "
               "low-emission vehicles and route planning reduce them."),
}

LIGHT_TOUCH_CPV = "85312000-9"  # Social work services without accommodation

TENDERS = {
    "published": {
        "reference": "NSH-2026-027", "title": "Short breaks and respite for unpaid carers",
        "summary": "Planned short breaks, sitting services and emergency respite so that "
                   "unpaid carers can rest, work and look after their own health.",
        "description": "Two lots by area. Providers arrange sitting services at home, day "
                       "opportunities and overnight breaks for carers of adults, and a "
                       "24-hour emergency respite line.",
        "cpv": [LIGHT_TOUCH_CPV, "85311000-2"], "value": Decimal("900000.00"), "term": 36,
        "light_touch": True,
        "lots": [("North Northshire", "Northby, Hillside and the northern parishes.",
                  Decimal("450000.00")),
                 ("South Northshire", "Southby, Ferncliffe and the southern parishes.",
                  Decimal("450000.00"))],
        "measures": ["local_jobs", "volunteering", "wellbeing"], "weights": (60, 25, 15),
    },
    "opened": {
        "reference": "NSH-2026-019", "title": "Meals on wheels and community meals",
        "summary": "Hot and chilled meals delivered to older and disabled people at home, "
                   "with a daily wellbeing check, and lunch clubs in community venues.",
        "description": "About 600 meals a day across the county, 365 days a year, meeting "
                       "cultural and medical diets.",
        "cpv": [LIGHT_TOUCH_CPV, "55521100-9"], "value": Decimal("1200000.00"), "term": 36,
        "light_touch": True, "measures": ["local_spend", "local_jobs"],
        "weights": (55, 30, 15), "closed_days_ago": 2,
    },
    "evaluation": {
        "reference": "NSH-2026-012", "title": "Youth mental health early support service",
        "summary": "Drop-in and online support for young people aged 11 to 25 with anxiety, "
                   "low mood or self-harm, without a referral.",
        "description": "Hubs in Northby and Southby, outreach to rural villages and evening "
                       "text support, working with schools and the NHS.",
        "cpv": ["85323000-9", LIGHT_TOUCH_CPV], "value": Decimal("750000.00"), "term": 36,
        "light_touch": True, "measures": ["volunteering", "apprentices"],
        "weights": (60, 25, 15), "closed_days_ago": 12,
    },
    "awarding": {
        "reference": "NSH-2026-008", "title": "Employment support for disabled people",
        "summary": "Individual placement and support helping disabled people and people "
                   "with long-term health conditions into paid work.",
        "description": "Job coaching, employer engagement and in-work support for 300 "
                       "people a year.",
        "cpv": ["79611000-0", LIGHT_TOUCH_CPV], "value": Decimal("680000.00"), "term": 36,
        "light_touch": True, "measures": ["local_jobs", "apprentices"],
        "weights": (60, 30, 10), "closed_days_ago": 30,
    },
    "standstill": {
        "reference": "NSH-2026-004", "title": "Supported housing for young people leaving care",
        "summary": "Supported accommodation with 24-hour staffing for care leavers aged 16 "
                   "to 21, helping them move on to a home of their own.",
        "description": "40 units in shared and self-contained flats in Northby and "
                       "Southby, with key workers and tenancy training.",
        "cpv": ["85311000-2", "70333000-4"], "value": Decimal("2400000.00"), "term": 48,
        "light_touch": True, "measures": ["local_jobs", "wellbeing"],
        "weights": (60, 25, 15), "closed_days_ago": 45,
        "scores": {MUTUAL: (100, 80), RIVERSIDE: (80, 60)},
    },
    "contracted": {
        "reference": "NSH-2025-041", "title": "Library outreach and home library service",
        "summary": "Books, audiobooks and digital skills help delivered to people who cannot "
                   "get to a library, with reading groups in care homes.",
        "description": "Volunteer-led deliveries to about 1,200 housebound readers, digital "
                       "inclusion sessions and reminiscence groups.",
        "cpv": ["92511000-6", LIGHT_TOUCH_CPV], "value": Decimal("420000.00"), "term": 36,
        "light_touch": True, "measures": ["volunteering", "local_jobs", "wellbeing"],
        "weights": (60, 25, 15),
    },
    "reserved": {
        "reference": "NSH-2026-023", "title": "Reablement at home after hospital",
        "summary": "Short-term care at home for up to six weeks after a hospital stay, helping "
                   "people regain everyday skills and confidence. Reserved for public service "
                   "mutuals.",
        "description": "About 900 people a year across Northshire, working with the hospital "
                       "discharge team. The contract is reserved for public service mutuals "
                       "under section 33 of the Procurement Act 2023.",
        "cpv": ["85312000-9", "85311000-2"], "value": Decimal("640000.00"), "term": 36,
        "light_touch": True, "procedure": "competitive_flexible", "reserved": True,
        "measures": ["local_jobs", "wellbeing"], "weights": (60, 25, 15),
        "closed_days_ago": 3,
    },
    "cancelled": {
        "reference": "NSH-2026-015", "title": "Community transport: dial-a-ride",
        "summary": "Door-to-door accessible minibus transport for people who cannot use "
                   "buses, for shopping, appointments and social activities.",
        "description": "A bookable service across the county using wheelchair-accessible "
                       "minibuses and volunteer car drivers.",
        "cpv": ["60130000-8"], "value": Decimal("560000.00"), "term": 36,
        "light_touch": False, "measures": ["carbon", "volunteering"],
        "weights": (60, 30, 10),
        "reason": "The council's budget for 2026/27 moves community transport into the new "
                  "integrated passenger transport contract with the NHS. This procurement "
                  "is terminated; no contract will be awarded from it.",
    },
}

QUESTIONS = [
    ("Service model", "Describe how you will deliver the service and the outcomes in the "
     "specification, including how people are referred and how you reach people who are "
     "seldom heard.", 750),
    ("Workforce and safeguarding", "How will you recruit, train, supervise and keep staff and "
     "volunteers, and how will you keep people safe?", 500),
]
SOCIAL_VALUE_QUESTION = ("What social value will you deliver through this contract in "
                         "Northshire? Commit to quantities for each measure and say how you "
                         "will deliver and evidence them.")

# Each provider's voice: answers (service model, workforce, social value), pricing, scores.
BIDDERS = {
    RIVERSIDE: {
        "user": "charity@example.org",
        "answers": (
            "Riverside has run community services in Northshire since 1998. For “{title}” "
            "we will work from our hubs in Northby and Hillside, take referrals from GPs, "
            "social workers and self-referral, and use our parish volunteer networks to "
            "reach people who are seldom heard.",
            "All staff and volunteers have enhanced DBS checks, safeguarding training at "
            "induction and monthly supervision. Our volunteer retention is 82% after a year.",
            "We will employ local people, give staff two volunteering days a year with "
            "community groups, and run wellbeing sessions with the parish councils.",
        ),
        "price_factor": Decimal("0.93"), "sv_factor": Decimal("1.2"), "owner": "Sam Patel",
        "scores": (80, 80),
    },
    MUTUAL: {
        "user": "mutual@example.org",
        "answers": (
            "As a staff-owned mutual that spun out of the council's adult social care team, "
            "we know the county's care pathways. For “{title}” we will build on our "
            f"{SEALED_PHRASE} and our telephone support line.",
            "Care workers are paid the Real Living Wage, are co-owners of the mutual and "
            "complete the Care Certificate. A registered manager leads safeguarding.",
            "We will create apprenticeships, employ local people and open our training "
            "days to other small providers.",
        ),
        "price_factor": Decimal("0.97"), "sv_factor": Decimal("1.0"), "owner": "Tom Reid",
        "scores": (80, 60),
    },
    BRIGHTWAY: {
        "user": "company@example.org",
        "answers": (
            "Brightway delivers similar services for 14 local authorities. For “{title}” "
            "we will use our national referral platform and a regional management team.",
            "Our recruitment centre hires and trains staff within six weeks; safeguarding is "
            "overseen by our national quality directorate.",
            "Our national social value programme includes local hiring and volunteering.",
        ),
        "price_factor": Decimal("0.88"), "sv_factor": Decimal("0.6"), "owner": "Gary Stone",
        "scores": (60, 40),
    },
}

# Base quantities per measure code, scaled by each bidder's sv_factor.
SV_QUANTITIES = {"CP-2.1-B": Decimal("6"), "CP-5.2-A": Decimal("400"),
                 "CP-2.2-A": Decimal("40000"), "CP-2.1-C": Decimal("4"),
                 "CP-5.1-A": Decimal("150"), "CP-3.1-A": Decimal("12")}

KPIS = [
    ("Housebound readers receiving a delivery every 3 weeks", "95% of registered readers",
     True),
    ("New readers visited within 10 working days of referral", "90%", True),
    ("Readers who say the service helps them feel less isolated", "80% in the annual survey",
     True),
]
