"""Flights: airports, airlines, aircraft, scheduled flights and passengers' bookings."""

from momq.bench import vocab as V
from momq.bench.domains._dsl import build, category, date, entity, flag, many_to_many, many_to_one, name, number, text
from momq.bench.generate import Code, Combo, DateAfter, Dates, Ints, Lookup, Money

DOMAIN, SPEC = build("flights", "Airports, airlines, aircraft, flights and passenger bookings.", [
    entity("airport", "airport", "airports", 30,
           name("name", Combo((V.CITIES,), "{} International")),
           text("iata_code", Code("@@@"), "IATA code", unique=True),
           category("country_name", Lookup("name", V.CITY_COUNTRY), "country"),
           number("runway_count", Ints(1, 6), "number of runways", unit="runways"),
           flag("is_hub", 0.3, "hub")),
    entity("airline", "airline", "airlines", 16,
           name("name", Combo((V.COMPANY_STEMS,), "{} Airways")),
           category("alliance", ("Star Alliance", "Oneworld", "SkyTeam", "Independent")),
           date("founded_on", Dates("1925-01-01", "2015-12-31"), "founding date"),
           flag("is_low_cost", 0.3, "low-cost carrier")),
    entity("aircraft", "aircraft", "aircraft", 40,
           name("registration", Code("@-@@@@"), "registration"),
           category("model", ("Airbus A320", "Boeing 737", "Airbus A321", "Boeing 787", "Airbus A350",
                              "Embraer E190", "Boeing 777"), "aircraft model"),
           number("seat_capacity", Ints(90, 420), "seat capacity", unit="seats"),
           date("built_on", Dates("1998-01-01", "2023-12-31"), "build date")),
    entity("flight", "flight", "flights", 150,
           name("flight_code", Code("@@###"), "flight number"),
           date("departure_date", Dates("2024-01-01", "2024-12-31"), "departure date"),
           number("distance_km", Ints(250, 13_000, log=True), "distance", unit="km"),
           number("scheduled_minutes", Ints(45, 900), "scheduled flight time", unit="minutes"),
           number("delay_minutes", Ints(0, 240, ), "delay", unit="minutes", nullable=True, null_rate=0.3)),
    entity("passenger", "passenger", "passengers", 180,
           name("name", Combo((V.FIRST_NAMES, V.LAST_NAMES))),
           category("nationality", V.COUNTRIES[:12]),
           date("birth_date", Dates("1940-01-01", "2015-12-31"), "date of birth"),
           text("frequent_flyer_no", Code("FF########"), "frequent flyer number", nullable=True, null_rate=0.5)),
], [
    many_to_one("departs_from", "flight", "airport", "departs from", "is the departure airport of",
                fk_column="origin_airport_id", target_share=0.85),
    many_to_one("arrives_at", "flight", "airport", "arrives at", "is the arrival airport of",
                fk_column="destination_airport_id", target_share=0.85, distinct_from="departs_from"),
    many_to_one("operated_by", "flight", "airline", "is operated by", "operates", target_share=0.85),
    many_to_one("flown_with", "flight", "aircraft", "is flown with", "is used for", optional=True, coverage=0.85,
                target_share=0.8),
    many_to_many("booking", "passenger", "flight", "booked", "was booked by",
                 category("cabin", ("Economy", "Premium Economy", "Business", "First"), "cabin class", skew=1.5),
                 number("fare", Money(49, 4500, log=True), unit="USD"),
                 date("booked_on", DateAfter("target.departure_date", -240, -1), "booking date"),
                 per_source=(1, 3), empty_share=0.1, target_share=0.9),
])
