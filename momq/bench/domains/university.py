"""University: students, courses with prerequisites, instructors, departments and enrolments."""

from momq.bench import vocab as V
from momq.bench.domains._dsl import build, category, date, entity, flag, many_to_many, many_to_one, name, number, text
from momq.bench.generate import Code, Combo, Dates, Floats, Ints, Money

SUBJECTS = ("Algebra", "Calculus", "Databases", "Operating Systems", "Genetics", "Microeconomics", "Ethics",
            "Organic Chemistry", "Statistics", "Machine Learning", "European History", "Poetry", "Mechanics",
            "Thermodynamics", "Marketing", "Accounting", "Neuroscience", "Linguistics", "Ecology", "Compilers")

DOMAIN, SPEC = build("university", "A university's students, courses, instructors, departments and enrolments.", [
    entity("student", "student", "students", 180,
           name("name", Combo((V.FIRST_NAMES, V.LAST_NAMES))),
           date("enrolled_on", Dates("2018-09-01", "2024-09-30"), "enrolment date"),
           number("gpa", Floats(1.8, 4.0), "GPA"),
           category("home_country", V.COUNTRIES[:12], "home country"),
           flag("has_scholarship", 0.25, "scholarship")),
    entity("course", "course", "courses", 60,
           name("title", Combo((("Introduction to", "Advanced", "Topics in", "Foundations of"), SUBJECTS),
                               "{} {}"), "title"),
           text("course_code", Code("@@@-###"), "course code", unique=True),
           number("credits", Ints(2, 8), unit="credits"),
           category("semester", ("Fall", "Spring", "Summer"), "semester"),
           number("max_students", Ints(15, 300), "capacity", unit="students")),
    entity("instructor", "instructor", "instructors", 40,
           name("name", Combo((V.FIRST_NAMES, V.LAST_NAMES), "Prof. {} {}")),
           category("academic_rank", ("Professor", "Associate Professor", "Assistant Professor", "Lecturer"),
                    "academic rank"),
           number("salary", Money(45_000, 190_000, step=500), unit="USD"),
           date("hire_date", Dates("1990-01-01", "2024-06-30"), "hire date"),
           text("office_room", Code("@-###"), "office", nullable=True, null_rate=0.15)),
    entity("department", "department", "departments", 12,
           name("name", ("Computer Science", "Mathematics", "Physics", "Biology", "Economics", "History",
                         "Philosophy", "Chemistry", "Linguistics", "Business", "Psychology", "Engineering",
                         "Music", "Law")),
           text("building", Combo((V.COMPANY_STEMS,), "{} Hall")),
           number("budget", Money(500_000, 20_000_000, log=True, step=1000), unit="USD")),
], [
    many_to_many("enrolled_in", "student", "course", "is enrolled in", "has enrolled",
                 number("grade_points", Floats(0.0, 4.0, 1), "grade", nullable=True, null_rate=0.2),
                 category("term", ("2023 Fall", "2024 Spring", "2024 Fall"), "term", skew=0.3),
                 per_source=(1, 5), empty_share=0.05, target_share=0.9),
    many_to_one("taught_by", "course", "instructor", "is taught by", "teaches", optional=True,
                coverage=0.9, target_share=0.85),
    many_to_one("offered_by", "course", "department", "is offered by", "offers", target_share=0.85),
    many_to_one("majors_in", "student", "department", "majors in", "is chosen as a major by", optional=True,
                coverage=0.85, target_share=0.9),
    many_to_many("prerequisite", "course", "course", "requires", "is a prerequisite of",
                 source_column="course_id", target_column="required_course_id",
                 per_source=(1, 3), empty_share=0.3, target_share=0.6, acyclic=True),
])
