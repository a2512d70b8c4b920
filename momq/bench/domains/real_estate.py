"""Real estate: property listings, agents and their agencies, neighborhoods and clients' viewings."""

from momq.bench import vocab as V
from momq.bench.domains._dsl import build, category, date, entity, flag, many_to_many, many_to_one, name, number, text
from momq.bench.generate import Combo, Dates, Floats, Ints, Money, Phone, PriceFrom

DOMAIN, SPEC = build("real_estate", "Property listings, agents, agencies, neighborhoods and viewings.", [
    entity("listing", "listing", "listings", 150,
           name("street_address", Combo((tuple(str(n) for n in range(1, 400)), V.STREET_NAMES,
                                         V.STREET_SUFFIXES), "{} {} {}"), "address"),
           category("property_kind", ("Apartment", "House", "Townhouse", "Condo", "Studio", "Villa"),
                    "property kind"),
           number("asking_price", Money(90_000, 3_500_000, log=True, step=1000), "asking price", unit="USD"),
           number("bedrooms", Ints(0, 6), "number of bedrooms", unit="bedrooms"),
           number("area_sqm", Ints(25, 600), "floor area", unit="square meters"),
           date("listed_on", Dates("2022-01-01", "2024-12-31"), "listing date"),
           flag("has_garage", 0.35, "garage")),
    entity("realtor", "agent", "agents", 40,
           name("name", Combo((V.FIRST_NAMES, V.LAST_NAMES))),
           text("phone", Phone(), "phone number", nullable=True, null_rate=0.1),
           date("licensed_on", Dates("1995-01-01", "2024-06-30"), "licence date"),
           number("commission_rate", Floats(1.0, 6.0), "commission rate", unit="percent")),
    entity("agency", "agency", "agencies", 12,
           name("name", Combo((V.COMPANY_STEMS,), "{} Realty")),
           date("founded_on", Dates("1960-01-01", "2020-12-31"), "founding date"),
           flag("is_franchise", 0.4, "franchise")),
    entity("neighborhood", "neighborhood", "neighborhoods", 24,
           name("name", Combo((V.STREET_NAMES, ("Heights", "Park", "Village", "Gardens", "Quarter")), "{} {}")),
           category("city", V.CITIES[:6]),
           number("walk_score", Ints(10, 100), "walkability score"),
           number("median_income", Money(25_000, 180_000, step=100), "median household income", unit="USD")),
    entity("client", "client", "clients", 100,
           name("name", Combo((V.FIRST_NAMES, V.LAST_NAMES))),
           number("max_budget", Money(100_000, 3_000_000, log=True, step=5000), "maximum budget", unit="USD"),
           flag("is_first_time_buyer", 0.4, "first-time buyer")),
], [
    many_to_one("listed_by", "listing", "realtor", "is listed by", "lists", target_share=0.85),
    many_to_one("works_for", "realtor", "agency", "works for", "employs", optional=True, coverage=0.85,
                target_share=0.85),
    many_to_one("located_in", "listing", "neighborhood", "is located in", "contains", target_share=0.85),
    many_to_many("viewing", "client", "listing", "viewed", "was viewed by",
                 date("viewed_on", Dates("2022-01-01", "2024-12-31"), "viewing date"),
                 number("offer_amount", PriceFrom("target.asking_price", 0.85, 1.05), "offer", unit="USD",
                        nullable=True, null_rate=0.7),
                 per_source=(1, 5), empty_share=0.15, target_share=0.8),
])
