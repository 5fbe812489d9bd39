"""Articles whose body is mostly short lines that measure: a training plan, a meal plan, a
recipe card. Their lines are kept; navigation, tag lists and related links around them still
go. Small dumps written for these tests."""

from __future__ import annotations

import pytest

from pipeline.strip.textclean import clean_text
from pipeline.strip.textclean.quantities import has_quantity

HEADER = [
    "Skip to content",
    "Home",
    "Training",
    "Nutrition",
    "Gear",
    "Races",
    "Community",
    "Shop",
    "A Four-Week Plan for Your First 10K",
]
INTRO = (
    "Moving up from the 5K to the 10K is mostly a matter of patience, because the extra distance asks "
    "your legs and your lungs to adapt at the same time, and they do not adapt at the same speed."
)
INTRO_2 = (
    "The plan below keeps three easy days a week, adds one workout with short repeats, and lets the long "
    "run grow by a kilometre or so each week so that race day feels like a familiar effort."
)
PLAN = [
    "Week 1",
    "Monday: Rest",
    "Tuesday: 5 km easy",
    "Wednesday: 6 x 400 m at 5K effort",
    "Jog 90 seconds between repeats",
    "Thursday: 30 minutes cross-training",
    "Friday: Rest",
    "Saturday: 7 km long run",
    "Sunday: 20 min walk",
    "Week 2",
    "Monday: Rest",
    "Tuesday: 6 km easy",
    "Wednesday: 5 x 800 m at 10K effort",
    "Thursday: Strength",
    "Squats 3 x 10",
    "Lunges 3 x 8 each leg",
    "Plank 3 x 45 seconds",
    "Friday: Rest",
    "Saturday: 8 km long run",
]
CLOSING = "Good luck on race day!"
FOOTER_NAV = ["About Us", "Contact", "Privacy Policy", "Advertise", "Careers", "Newsletter", "Shop"]
RELATED = [
    "Popular This Week",
    "Why Easy Runs Make You Faster",
    "A 30 minute hill workout",
    "The Best Shoes for Wide Feet",
    "How to fuel a 30 km long run",
    "What Is Tempo Running?",
    "Strength Moves for Stronger Calves",
    "Run your first 5 km without stopping",
    "Should You Stretch Before a Race?",
    "Foam Rolling for Beginners",
    "Ten years of marathon training in 12 weeks",
]


def dump(*parts: list[str] | str) -> str:
    lines: list[str] = []
    for part in parts:
        lines.extend([part] if isinstance(part, str) else part)
    return "\n".join(lines) + "\n"


def kept_lines(text: str) -> list[str]:
    return [b.text for b in clean_text(text).blocks if b.kept]


@pytest.mark.parametrize(
    "line",
    [
        "½ cup rolled oats",
        "1 1/2 cups milk",
        "Have breakfast 45–75 minutes before the run",
        "Squats 3 x 10",
        "Wednesday: 6 x 400 m at 5K effort",
        "Run 2 to 3 miles",
        "200g Greek yoghurt",
        "Snack box: 2 Apples, 1 Pear",
    ],
)
def test_lines_that_measure_state_a_quantity(line):
    assert has_quantity(line)


@pytest.mark.parametrize(
    "line",
    [
        "Home Workouts",
        "21 Reasons to Run",
        "Updated 2 hours ago",
        "5 min read",
        "The best 5G phones",
        "Apple TV 4K",
        "November 12, 2018",
        "Half Marathon in 12 Weeks",
        "Posted at 6:45 PM",
        '{"recipeYield": "4 servings", "cookTime": "20 minutes"}',
    ],
)
def test_labels_dates_and_timestamps_do_not(line):
    assert not has_quantity(line)


def test_a_training_plan_between_the_intro_and_the_sign_off_is_kept():
    kept = kept_lines(dump(HEADER, INTRO, INTRO_2, PLAN, CLOSING, FOOTER_NAV))
    assert kept[:2] == [INTRO, INTRO_2]
    for line in PLAN:
        assert line in kept, line
    assert CLOSING in kept
    assert not set(HEADER[:-1]) & set(kept)
    assert not set(FOOTER_NAV) & set(kept)


