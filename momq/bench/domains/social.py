"""Social network: members who follow each other, posts, likes, communities and hashtags."""

from momq.bench import vocab as V
from momq.bench.domains._dsl import build, category, date, entity, flag, many_to_many, many_to_one, name, number, text
from momq.bench.generate import Combo, DateAfter, Dates, Ints

DOMAIN, SPEC = build("social", "A social network's members, follows, posts, likes, communities and hashtags.", [
    entity("member", "member", "members", 150,
           name("handle", Combo((tuple(w.lower() for w in V.ADJECTIVES), tuple(w.lower() for w in V.NOUNS)),
                                "{}_{}"), "handle"),
           text("display_name", Combo((V.FIRST_NAMES, V.LAST_NAMES)), "display name"),
           category("home_city", V.CITIES[:15], "home city"),
           date("joined_on", Dates("2010-01-01", "2024-12-31"), "join date"),
           text("bio", Combo((("Coffee lover", "Runner", "Photographer", "Gamer", "Bookworm", "Traveler",
                                "Developer", "Chef at heart", "Dog person", "Music nerd"),), "{}"), "bio",
                nullable=True, null_rate=0.35),
           flag("is_verified", 0.08, "verified")),
    entity("post", "post", "posts", 200,
           text("body", Combo((("Just finished", "Thinking about", "Can't stop listening to", "Loving",
                                "Finally tried", "Anyone else into"), V.NOUNS), "{} the {}"), "text"),
           date("posted_on", Dates("2020-01-01", "2024-12-31"), "posting date"),
           category("visibility", ("Public", "Followers", "Private"), "visibility"),
           number("share_count", Ints(0, 5000, log=False), "number of shares")),
    entity("community", "community", "communities", 24,
           name("name", Combo((V.ADJECTIVES, ("Gardeners", "Coders", "Runners", "Bakers", "Readers",
                                              "Photographers", "Hikers", "Gamers")), "{} {}")),
           category("topic", ("Hobbies", "Technology", "Sports", "Food", "Books", "Travel"), "topic"),
           date("created_on", Dates("2012-01-01", "2024-06-30"), "creation date"),
           flag("is_private", 0.25, "private")),
    entity("hashtag", "hashtag", "hashtags", 40,
           name("name", Combo((tuple(w.lower() for w in V.NOUNS),), "#{}"), "hashtag"),
           number("trend_score", Ints(0, 100), "trend score")),
], [
    many_to_many("follows", "member", "member", "follows", "is followed by",
                 date("since", DateAfter("source.joined_on", 0, 500), "follow date"),
                 source_column="follower_id", target_column="followee_id",
                 per_source=(1, 8), empty_share=0.1, target_share=0.8, skew=1.0),
    many_to_one("authored_by", "post", "member", "was written by", "wrote", fk_column="author_id",
                target_share=0.7),
    many_to_many("likes", "member", "post", "likes", "is liked by",
                 date("liked_on", DateAfter("target.posted_on", 0, 200), "like date"),
                 per_source=(1, 6), empty_share=0.2, target_share=0.8),
    many_to_many("member_of", "member", "community", "is a member of", "includes",
                 date("joined_on", DateAfter("target.created_on", 0, 600), "join date"),
                 flag("is_moderator", 0.1, "moderator"),
                 per_source=(0, 3), empty_share=0.2, target_share=0.85),
    many_to_many("tagged_with", "post", "hashtag", "is tagged with", "appears on",
                 per_source=(1, 3), empty_share=0.4, target_share=0.85),
])
