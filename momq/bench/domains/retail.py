"""Retail orders: customers, their purchases and the products bought, suppliers and stores."""

from momq.bench import vocab as V
from momq.bench.domains._dsl import build, category, date, entity, flag, many_to_many, many_to_one, name, number, text
from momq.bench.generate import Code, Combo, Dates, Email, Floats, Ints, Money, PriceFrom

DOMAIN, SPEC = build("retail", "Customers, purchases, products, suppliers and stores of a retailer.", [
    entity("customer", "customer", "customers", 120,
           name("name", Combo((V.FIRST_NAMES, V.LAST_NAMES))),
           text("email", Email("name", "mail.example")),
           category("city", V.CITIES[:15]),
           date("signup_date", Dates("2015-01-01", "2024-12-31"), "sign-up date"),
           flag("is_member", 0.35, "loyalty member")),
    entity("product", "product", "products", 90,
           name("name", Combo((V.ADJECTIVES, ("Lamp", "Chair", "Backpack", "Kettle", "Headphones", "Jacket",
                                              "Blender", "Desk", "Sneakers", "Watch", "Mug", "Blanket")))),
           category("category", ("Home", "Electronics", "Clothing", "Kitchen", "Sports", "Office", "Toys")),
           number("list_price", Money(3.5, 899, log=True), "price", unit="USD"),
           number("stock_quantity", Ints(0, 500), "quantity in stock", unit="units"),
           text("sku", Code("SKU-@@-####"), "SKU", unique=True)),
    entity("purchase", "order", "orders", 200,
           date("purchase_date", Dates("2021-01-01", "2024-12-31"), "order date"),
           category("channel", ("Online", "In Store", "Mobile App", "Phone")),
           number("shipping_cost", Money(0, 25), "shipping cost", unit="USD"),
           text("coupon_code", Code("SAVE##"), "coupon code", nullable=True, null_rate=0.7),
           flag("is_gift", 0.1, "gift")),
    entity("supplier", "supplier", "suppliers", 22,
           name("name", Combo((V.COMPANY_STEMS, ("Trading", "Supply", "Imports", "Goods")), "{} {}")),
           category("country_name", V.COUNTRIES[:10], "country"),
           number("reliability", Floats(0.6, 1.0), "reliability score")),
    entity("store", "store", "stores", 16,
           name("name", Combo((V.CITIES,), "{} Store")),
           number("floor_area", Ints(300, 6000), "floor area", unit="square meters"),
           date("opened_on", Dates("2000-01-01", "2023-12-31"), "opening date")),
], [
    many_to_one("placed_by", "purchase", "customer", "was placed by", "placed", target_share=0.8),
    many_to_one("sold_at", "purchase", "store", "was made at", "received", optional=True, coverage=0.6,
                target_share=0.85),
    many_to_many("purchase_item", "purchase", "product", "contains", "appears in",
                 number("quantity", Ints(1, 6), unit="units"),
                 number("unit_price", PriceFrom("target.list_price", 0.8, 1.0), "unit price", unit="USD"),
                 per_source=(1, 4), empty_share=0.03, target_share=0.85),
    many_to_one("supplied_by", "product", "supplier", "is supplied by", "supplies", target_share=0.8),
])
