"""The synthetic blog's sentence templates and the words their slots draw from, in English and Dutch.

A template's ``{slot}`` is filled by ``writer.Writer``; the pools are tuples so that a seeded draw picks
the same entry on every run.
"""

from __future__ import annotations

# (code, English name, Dutch name, cities, currency ISO code, symbol, word, local units per US dollar)
COUNTRIES = (
    ("KH", "Cambodia", "Cambodja", ("Phnom Penh", "Siem Reap", "Battambang"), "KHR", "KHR", "riel", 4000),
    ("ID", "Indonesia", "Indonesië", ("Jakarta", "Surabaya", "Medan", "Bandung"), "IDR", "Rp", "rupiah", 15000),
    ("PH", "the Philippines", "de Filipijnen", ("Manila", "Quezon City", "Cebu", "Davao"), "PHP", "₱", "pesos", 55),
    ("NP", "Nepal", "Nepal", ("Kathmandu", "Pokhara", "Biratnagar"), "NPR", "NPR", "rupees", 130),
    ("IN", "India", "India", ("New Delhi", "Mumbai", "Chennai", "Bangalore"), "INR", "Rs.", "rupees", 80),
    ("BD", "Bangladesh", "Bangladesh", ("Dhaka", "Chittagong", "Gazipur"), "BDT", "Tk", "taka", 110),
    ("LK", "Sri Lanka", "Sri Lanka", ("Colombo", "Kandy"), "USD", "US$", "dollars", 1),
    ("PK", "Pakistan", "Pakistan", ("Karachi", "Lahore"), "USD", "US$", "dollars", 1),
    ("MM", "Myanmar", "Myanmar", ("Yangon", "Mandalay"), "MMK", "MMK", "kyat", 2100),
    ("TH", "Thailand", "Thailand", ("Bangkok", "Chiang Mai"), "THB", "THB", "baht", 35),
    ("VN", "Vietnam", "Vietnam", ("Hanoi", "Ho Chi Minh City"), "VND", "VND", "dong", 24000),
    ("MY", "Malaysia", "Maleisië", ("Kuala Lumpur", "Penang"), "MYR", "RM", "ringgit", 4),
)

EN_INTRO = (
    "{org} organised a {event} on {topic} in {city} from {day} to {day2} {month}.",
    "Last {month}, {org} and {org2} brought together {people} to discuss {topic}.",
    "The {sector} sector in {country} employs {big_people}, most of them without a written contract.",
    "Members of {org} met the Ministry of Labour to present their proposals on {topic}.",
    "In {country}, {topic} remains one of the main concerns of workers in the informal economy.",
    "{org} has been working on {topic} in {country} since {year}.",
    "Workers in {country} still face many obstacles when they try to claim their right to {topic}.",
)
EN_FIGURE = (
    "In {year}, the campaign reached {people} in {small} provinces.",
    "About {pct} of the workers interviewed had no access to health insurance.",
    "Only {pct} of the {sector} workers are covered by the national social security scheme.",
    "The government allocated {money} to the new scheme, which should benefit {big_people} by {later_year}.",
    "Each member pays a monthly contribution of {small_money}, and the employer adds {small_money}.",
    "The minimum wage was raised from {small_money} to {small_money} a month.",
    "{Word} trade unions signed the joint statement, representing {people}.",
    "A survey of {survey} domestic workers found that {pct} worked more than {hours} hours a week.",
    "The fund paid out {money} in benefits to {people} last year.",
    "Around {pct} of the participants were women and {pct} were young workers.",
    "The {event} trained {people} as community organisers.",
    "Thanks to the advocacy of {org}, {big_people} gained access to maternity benefits.",
)
EN_INSTRUMENT = (
    "The network urged the government of {country} to ratify {instr}.",
    "{Country} ratified {instr} in {year}, but implementation remains weak.",
    "Unions referred to {instr_pair} during the International Labour Conference in Geneva.",
    "{org} used {instr} as a benchmark in its position paper on {topic}.",
    "The campaign for the ratification of {instr} collected {signatures} signatures.",
    "According to {org}, the new law falls short of {instr}.",
    "Participants studied {instr} and compared it with the national legislation.",
)
EN_ORG = (
    "{org} and {org2} submitted a joint position paper to the Ministry of Labour.",
    "Representatives of {org}, {org2} and {org3} took part in the dialogue.",
    "{org} welcomed the decision and announced further actions.",
    "The {event} was supported by {org} and hosted by {org2}.",
    "Leaders of {org} explained how domestic workers organise in {city}.",
)
EN_FILLER = (
    "The meeting brought together workers from the informal economy, trade unions and civil society organisations.",
    "Participants shared their experiences and agreed on a common plan of action for the coming year.",
    "Social protection is a human right, not a privilege for the few who have a formal job.",
    "Many workers lost their income during the floods and had nowhere to turn for support.",
    "The discussions showed that women workers are hit hardest by the lack of protection.",
    "Young workers called for decent jobs and a fair transition to a greener economy.",
)
EN_CLOSING = (
    "The next meeting is planned for {month} {later_year}.",
    "The network will continue to follow up on these commitments.",
    "For more information, contact the regional secretariat in {city}.",
    "Read more about the activities of the network on this blog.",
)
EN_BULLET = (
    "{people} enrolled in the health insurance scheme",
    "{instr} ratified by {country} in {year}",
    "{money} allocated to {topic}",
    "training for {small} trainers of {org}",
    "{pct} of the members are women",
)
EN_TITLE = (
    "{Group} in {country} demand {topic}",
    "{acronym} calls for ratification of {instr_short}",
    "{Country}: {small} unions join forces for {topic}",
    "Social protection week in {city}",
    "What did the network achieve in {year}?",
    "{Group} in {city} organise",
    "A new law on {topic} in {country}",
)

