"""Recipes: dishes, their ingredients and quantities, cuisines and chefs."""

from momq.bench import vocab as V
from momq.bench.domains._dsl import build, category, date, entity, flag, many_to_many, many_to_one, name, number, text
from momq.bench.generate import Combo, Dates, Floats, Ints, Lookup, Money

CUISINE_REGION = (
    ("Italian", "Europe"), ("French", "Europe"), ("Greek", "Europe"), ("Spanish", "Europe"), ("Japanese", "Asia"),
    ("Chinese", "Asia"), ("Indian", "Asia"), ("Thai", "Asia"), ("Korean", "Asia"), ("Vietnamese", "Asia"),
    ("Lebanese", "Asia"), ("Turkish", "Asia"), ("Mexican", "Americas"), ("Peruvian", "Americas"),
    ("Moroccan", "Africa"),
)

DOMAIN, SPEC = build("recipes", "Recipes, ingredients, cuisines and chefs.", [
    entity("recipe", "recipe", "recipes", 140,
           name("title", Combo((V.ADJECTIVES[:20], V.FOODS, V.DISHES), "{} {} {}"), "title"),
           category("course", ("Main", "Dessert", "Starter", "Side", "Breakfast", "Snack"), "course"),
           number("prep_minutes", Ints(5, 180), "preparation time", unit="minutes"),
           number("servings", Ints(1, 10), "number of servings"),
           number("calories", Ints(80, 1400), "calories per serving", unit="kcal", nullable=True, null_rate=0.2),
           date("published_on", Dates("2010-01-01", "2024-12-31"), "publication date"),
           flag("is_vegetarian", 0.35, "vegetarian")),
    entity("ingredient", "ingredient", "ingredients", 60,
           name("name", tuple(i for i, _ in V.INGREDIENT_GROUPS)),
           category("food_group", Lookup("name", V.INGREDIENT_GROUPS), "food group"),
           number("price_per_kg", Money(0.5, 80, log=True), "price per kilogram", unit="USD"),
           flag("is_allergen", 0.2, "allergen")),
    entity("cuisine", "cuisine", "cuisines", 14,
           name("name", tuple(c for c, _ in CUISINE_REGION)),
           category("continent", Lookup("name", CUISINE_REGION), "continent")),
    entity("chef", "chef", "chefs", 40,
           name("name", Combo((V.FIRST_NAMES, V.LAST_NAMES), "Chef {} {}")),
           number("michelin_stars", Ints(0, 3), "Michelin stars", nullable=True, null_rate=0.5),
           date("career_start", Dates("1975-01-01", "2020-12-31"), "career start"),
           text("restaurant", Combo((V.ADJECTIVES, ("Spoon", "Table", "Kitchen", "Oven", "Fork", "Garden")),
                                    "The {} {}"), "restaurant", nullable=True, null_rate=0.3)),
], [
    many_to_many("uses", "recipe", "ingredient", "uses", "is used in",
                 number("grams", Floats(1.0, 800.0, 1), "amount", unit="grams"),
                 flag("is_optional", 0.1, "optional"),
                 per_source=(3, 9), empty_share=0.0, target_share=0.9),
    many_to_one("belongs_to", "recipe", "cuisine", "belongs to", "includes", target_share=0.85),
    many_to_one("created_by", "recipe", "chef", "was created by", "created", optional=True, coverage=0.8,
                target_share=0.8),
    many_to_one("specializes_in", "chef", "cuisine", "specializes in", "is the specialty of", optional=True,
                coverage=0.7, target_share=0.7),
])
