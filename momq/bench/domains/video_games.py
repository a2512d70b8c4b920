"""Video games: games, their developers and publishers, platforms and players' play time."""

from momq.bench import vocab as V
from momq.bench.domains._dsl import build, category, date, entity, flag, many_to_many, many_to_one, name, number
from momq.bench.generate import Combo, Dates, Floats, Ints, Lookup, Money

PLATFORM_MAKER = (
    ("PC", "Various"), ("PlayStation 5", "Sony"), ("PlayStation 4", "Sony"), ("Xbox Series X", "Microsoft"),
    ("Xbox One", "Microsoft"), ("Nintendo Switch", "Nintendo"), ("Nintendo 3DS", "Nintendo"), ("Wii U", "Nintendo"),
    ("iOS", "Apple"), ("Mac", "Apple"), ("Android", "Google"), ("Steam Deck", "Valve"), ("Linux", "Various"),
)

DOMAIN, SPEC = build("video_games", "Video games, developers, publishers, platforms and gamers.", [
    entity("video_game", "game", "games", 120,
           name("title", Combo((V.ADJECTIVES, V.GAME_WORDS), "{} {}"), "title"),
           category("genre", ("Action", "Role-Playing", "Strategy", "Shooter", "Puzzle", "Sports", "Racing",
                              "Simulation", "Platformer")),
           category("age_rating", ("E", "E10+", "T", "M"), "age rating"),
           number("review_score", Ints(35, 98), "review score"),
           flag("is_multiplayer", 0.5, "multiplayer")),
    entity("developer", "developer", "developers", 30,
           name("name", Combo((V.COMPANY_STEMS,), "{} Studios")),
           category("country_name", ("United States", "Japan", "Canada", "United Kingdom", "France", "Poland",
                                     "Sweden", "South Korea"), "country"),
           number("staff_count", Ints(5, 3000, log=True), "number of employees"),
           date("founded_on", Dates("1975-01-01", "2020-12-31"), "founding date")),
    entity("publisher", "publisher", "publishers", 14,
           name("name", Combo((V.COMPANY_STEMS,), "{} Interactive")),
           number("revenue_musd", Floats(5.0, 9000.0), "annual revenue", unit="million USD"),
           flag("is_listed", 0.5, "publicly listed")),
    entity("platform", "platform", "platforms", 12,
           name("name", tuple(p for p, _ in PLATFORM_MAKER)),
           category("maker", Lookup("name", PLATFORM_MAKER), "maker"),
           date("launched_on", Dates("2005-01-01", "2023-12-31"), "launch date")),
    entity("gamer", "player", "players", 150,
           name("gamertag", Combo((V.ADJECTIVES, V.NOUNS), "{}{}"), "gamertag"),
           category("home_country", V.COUNTRIES[:10], "home country"),
           date("joined_on", Dates("2012-01-01", "2024-12-31"), "join date"),
           flag("is_premium", 0.3, "premium subscriber")),
], [
    many_to_one("developed_by", "video_game", "developer", "was developed by", "developed", target_share=0.85),
    many_to_one("published_by", "video_game", "publisher", "was published by", "published", optional=True,
                coverage=0.8, target_share=0.85),
    many_to_many("available_on", "video_game", "platform", "is available on", "offers",
                 date("release_date", Dates("2008-01-01", "2024-12-31"), "release date"),
                 number("price", Money(0, 69.99), unit="USD"),
                 per_source=(1, 4), empty_share=0.0, target_share=0.85),
    many_to_many("plays", "gamer", "video_game", "plays", "is played by",
                 number("hours_played", Floats(0.5, 1500.0), "hours played", unit="hours"),
                 number("achievements", Ints(0, 80), "achievements unlocked"),
                 per_source=(1, 6), empty_share=0.1, target_share=0.85),
])
