"""Car rental: cars of car models, rental offices, customers and their rentals."""

from momq.bench import vocab as V
from momq.bench.domains._dsl import build, category, date, entity, flag, many_to_many, many_to_one, name, number, text
from momq.bench.generate import Code, Combo, Dates, Email, Ints, Money

DOMAIN, SPEC = build("car_rental", "A car rental company's cars, models, offices, customers and rentals.", [
    entity("car", "car", "cars", 120,
           name("plate", Code("@@-###-@"), "licence plate"),
           category("color", ("White", "Black", "Silver", "Gray", "Blue", "Red", "Green"), "color"),
           number("mileage_km", Ints(500, 180_000), "mileage", unit="km"),
           date("bought_on", Dates("2016-01-01", "2024-10-31"), "purchase date"),
           flag("is_electric", 0.2, "electric")),
    entity("car_model", "car model", "car models", 24,
           name("name", Combo((("Volta", "Mistral", "Corsa", "Aurora", "Sirocco", "Tundra", "Vega", "Nomad",
                                "Pulse", "Orion", "Zephyr", "Atlas"), ("S", "GT", "Sport", "Eco")), "{} {}")),
           category("manufacturer", ("Toyota", "Volkswagen", "Ford", "Hyundai", "BMW", "Renault", "Kia", "Tesla"),
                    "manufacturer"),
           category("body_style", ("Sedan", "SUV", "Hatchback", "Van", "Convertible"), "body style"),
           number("seats", Ints(2, 9), "number of seats"),
           number("daily_rate", Money(25, 280), "daily rate", unit="USD")),
    entity("rental_office", "rental office", "rental offices", 14,
           name("name", Combo((V.CITIES,), "{} Office")),
           category("office_location", ("Airport", "Downtown", "Train Station", "Suburb"), "location kind"),
           text("opening_time", Combo((("06:00", "07:00", "08:00", "09:00"),), "{}"), "opening time"),
           flag("open_weekends", 0.6, "open on weekends")),
    entity("customer", "customer", "customers", 150,
           name("name", Combo((V.FIRST_NAMES, V.LAST_NAMES))),
           text("email", Email("name", "rent.example")),
           date("license_since", Dates("1975-01-01", "2023-12-31"), "driving licence date"),
           number("loyalty_points", Ints(0, 20_000, log=False), "loyalty points", nullable=True, null_rate=0.4)),
], [
    many_to_one("model_of", "car", "car_model", "is of model", "includes", target_share=0.9),
    many_to_one("based_at", "car", "rental_office", "is based at", "keeps", target_share=0.85),
    many_to_many("rental", "customer", "car", "rented", "was rented by",
                 date("pickup_date", Dates("2023-01-01", "2024-12-31"), "pickup date"),
                 number("days", Ints(1, 21), "rental length", unit="days"),
                 number("total_price", Money(25, 5000, log=True), "total price", unit="USD"),
                 flag("has_insurance", 0.45, "insurance"),
                 per_source=(1, 3), empty_share=0.15, target_share=0.85),
])