NL_INTRO = (
    "{org} organiseerde van {day} tot {day2} {maand} een {evenement} over {thema} in {city}.",
    "Vorige maand brachten {org} en {org2} {mensen} samen om te praten over {thema}.",
    "In {land} blijft {thema} een van de grootste zorgen van werknemers in de informele economie.",
    "Leden van {org} gingen naar het Ministerie van Arbeid om hun voorstellen over {thema} voor te stellen.",
    "{org} werkt sinds {year} rond {thema} in {land}.",
)
NL_FIGURE = (
    "In {year} bereikte de campagne {mensen} in {small} provincies.",
    "Ongeveer {pct_nl} van de ondervraagde werknemers heeft geen ziekteverzekering.",
    "De regering trok {geld} uit voor het nieuwe stelsel, dat tegen {later_year} {grote_groep} moet bereiken.",
    "Elk lid betaalt een maandelijkse bijdrage van {klein_geld}, de werkgever legt {klein_geld} bij.",
    "Het minimumloon steeg van {klein_geld} naar {klein_geld} per maand.",
    "{Woord} vakbonden ondertekenden de gezamenlijke verklaring.",
    "Het fonds betaalde vorig jaar {geld} aan uitkeringen uit aan {mensen}.",
    "Ongeveer {pct_nl} van de deelnemers waren vrouwen.",
)
NL_INSTRUMENT = (
    "De vakbonden vragen de regering van {land} om {verdrag} te ratificeren.",
    "{Land} ratificeerde {verdrag} in {year}, maar de toepassing blijft zwak.",
    "{org} gebruikt {verdrag} als maatstaf in haar standpunt over {thema}.",
    "De deelnemers bestudeerden {verdrag} en vergeleken het met de nationale wetgeving.",
)
NL_ORG = (
    "{org} en {org2} dienden samen een standpunt in bij het Ministerie van Arbeid.",
    "Vertegenwoordigers van {org}, {org2} en {org3} namen deel aan de dialoog.",
    "{org} steunt de partners in {land} al vele jaren.",
)
NL_FILLER = (
    "Sociale bescherming is een mensenrecht en geen voorrecht voor wie een formele job heeft.",
    "De deelnemers wisselden ervaringen uit en spraken een gezamenlijk actieplan af.",
    "Vooral vrouwen en jongeren hebben het moeilijk om toegang te krijgen tot sociale zekerheid.",
    "Veel werknemers verloren hun inkomen tijdens de overstromingen en konden nergens terecht.",
)
NL_CLOSING = (
    "De volgende bijeenkomst is gepland voor {maand} {later_year}.",
    "Het netwerk blijft deze engagementen van dichtbij opvolgen.",
    "Meer informatie vind je bij het regionale secretariaat in {city}.",
)
NL_TITLE = (
    "{Groep} in {land} eisen sociale bescherming",
    "Vakbonden in {land} vragen ratificatie van ILO-verdrag {number}",
    "Vorming over {thema} in {city}",
    "Wat bereikte het netwerk in {year}?",
)

EVENTS = ("workshop", "national dialogue", "training", "consultation", "conference", "exchange visit")
EVENTS_NL = ("vorming", "nationale dialoog", "workshop", "studiedag", "uitwisseling")
TOPICS = ("social protection", "health insurance", "maternity protection", "minimum wages", "pensions",
          "decent work", "unemployment benefits", "occupational safety and health", "labour migration",
          "the rights of domestic workers", "a just transition")
THEMAS = ("sociale bescherming", "ziekteverzekering", "moederschapsbescherming", "minimumlonen", "pensioenen",
          "waardig werk", "arbeidsmigratie", "de rechten van huishoudpersoneel")
SECTORS = ("garment", "construction", "domestic work", "fisheries", "agriculture", "transport", "tourism")
GROUPS = ("Domestic workers", "Garment workers", "Informal workers", "Migrant workers", "Street vendors",
          "Fishers", "Construction workers", "Home-based workers", "Platform workers")
GROEPEN = ("Huishoudwerkers", "Textielarbeiders", "Informele werknemers", "Migranten", "Straatverkopers")
NOUNS = ("people", "workers", "members", "women", "participants", "domestic workers", "informal workers")
NOUNS_NL = ("mensen", "werknemers", "leden", "vrouwen", "deelnemers", "huishoudwerkers")
WORDS_EN = ("Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Ten", "Twelve", "Fifteen", "Twenty")
WORDS_NL = ("Twee", "Drie", "Vier", "Vijf", "Zes", "Acht", "Tien", "Twaalf", "Twintig")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")
LABELS = ("asia", "social protection", "domestic workers", "informal economy", "migration", "health insurance",
          "trade unions", "ILO", "minimum wage", "youth", "gender")
POOLS = {
    "en": (EN_INTRO, EN_FIGURE, EN_INSTRUMENT, EN_ORG, EN_FILLER, EN_CLOSING),
    "nl": (NL_INTRO, NL_FIGURE, NL_INSTRUMENT, NL_ORG, NL_FILLER, NL_CLOSING),
}
