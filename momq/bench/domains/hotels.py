"""Hotels: hotels and their rooms, guests' stays, amenities and hotel chains."""

from momq.bench import vocab as V
from momq.bench.domains._dsl import build, category, date, entity, flag, many_to_many, many_to_one, name, number, text
from momq.bench.generate import Code, Combo, Dates, Ints, Lookup, Money, Phone, PriceFrom

HOTEL_CITIES = ("Paris", "London", "New York", "Tokyo", "Barcelona", "Rome", "Vienna", "Lisbon", "Singapore",
                "Sydney")

DOMAIN, SPEC = build("hotels", "Hotels, rooms, guests' stays, amenities and hotel chains.", [
    entity("hotel", "hotel", "hotels", 24,
           name("name", Combo((HOTEL_CITIES, ("Grand Hotel", "Plaza", "Inn", "Suites", "Resort")), "{} {}")),
           category("city", Lookup("name", tuple((c, c) for c in HOTEL_CITIES))),
           number("stars", Ints(1, 5), "star rating", unit="stars"),
           date("opened_on", Dates("1920-01-01", "2023-12-31"), "opening date"),
           flag("has_pool", 0.4, "swimming pool")),
    entity("room", "room", "rooms", 180,
           name("room_label", Code("R-####"), "room number"),
           category("room_kind", ("Double", "Single", "Twin", "Suite", "Family"), "room kind"),
           number("nightly_rate", Money(45, 950, log=True), "nightly rate", unit="USD"),
           number("floor_number", Ints(0, 30), "floor"),
           flag("is_accessible", 0.15, "wheelchair accessible")),
    entity("hotel_guest", "guest", "guests", 160,
           name("name", Combo((V.FIRST_NAMES, V.LAST_NAMES))),
           category("nationality", V.COUNTRIES[:12]),
           text("phone", Phone(), "phone number", nullable=True, null_rate=0.2),
           flag("is_loyalty_member", 0.3, "loyalty member")),
    entity("amenity", "amenity", "amenities", 16,
           name("name", ("Spa", "Gym", "Sauna", "Rooftop Bar", "Restaurant", "Airport Shuttle", "Parking",
                         "Laundry", "Business Center", "Kids Club", "Tennis Court", "Bike Rental",
                         "Concierge", "Pet Care", "Library Lounge", "Ballroom")),
           category("amenity_area", ("Wellness", "Dining", "Services", "Leisure"), "area")),
    entity("chain", "hotel chain", "hotel chains", 12,
           name("name", Combo((V.COMPANY_STEMS,), "{} Hotels")),
           category("headquarters", ("New York", "London", "Paris", "Dubai", "Singapore", "Madrid"),
                    "headquarters city"),
           date("founded_on", Dates("1900-01-01", "2015-12-31"), "founding date")),
], [
    many_to_one("room_of", "room", "hotel", "belongs to", "has", target_share=0.9, skew=0.3),
    many_to_one("part_of", "hotel", "chain", "is part of", "runs", optional=True, coverage=0.7,
                target_share=0.8),
    many_to_many("stay", "hotel_guest", "room", "stayed in", "hosted",
                 date("check_in", Dates("2023-01-01", "2024-12-31"), "check-in date"),
                 number("nights", Ints(1, 14), unit="nights"),
                 number("total_cost", PriceFrom("target.nightly_rate", 0.85, 1.0, "nights"), "total cost",
                        unit="USD"),
                 per_source=(1, 3), empty_share=0.1, target_share=0.75),
    many_to_many("offers", "hotel", "amenity", "offers", "is offered by",
                 number("extra_fee", Money(5, 120), "extra fee", unit="USD", nullable=True, null_rate=0.5),
                 per_source=(1, 6), empty_share=0.1, target_share=0.85),
])
