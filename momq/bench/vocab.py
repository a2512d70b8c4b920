"""Shared pools of plain values (names, places, words) that domain generators draw from.

Plain data only, written for this project: tuples of strings, no logic and no randomness. Some surnames carry
an apostrophe (O'Brien) on purpose, so compilers must escape string literals; no value holds a backslash,
a double quote or a newline. It does not define domains or how values are picked (``momq.bench.generate``).
"""

from __future__ import annotations

FIRST_NAMES = (
    "Aaron", "Abigail", "Adam", "Adriana", "Ahmed", "Aisha", "Alan", "Alice", "Amara", "Amir", "Ana", "Andrei",
    "Anika", "Anton", "Arjun", "Astrid", "Ben", "Bianca", "Boris", "Brenda", "Bruno", "Camila", "Carlos",
    "Carmen", "Chen", "Chloe", "Clara", "Daniel", "Daria", "David", "Deepa", "Diego", "Dmitri", "Elena", "Elif",
    "Elijah", "Emma", "Erik", "Esther", "Fatima", "Felix", "Fiona", "Gabriel", "Grace", "Hana", "Hannah",
    "Hassan", "Henrik", "Hugo", "Ines", "Ingrid", "Isaac", "Ivan", "Jack", "Jamal", "Jana", "Javier", "Jin",
    "Joan", "Jonas", "Julia", "Kai", "Karim", "Kate", "Kenji", "Laila", "Lars", "Laura", "Leo", "Lina", "Lucas",
    "Lucia", "Luis", "Maya", "Mark", "Marta", "Mateo", "Mei", "Mia", "Miguel", "Mira", "Nadia", "Naomi",
    "Nathan", "Nia", "Nikolai", "Noah", "Nora", "Olga", "Omar", "Oscar", "Paul", "Pedro", "Priya", "Rafael",
    "Rania", "Ravi", "Rosa", "Ruth", "Sam", "Sara", "Sean", "Sofia", "Sven", "Tariq", "Tessa", "Theo", "Tomas",
    "Uma", "Vera", "Victor", "Wei", "Yara", "Yusuf", "Zara", "Zoe",
)

LAST_NAMES = (
    "Abbott", "Adams", "Ahmed", "Alvarez", "Andersen", "Baker", "Banerjee", "Becker", "Bianchi", "Brooks",
    "Carter", "Castro", "Chen", "Costa", "D'Angelo", "D'Souza", "Dubois", "Evans", "Fischer", "Fernandez",
    "Garcia", "Gonzalez", "Gupta", "Hansen", "Harris", "Hoffmann", "Hughes", "Ivanova", "Jansen", "Jensen",
    "Johnson", "Kang", "Kaur", "Keller", "Khan", "Kim", "Kowalski", "Kumar", "Larsen", "Laurent", "Lee",
    "Lopez", "Martin", "Meyer", "Miller", "Moreau", "Morris", "Murphy", "Nakamura", "Nguyen", "Nielsen",
    "Novak", "O'Brien", "O'Connor", "O'Neill", "Okafor", "Olsen", "Patel", "Perez", "Petrov", "Popescu",
    "Quinn", "Reyes", "Richter", "Rossi", "Russo", "Sato", "Schmidt", "Schneider", "Silva", "Singh", "Smith",
    "Sousa", "Suzuki", "Tanaka", "Taylor", "Thomas", "Torres", "Vargas", "Walker", "Wang", "Weber", "Wilson",
    "Wong", "Wright", "Yamamoto", "Young", "Zhang", "Zimmermann",
)

