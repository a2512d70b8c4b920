"""Sports league: teams, players, stadiums, games between two teams and players' game statistics."""

from momq.bench import vocab as V
from momq.bench.domains._dsl import build, category, date, entity, flag, many_to_many, many_to_one, name, number, text
from momq.bench.generate import Combo, Dates, Floats, Ints, Money

DOMAIN, SPEC = build("sports", "A football league's teams, players, stadiums, games and statistics.", [
    entity("team", "team", "teams", 18,
           name("name", Combo((V.CITIES[:40], ("United", "Rovers", "City", "Athletic", "Wanderers")), "{} {}")),
           date("founded_on", Dates("1870-01-01", "2005-12-31"), "founding date"),
           category("division", ("Premier", "First", "Second"), "division", skew=0.3),
           number("payroll", Money(5_000_000, 300_000_000, log=True, step=1000), "payroll", unit="USD")),
    entity("player", "player", "players", 200,
           name("name", Combo((V.FIRST_NAMES, V.LAST_NAMES))),
           category("playing_role", ("Forward", "Midfielder", "Defender", "Goalkeeper"), "playing position"),
           date("birth_date", Dates("1985-01-01", "2006-12-31"), "date of birth"),
           number("height_cm", Ints(165, 200), "height", unit="cm"),
           number("market_value", Money(100_000, 120_000_000, log=True, step=1000), "market value",
                  unit="USD"),
           text("nickname", Combo((V.ADJECTIVES,), "The {}"), nullable=True, null_rate=0.7)),
    entity("stadium", "stadium", "stadiums", 16,
           name("name", Combo((V.COMPANY_STEMS,), "{} Arena")),
           category("city", V.CITIES[:20]),
           number("seating", Ints(8_000, 90_000), "seating capacity", unit="seats"),
           flag("has_roof", 0.25, "roof")),
    entity("game", "game", "games", 120,
           date("played_on", Dates("2023-08-01", "2024-05-31"), "game date"),
           number("home_goals", Ints(0, 5), "home team goals", unit="goals"),
           number("away_goals", Ints(0, 4), "away team goals", unit="goals"),
           number("attendance", Ints(3_000, 85_000), unit="spectators", nullable=True, null_rate=0.1)),
], [
    many_to_one("plays_for", "player", "team", "plays for", "fields", optional=True, coverage=0.9,
                target_share=0.9, skew=0.2),
    many_to_one("home_team", "game", "team", "was hosted by", "hosted", fk_column="home_team_id",
                target_share=0.9, skew=0.2),
    many_to_one("away_team", "game", "team", "was played away by", "played away in", fk_column="away_team_id",
                target_share=0.9, skew=0.2, distinct_from="home_team"),
    many_to_one("played_at", "game", "stadium", "was played at", "was the venue of", target_share=0.8),
    many_to_many("appeared_in", "player", "game", "appeared in", "featured",
                 number("minutes_played", Ints(1, 90), "minutes played", unit="minutes"),
                 number("goals", Ints(0, 3), unit="goals"),
                 number("match_rating", Floats(4.0, 9.8, 1), "rating"),
                 per_source=(1, 5), empty_share=0.15, target_share=0.9),
])
