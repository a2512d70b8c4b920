"""Hospital: patients, doctors, wards, medications, visits and prescriptions."""

from momq.bench import vocab as V
from momq.bench.domains._dsl import build, category, date, entity, flag, many_to_many, many_to_one, name, number, text
from momq.bench.generate import Combo, DateAfter, Dates, Ints, Lookup, Money, Phone

DRUG_CLASS = (
    ("Amoxicillin", "Antibiotic"), ("Azithromycin", "Antibiotic"), ("Ciprofloxacin", "Antibiotic"),
    ("Doxycycline", "Antibiotic"), ("Ibuprofen", "Analgesic"), ("Paracetamol", "Analgesic"),
    ("Diclofenac", "Analgesic"), ("Tramadol", "Analgesic"), ("Naproxen", "Analgesic"), ("Morphine", "Analgesic"),
    ("Codeine", "Analgesic"), ("Aspirin", "Analgesic"), ("Lisinopril", "Antihypertensive"),
    ("Amlodipine", "Antihypertensive"), ("Losartan", "Antihypertensive"), ("Hydrochlorothiazide", "Antihypertensive"),
    ("Bisoprolol", "Antihypertensive"), ("Ramipril", "Antihypertensive"), ("Furosemide", "Antihypertensive"),
    ("Atorvastatin", "Statin"), ("Simvastatin", "Statin"), ("Sertraline", "Antidepressant"),
    ("Fluoxetine", "Antidepressant"), ("Citalopram", "Antidepressant"), ("Cetirizine", "Antihistamine"),
    ("Loratadine", "Antihistamine"), ("Montelukast", "Respiratory"), ("Salbutamol", "Respiratory"),
    ("Warfarin", "Anticoagulant"), ("Heparin", "Anticoagulant"), ("Clopidogrel", "Anticoagulant"),
    ("Metformin", "Antidiabetic"), ("Insulin Glargine", "Antidiabetic"), ("Omeprazole", "Gastrointestinal"),
    ("Pantoprazole", "Gastrointestinal"), ("Ranitidine", "Gastrointestinal"), ("Prednisone", "Corticosteroid"),
    ("Levothyroxine", "Hormone"), ("Gabapentin", "Anticonvulsant"), ("Diazepam", "Anxiolytic"),
    ("Tamsulosin", "Urological"), ("Allopurinol", "Antigout"),
)

DOMAIN, SPEC = build("hospital", "A hospital's patients, doctors, wards, visits and prescriptions.", [
    entity("patient", "patient", "patients", 180,
           name("name", Combo((V.FIRST_NAMES, V.LAST_NAMES))),
           date("birth_date", Dates("1935-01-01", "2022-12-31"), "date of birth"),
           category("blood_group", ("O+", "A+", "B+", "O-", "A-", "AB+", "B-", "AB-"), "blood group"),
           text("phone", Phone(), "phone number", nullable=True, null_rate=0.2),
           flag("is_insured", 0.8, "insured")),
    entity("doctor", "doctor", "doctors", 45,
           name("name", Combo((V.FIRST_NAMES, V.LAST_NAMES), "Dr. {} {}")),
           category("specialty", ("General Medicine", "Cardiology", "Pediatrics", "Orthopedics", "Neurology",
                                  "Oncology", "Dermatology", "Psychiatry")),
           number("experience_years", Ints(1, 40), "years of experience", unit="years"),
           date("hire_date", Dates("1995-01-01", "2024-06-30"), "hire date")),
    entity("ward", "ward", "wards", 14,
           name("name", ("North Wing", "South Wing", "East Wing", "West Wing", "Maternity", "Intensive Care",
                         "Children's Ward", "Cardiac Unit", "Surgical Ward", "Recovery Ward", "Oncology Ward",
                         "Neurology Ward", "Burns Unit", "Day Clinic", "Emergency Ward")),
           number("floor_number", Ints(0, 8), "floor"),
           number("bed_count", Ints(6, 60), "number of beds", unit="beds")),
    entity("medication", "medication", "medications", 40,
           name("name", tuple(m for m, _ in DRUG_CLASS)),
           category("drug_class", Lookup("name", DRUG_CLASS), "drug class"),
           number("unit_cost", Money(0.05, 45, log=True), "unit cost", unit="USD"),
           flag("needs_prescription", 0.7, "prescription-only")),
], [
    many_to_many("visit", "patient", "doctor", "visited", "saw",
                 date("visit_date", Dates("2020-01-01", "2024-12-31"), "visit date"),
                 category("diagnosis", ("Influenza", "Hypertension", "Fracture", "Migraine", "Asthma",
                                        "Diabetes", "Checkup", "Dermatitis")),
                 number("fee", Money(40, 600, step=5), unit="USD"),
                 per_source=(1, 3), empty_share=0.1, target_share=0.9),
    many_to_one("works_in", "doctor", "ward", "works in", "is staffed by", target_share=0.85),
    many_to_one("admitted_to", "patient", "ward", "is admitted to", "has admitted", optional=True,
                coverage=0.3, target_share=0.8),
    many_to_many("prescribed", "patient", "medication", "was prescribed", "was prescribed to",
                 number("dosage_mg", Ints(5, 1000), "dosage", unit="mg"),
                 date("start_date", Dates("2020-01-01", "2024-12-31"), "start date"),
                 date("stop_date", DateAfter("start_date", 5, 365, latest="2024-12-31"), "stop date", nullable=True,
                      null_rate=0.3),
                 per_source=(1, 3), empty_share=0.3, target_share=0.8),
])