CITIES = (
    "Amsterdam", "Athens", "Atlanta", "Auckland", "Austin", "Bangalore", "Barcelona", "Berlin", "Bogota",
    "Boston", "Brisbane", "Brussels", "Budapest", "Buenos Aires", "Cairo", "Calgary", "Cape Town", "Chicago",
    "Copenhagen", "Dallas", "Denver", "Dublin", "Edinburgh", "Frankfurt", "Geneva", "Hamburg", "Helsinki",
    "Houston", "Istanbul", "Jakarta", "Johannesburg", "Krakow", "Lagos", "Lima", "Lisbon", "London",
    "Los Angeles", "Lyon", "Madrid", "Manchester", "Melbourne", "Mexico City", "Miami", "Milan", "Montreal",
    "Mumbai", "Munich", "Nairobi", "Naples", "New York", "Osaka", "Oslo", "Paris", "Porto", "Prague", "Rome",
    "San Diego", "San Francisco", "Santiago", "Sao Paulo", "Seattle", "Seoul", "Singapore", "Stockholm",
    "Sydney", "Taipei", "Tokyo", "Toronto", "Valencia", "Vancouver", "Vienna", "Warsaw", "Zurich",
)

COUNTRIES = (
    "United States", "Germany", "United Kingdom", "France", "Canada", "Japan", "Italy", "Spain", "Brazil",
    "India", "Australia", "Netherlands", "Sweden", "China", "South Korea", "Mexico", "Switzerland", "Poland",
    "Norway", "Denmark", "Ireland", "Portugal", "Austria", "Belgium", "Finland", "Argentina", "Chile",
    "Nigeria", "Kenya", "Egypt", "Turkey", "Greece", "Singapore", "New Zealand", "South Africa", "Colombia",
)

ADJECTIVES = (
    "Silent", "Golden", "Broken", "Hidden", "Crimson", "Endless", "Frozen", "Burning", "Distant", "Wild",
    "Lost", "Bright", "Dark", "Electric", "Gentle", "Hollow", "Iron", "Lonely", "Midnight", "Northern",
    "Paper", "Quiet", "Restless", "Scarlet", "Secret", "Shattered", "Silver", "Southern", "Stolen", "Sudden",
    "Velvet", "Wandering", "Winter", "Azure", "Bitter", "Blue", "Crystal", "Emerald", "Fading", "Falling",
    "Final", "Glass", "Green", "Last", "Little", "Long", "New", "Open", "Rising", "Savage", "Second",
)

NOUNS = (
    "River", "Empire", "Garden", "Horizon", "Kingdom", "Signal", "Shadow", "Echo", "Harbor", "Journey",
    "Island", "Mirror", "Mountain", "Ocean", "Orchard", "Promise", "Road", "Storm", "Summer", "Tide", "Tower",
    "Valley", "Voyage", "Wolf", "Window", "Bridge", "Canyon", "City", "Crown", "Desert", "Dream", "Fire",
    "Forest", "Frontier", "Ghost", "Heart", "Lantern", "Light", "Machine", "Moon", "Night", "Planet",
    "Rain", "Star", "Stone", "Sun", "Thunder", "Voice", "Wave", "Wind",
)


COMPANY_STEMS = (
    "Acme", "Apex", "Arrow", "Atlas", "Beacon", "Blue Peak", "Bright", "Cedar", "Citadel", "Cobalt", "Crest",
    "Delta", "Eagle", "Ember", "Evergreen", "Falcon", "Granite", "Harbor", "Helix", "Horizon", "Keystone",
    "Lighthouse", "Lumen", "Maple", "Meridian", "Nimbus", "Northwind", "Nova", "Oak", "Orbit", "Pinnacle",
    "Polar", "Quantum", "Redwood", "Riverside", "Sapphire", "Sierra", "Skyline", "Summit", "Sunrise",
    "Titan", "Trident", "Union", "Vanguard", "Vertex", "Willow", "Zenith",
)

STREET_NAMES = (
    "Maple", "Oak", "Pine", "Cedar", "Elm", "Willow", "Birch", "Chestnut", "Lake", "Hill", "Park", "River",
    "Church", "Mill", "Station", "Market", "King", "Queen", "High", "Bridge", "Garden", "Meadow", "Forest",
    "Harbor", "Spring", "Sunset", "Highland", "Orchard", "Victoria", "Union",
)

