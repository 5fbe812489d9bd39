"""Lines that measure: the quantities of a menu, a recipe, a training plan or a sets-and-reps table.

Such lines are short and stopword-poor ("1 tsp cinnamon", "Refuel every 2–3 hours", "4 x 400 m at
5K pace"), so the prose score of the main-region search counts them as menu labels. What sets
them apart from navigation, tag clouds and related-article lists is that they state a
quantity, a number with a unit of food, distance, time or training; menu labels, link titles
and timestamps rarely do. `region` keeps a run of lines dense in them next to the article.
"""

from __future__ import annotations

import re

from pipeline.strip.textclean.features import CODE_OR_FILLER

_NUMBER = r"(?:\d+(?:[.,]\d+)?(?:\s?(?:\d/\d|[½¼¾⅓⅔⅛]))?|\d+/\d+|[½¼¾⅓⅔⅛])"
_RANGE = rf"{_NUMBER}(?:\s?(?:[–—-]|to)\s?{_NUMBER})?"
# Units of food, distance, time and training. Single letters are lower case: "200 g", "5k",
# "30 s"; "5G", "4K" and "7H ago" are networks, screens and timestamps.
_UNIT = (
    r"(?i:cups?|tbsps?|tablespoons?|tsps?|teaspoons?|oz|ounces?|lbs?|pounds?|grams?|kg|kilos?|mg|ml|"
    r"litres?|liters?|kcal|cals?|calories|slices?|scoops?|servings?|km|miles?|mi|meters?|metres?|"
    r"yards?|yds?|laps?|secs?|seconds?|mins?|minutes?|hrs?|hours?|days?|weeks?|reps?|repetitions|"
    r"sets?|rounds?|bpm)|[gmslhk]"
)
# "2 hours ago" and "5 min read" are page metadata, not quantities.
QUANTITY = re.compile(rf"(?<![\w/.,]){_RANGE}\s?(?:{_UNIT})(?!\w)(?!\s+(?i:ago|read)\b)|(?<!\w)\d+\s?[x×]\s?\d+(?!\w)")
# A list of counted items measures out portions too, capitalised or not: "Snack box: 2 Apples,
# 1 Pear", "2 eggs, 1 banana".
COUNTED_ITEMS = re.compile(r"(?<![\w/.,])\d+\s[^\W\d_]+,\s\d+\s[^\W\d_]+")
# Link titles and headlines are written in Title Case ("Half Marathon in 12 Weeks", "A 30 Minute
# Hill Workout"); the lines of a plan or a recipe are not ("Tempo run, 20 minutes", "2 cups
# rolled oats"). A line is in Title Case when it has at least two words of four letters or more
# and each of them is capitalised: shorter words ("in", "of", "the", "tsp") are often not.
TITLE_WORD = re.compile(r"\b[^\W\d_]{4,}")
MIN_TITLE_WORDS = 2


def has_quantity(text: str) -> bool:
    """The line states a quantity: "½ cup oats", "Run 20–30 minutes", "3 x 10", "400 m". Code
    (a recipe's structured data printed as JSON) and link titles in Title Case state none."""
    if CODE_OR_FILLER.search(text):
        return False
    return COUNTED_ITEMS.search(text) is not None or (QUANTITY.search(text) is not None and not _title_case(text))


def _title_case(text: str) -> bool:
    words = TITLE_WORD.findall(text)
    return len(words) >= MIN_TITLE_WORDS and all(word[0].isupper() for word in words)
