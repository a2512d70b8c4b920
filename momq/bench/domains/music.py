"""Music: artists, their albums and tracks, record labels and user playlists."""

from momq.bench import vocab as V
from momq.bench.domains._dsl import build, category, date, entity, flag, many_to_many, many_to_one, name, number, text
from momq.bench.generate import Combo, DateAfter, Dates, Ints, Money

GENRES = ("Pop", "Rock", "Hip Hop", "Jazz", "Electronic", "Classical", "Country", "Folk", "Metal", "Reggae")

DOMAIN, SPEC = build("music", "Artists, albums, tracks, record labels and playlists.", [
    entity("artist", "artist", "artists", 60,
           name("name", Combo((V.ADJECTIVES, V.NOUNS), "The {} {}s")),
           category("genre", GENRES),
           category("home_country", V.COUNTRIES[:10], "home country"),
           date("formed_on", Dates("1965-01-01", "2021-12-31"), "formation date"),
           number("monthly_listeners", Ints(1_000, 40_000_000, log=True), "monthly listeners")),
    entity("album", "album", "albums", 110,
           name("title", Combo((V.ADJECTIVES, V.NOUNS), "{} {}"), "title"),
           date("release_date", Dates("1970-01-01", "2024-12-31"), "release date"),
           category("album_format", ("Studio", "Live", "Compilation", "EP"), "album format"),
           number("price", Money(4.99, 29.99), unit="USD"),
           flag("is_explicit", 0.2, "explicit")),
    entity("track", "track", "tracks", 200,
           name("title", Combo((V.ADJECTIVES, V.NOUNS), "{} {}"), "title"),
           number("length_seconds", Ints(95, 540), "length", unit="seconds"),
           number("play_count", Ints(100, 50_000_000, log=True), "number of plays"),
           flag("is_single", 0.2, "single")),
    entity("record_label", "record label", "record labels", 18,
           name("name", Combo((V.COMPANY_STEMS,), "{} Records")),
           category("headquarters", ("Los Angeles", "New York", "London", "Berlin", "Stockholm", "Nashville"),
                    "headquarters city"),
           date("founded_on", Dates("1940-01-01", "2015-12-31"), "founding date")),
    entity("playlist", "playlist", "playlists", 45,
           name("title", Combo((V.ADJECTIVES, ("Mix", "Vibes", "Classics", "Hits", "Mornings", "Workout")),
                               "{} {}"), "title"),
           text("curator", Combo((V.FIRST_NAMES,), "{}"), "curator", nullable=True, null_rate=0.2),
           date("created_on", Dates("2012-01-01", "2024-12-31"), "creation date"),
           flag("is_public", 0.75, "public")),
], [
    many_to_one("released_by", "album", "artist", "was released by", "released", target_share=0.9),
    many_to_one("appears_on", "track", "album", "appears on", "contains", target_share=0.85),
    many_to_one("signed_to", "artist", "record_label", "is signed to", "has signed", optional=True,
                coverage=0.75, target_share=0.8),
    many_to_many("playlist_track", "playlist", "track", "includes", "is included in",
                 date("added_on", DateAfter("source.created_on", 0, 500), "date added"),
                 number("slot", Ints(1, 50), "slot in the playlist"),
                 per_source=(3, 10), empty_share=0.05, target_share=0.8),
])