STREET_SUFFIXES = ("Street", "Avenue", "Road", "Lane", "Drive", "Boulevard", "Way", "Court", "Place")

SCIENCE_TOPICS = (
    "Graph Neural Networks", "Query Optimization", "Protein Folding", "Climate Modeling", "Quantum Error Correction",
    "Federated Learning", "Program Synthesis", "Speech Recognition", "Robot Navigation", "Image Segmentation",
    "Causal Inference", "Sparse Attention", "Knowledge Graphs", "Code Generation", "Reinforcement Learning",
    "Differential Privacy", "Time Series Forecasting", "Recommender Systems", "Distributed Consensus",
    "Compiler Verification", "Energy Harvesting", "Gene Regulation", "Ocean Acidification", "Dark Matter",
    "Battery Chemistry", "Crop Genomics", "Urban Mobility", "Language Models", "Anomaly Detection",
    "Edge Computing",
)

RESEARCH_VERBS = (
    "Rethinking", "Scaling", "Towards", "Understanding", "Benchmarking", "Revisiting", "Accelerating",
    "Learning", "Explaining", "Improving", "Measuring", "Simplifying",
)

FOODS = (
    "Chicken", "Beef", "Tofu", "Salmon", "Shrimp", "Lamb", "Mushroom", "Lentil", "Chickpea", "Eggplant",
    "Pumpkin", "Spinach", "Potato", "Tomato", "Pork", "Duck", "Cod", "Bean", "Cauliflower", "Zucchini",
)

DISHES = (
    "Curry", "Stew", "Salad", "Soup", "Risotto", "Tacos", "Pie", "Skewers", "Stir Fry", "Casserole", "Pasta",
    "Burger", "Dumplings", "Bowl", "Roast", "Wrap", "Gratin", "Noodles",
)

INGREDIENT_GROUPS = (
    ("Flour", "Grain"), ("Sugar", "Condiment"), ("Butter", "Dairy"), ("Eggs", "Protein"), ("Milk", "Dairy"),
    ("Salt", "Spice"), ("Black Pepper", "Spice"), ("Olive Oil", "Condiment"), ("Garlic", "Vegetable"),
    ("Onion", "Vegetable"), ("Tomato", "Vegetable"), ("Basil", "Herb"), ("Oregano", "Herb"), ("Thyme", "Herb"),
    ("Rosemary", "Herb"), ("Cumin", "Spice"), ("Paprika", "Spice"), ("Turmeric", "Spice"), ("Ginger", "Spice"),
    ("Chili Flakes", "Spice"), ("Soy Sauce", "Condiment"), ("Rice Vinegar", "Condiment"), ("Lemon", "Fruit"),
    ("Lime", "Fruit"), ("Coconut Milk", "Dairy"), ("Chicken Stock", "Condiment"), ("Heavy Cream", "Dairy"),
    ("Parmesan", "Dairy"), ("Mozzarella", "Dairy"), ("Cheddar", "Dairy"), ("Feta", "Dairy"), ("Yogurt", "Dairy"),
    ("Honey", "Condiment"), ("Maple Syrup", "Condiment"), ("Rice", "Grain"), ("Quinoa", "Grain"),
    ("Pasta", "Grain"), ("Bread Crumbs", "Grain"), ("Carrot", "Vegetable"), ("Celery", "Vegetable"),
    ("Bell Pepper", "Vegetable"), ("Spinach", "Vegetable"), ("Kale", "Vegetable"), ("Mushrooms", "Vegetable"),
    ("Potato", "Vegetable"), ("Sweet Potato", "Vegetable"), ("Chickpeas", "Protein"), ("Black Beans", "Protein"),
    ("Lentils", "Protein"), ("Tofu", "Protein"), ("Chicken Breast", "Protein"), ("Ground Beef", "Protein"),
    ("Salmon Fillet", "Protein"), ("Shrimp", "Protein"), ("Bacon", "Protein"), ("Cilantro", "Herb"),
    ("Parsley", "Herb"), ("Mint", "Herb"), ("Sesame Oil", "Condiment"), ("Peanuts", "Protein"),
    ("Almonds", "Protein"), ("Walnuts", "Protein"), ("Cinnamon", "Spice"), ("Vanilla", "Spice"),
    ("Cocoa Powder", "Condiment"), ("Baking Powder", "Condiment"), ("Yeast", "Condiment"),
    ("Cornstarch", "Grain"), ("Fish Sauce", "Condiment"), ("Miso Paste", "Condiment"),
)

