"""Museums: artworks by artists, held by museums and shown in exhibitions."""

from momq.bench import vocab as V
from momq.bench.domains._dsl import build, category, date, entity, flag, many_to_many, many_to_one, name, number, text
from momq.bench.generate import Code, Combo, DateAfter, Dates, Ints, Lookup, Money

DOMAIN, SPEC = build("museums", "Museums, artworks, artists and exhibitions.", [
    entity("museum", "museum", "museums", 16,
           name("name", Combo((V.CITIES,), "{} Museum of Art")),
           category("country_name", Lookup("name", V.CITY_COUNTRY), "country"),
           number("annual_visitors", Ints(20_000, 9_000_000, log=True), "annual visitors", unit="visitors"),
           number("ticket_price", Money(0, 30), "ticket price", unit="USD"),
           flag("is_free_entry", 0.2, "free entry")),
    entity("artwork", "artwork", "artworks", 180,
           name("title", Combo((V.ADJECTIVES, V.NOUNS), "{} {}"), "title"),
           category("medium", ("Oil on canvas", "Watercolor", "Sculpture", "Photograph", "Print", "Drawing",
                               "Installation"), "medium"),
           number("created_year", Ints(1450, 2023), "year of creation"),
           number("insured_value", Money(5_000, 80_000_000, log=True, step=1000), "insured value", unit="USD",
                  nullable=True, null_rate=0.25),
           flag("on_display", 0.6, "on display")),
    entity("artist", "artist", "artists", 60,
           name("name", Combo((V.FIRST_NAMES, V.LAST_NAMES))),
           category("movement", ("Impressionism", "Modernism", "Renaissance", "Baroque", "Cubism", "Surrealism",
                                 "Contemporary", "Romanticism"), "art movement"),
           date("birth_date", Dates("1430-01-01", "1995-12-31"), "date of birth"),
           category("nationality", V.COUNTRIES[:12])),
    entity("exhibition", "exhibition", "exhibitions", 40,
           name("title", Combo((V.ADJECTIVES, V.NOUNS), "{} {}: An Exhibition"), "title"),
           date("opens_on", Dates("2018-01-01", "2025-06-30"), "opening date"),
           date("closes_on", DateAfter("opens_on", 30, 240), "closing date"),
           number("curator_budget", Money(10_000, 2_000_000, log=True, step=100), "budget", unit="USD")),
], [
    many_to_one("created_by", "artwork", "artist", "was created by", "created", optional=True, coverage=0.9,
                target_share=0.85),
    many_to_one("owned_by", "artwork", "museum", "is owned by", "owns", target_share=0.9),
    many_to_one("hosted_by", "exhibition", "museum", "is hosted by", "hosts", target_share=0.8),
    many_to_many("features", "exhibition", "artwork", "features", "is featured in",
                 text("gallery_room", Code("Room ##"), "gallery room"),
                 flag("is_loan", 0.25, "on loan"),
                 per_source=(2, 8), empty_share=0.05, target_share=0.6),
])