def test_a_plan_that_ends_the_article_stops_before_the_footer_menu():
    """A menu is a long row of lines without a quantity: the run ends there, and the shop's
    promises below it ("Returns within 30 days") are not the plan's."""
    shop = ["Delivery in 2–3 days", "Returns within 30 days", "Open 7 days a week"]
    kept = kept_lines(dump(HEADER, INTRO, INTRO_2, PLAN, FOOTER_NAV, shop))
    assert kept[-1] == PLAN[-1]
    assert not set(FOOTER_NAV + shop) & set(kept)


def test_a_meal_plan_repeats_its_long_portion_lines_for_each_day():
    meal = (
        "Oat Bowl (½ cup rolled oats, 1 cup almond milk, 1 Tbsp. peanut butter, ½ cup berries, "
        "1 tsp. honey, a pinch of cinnamon and 2 Tbsp. chopped walnuts)"
    )
    days = [
        line
        for day in ("Day 1", "Day 2", "Day 3")
        for line in (day, "Breakfast", "Eat within 1 hour of waking", meal, "Lunch", "Grilled chicken, 4 oz.")
    ]
    kept = kept_lines(dump(HEADER, INTRO, INTRO_2, days, FOOTER_NAV))
    assert kept.count(meal) == 3
    assert kept.count("Grilled chicken, 4 oz.") == 3


def test_a_recipe_card_after_a_code_blob_is_kept_and_the_blob_is_not():
    blob = '{"@type": "Recipe", "recipeYield": "4 servings", "cookTime": "PT20M"}'
    card = [
        "Overnight Oats",
        "Ingredients",
        "½ cup rolled oats",
        "1 cup milk",
        "1 Tbsp chia seeds",
        "2 tsp maple syrup",
        "Instructions",
        "Stir everything together in a jar, cover it and leave it in the fridge overnight.",
    ]
    kept = kept_lines(dump(HEADER, INTRO, INTRO_2, blob, card, FOOTER_NAV))
    assert blob not in kept
    for line in card:
        assert line in kept, line


def test_ingredients_above_the_method_are_kept_with_the_introduction_above_them():
    intro = "Baked oats are the breakfast I make on Sunday for the week, because a square reheats in a minute."
    ingredients = [
        "Ingredients",
        "2 cups rolled oats",
        "1 ½ cups milk",
        "2 ripe bananas, mashed",
        "1 tsp baking powder",
        "½ tsp cinnamon",
        "2 Tbsp maple syrup",
        "50 g walnuts, chopped",
        "Method",
    ]
    steps = [
        "Heat the oven to 180 degrees and grease a small baking dish, then mash the bananas in a large bowl "
        "until they are smooth and no big lumps remain.",
        "Stir in the oats, baking powder and cinnamon, pour over the milk and maple syrup, and fold in most of "
        "the walnuts so that they spread evenly through the mixture.",
        "Bake for about 35 minutes until the top is golden and set, then let it cool for a few minutes before "
        "you cut it into squares.",
    ]
    kept = kept_lines(dump(HEADER, intro, ingredients, steps, FOOTER_NAV))
    assert kept == [intro, *ingredients, *steps]


def test_navigation_and_related_links_after_the_article_still_go():
    """Link lists name a distance or a time now and then ("A 30 minute hill workout"): too
    seldom, and too far apart, to make a structured run."""
    kept = kept_lines(dump(HEADER, INTRO, INTRO_2, CLOSING, RELATED, FOOTER_NAV))
    assert kept == [INTRO, INTRO_2, CLOSING]


def test_a_menu_of_plans_named_by_distance_still_goes():
    """Menu labels and link titles are written in Title Case, so the distances in them do not
    make a structured run."""
    plans = ["Training Plans", "5 km Beginner Plan", "Half Marathon in 12 Weeks", "Marathon in 16 Weeks", "Gear"]
    kept = kept_lines(dump(plans, HEADER[-1], INTRO, INTRO_2, CLOSING, plans))
    assert kept == [INTRO, INTRO_2, CLOSING]


def test_timestamped_teasers_after_the_article_still_go():
    teasers = [
        line
        for title, age in [
            ("Marathon Record Falls in Berlin", "2 hours ago"),
            ("Five Drills for a Faster Cadence", "5 min read"),
            ("Club Runner Wins Mountain Race", "3 hours ago"),
            ("Why Your Knees Hurt on Descents", "4 min read"),
        ]
        for line in (title, age)
    ]
    kept = kept_lines(dump(HEADER, INTRO, INTRO_2, CLOSING, teasers))
    assert kept == [INTRO, INTRO_2, CLOSING]