GAME_WORDS = (
    "Legends", "Chronicles", "Odyssey", "Rivals", "Tactics", "Saga", "Arena", "Frontier", "Outpost", "Quest",
    "Protocol", "Dynasty", "Rebellion", "Horizons", "Tales", "Siege", "Rush", "Escape", "Kingdoms", "Drift",
)

PROGRAMMING_WORDS = (
    "fast", "tiny", "py", "open", "micro", "hyper", "auto", "data", "net", "web", "cloud", "graph", "stream",
    "deep", "mini", "go", "rust", "lite", "ultra", "meta",
)

SOFTWARE_NOUNS = (
    "parser", "router", "cache", "scheduler", "logger", "client", "server", "toolkit", "engine", "compiler",
    "linter", "bundler", "runtime", "queue", "store", "proxy", "shell", "vault", "mapper", "notebook",
)

CITY_COUNTRY = (
    ("Amsterdam", "Netherlands"), ("Athens", "Greece"), ("Atlanta", "United States"), ("Auckland", "New Zealand"),
    ("Austin", "United States"), ("Bangalore", "India"), ("Barcelona", "Spain"), ("Berlin", "Germany"),
    ("Bogota", "Colombia"), ("Boston", "United States"), ("Brisbane", "Australia"), ("Brussels", "Belgium"),
    ("Budapest", "Hungary"), ("Buenos Aires", "Argentina"), ("Cairo", "Egypt"), ("Calgary", "Canada"),
    ("Cape Town", "South Africa"), ("Chicago", "United States"), ("Copenhagen", "Denmark"),
    ("Dallas", "United States"), ("Denver", "United States"), ("Dublin", "Ireland"),
    ("Edinburgh", "United Kingdom"), ("Frankfurt", "Germany"), ("Geneva", "Switzerland"), ("Hamburg", "Germany"),
    ("Helsinki", "Finland"), ("Houston", "United States"), ("Istanbul", "Turkey"), ("Jakarta", "Indonesia"),
    ("Johannesburg", "South Africa"), ("Krakow", "Poland"), ("Lagos", "Nigeria"), ("Lima", "Peru"),
    ("Lisbon", "Portugal"), ("London", "United Kingdom"), ("Los Angeles", "United States"), ("Lyon", "France"),
    ("Madrid", "Spain"), ("Manchester", "United Kingdom"), ("Melbourne", "Australia"), ("Mexico City", "Mexico"),
    ("Miami", "United States"), ("Milan", "Italy"), ("Montreal", "Canada"), ("Mumbai", "India"),
    ("Munich", "Germany"), ("Nairobi", "Kenya"), ("Naples", "Italy"), ("New York", "United States"),
    ("Osaka", "Japan"), ("Oslo", "Norway"), ("Paris", "France"), ("Porto", "Portugal"), ("Prague", "Czechia"),
    ("Rome", "Italy"), ("San Diego", "United States"), ("San Francisco", "United States"), ("Santiago", "Chile"),
    ("Sao Paulo", "Brazil"), ("Seattle", "United States"), ("Seoul", "South Korea"), ("Singapore", "Singapore"),
    ("Stockholm", "Sweden"), ("Sydney", "Australia"), ("Taipei", "Taiwan"), ("Tokyo", "Japan"),
    ("Toronto", "Canada"), ("Valencia", "Spain"), ("Vancouver", "Canada"), ("Vienna", "Austria"),
    ("Warsaw", "Poland"), ("Zurich", "Switzerland"),
)
