"""A compact syntax for token patterns, so lay phrasings can be kept as readable data.

    "push~ <det>? body+ forward|ahead"

Tokens are separated by spaces; each is one spaCy token. Within a token:

- `a|b|c`   any of these words (compared in lower case);
- `word~`   the word's verb forms: push -> push, pushes, pushing, pushed (irregular verbs listed);
- `word+`   the word and its plural: knee+ -> knee, knees;
- `<det>`   a determiner or possessive (the, a, your, ...); `<any>` any one token;
- `<name>`  a word class from the classes given to `compile_rule` (e.g. `<hip>`: hip+|thigh+|femur);
- a final `?` makes the token optional; a leading `!` requires the next token NOT to be one of the
  words (it matches no token itself): "pull~ <det>? leg+ back !into|to".

A rule compiles to a spaCy Matcher pattern (a list of token dicts).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

DETERMINERS = ("the", "a", "an", "your", "our", "their", "his", "her", "its", "each", "both", "this", "that", "these")
IRREGULAR_VERBS = {
    "bear": ("bore", "borne"),
    "bring": ("brought",),
    "catch": ("caught",),
    "draw": ("drew", "drawn"),
    "drive": ("drove", "driven"),
    "fall": ("fell", "fallen"),
    "feel": ("felt",),
    "get": ("got", "gotten"),
    "give": ("gave", "given"),
    "go": ("went", "gone"),
    "hit": ("hit",),
    "hold": ("held",),
    "keep": ("kept",),
    "lead": ("led",),
    "make": ("made",),
    "put": ("put",),
    "rise": ("rose", "risen"),
    "run": ("ran",),
    "set": ("set",),
    "spring": ("sprang", "sprung"),
    "stand": ("stood",),
    "strike": ("struck",),
    "swing": ("swung",),
    "take": ("took", "taken"),
    "throw": ("threw", "thrown"),
}
# Two-syllable verbs stressed on the last syllable double their final consonant: propelling.
DOUBLING = frozenset({"control", "propel", "compel", "repel", "expel", "patrol", "occur", "transfer", "refer", "admit"})
CLASS = re.compile(r"^<([a-z_]+)>$")
WORD = re.compile(r"^[a-z0-9'’.]+$")


class RuleError(ValueError):
    """A rule that does not follow the syntax."""


def verb_forms(verb: str) -> list[str]:
    """The base form, third person, present participle and past forms of an English verb."""
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        third = verb + "es"
    elif verb.endswith("y") and verb[-2:-1] not in "aeiou":
        third = verb[:-1] + "ies"
    else:
        third = verb + "s"
    if verb.endswith("ie"):
        stem = verb[:-2] + "y"
    elif verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        stem = verb[:-1]
    elif verb in DOUBLING or _short_closed_syllable(verb):
        stem = verb + verb[-1]
    else:
        stem = verb
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        past = verb[:-1] + "ied"
    elif verb.endswith("e"):
        past = verb + "d"
    else:
        past = stem + "ed"
    past_forms = IRREGULAR_VERBS.get(verb, (past,))
    forms = [verb, third, stem + "ing", *past_forms]
    return list(dict.fromkeys(forms))


def _short_closed_syllable(verb: str) -> bool:
    """step -> stepping, drop -> dropping: one short vowel before one final consonant."""
    return (
        len(verb) <= 4
        and verb[-1] in "bdgmnprt"
        and verb[-2:-1] in ("a", "e", "i", "o", "u")
        and verb[-3:-2] not in ("a", "e", "i", "o", "u", "")
    )


def plural_forms(noun: str) -> list[str]:
    from pipeline.extract.lexicon import plural

    return list(dict.fromkeys([noun, plural(noun)]))


def compile_rule(rule: str, classes: Mapping[str, list[str]] | None = None) -> list[dict]:
    """A Matcher pattern from one rule in the compact syntax; RuleError says what is wrong."""
    classes = classes or {}
    pattern = []
    for token in rule.split():
        negated = token.startswith("!") and len(token) > 1
        optional = token.endswith("?") and len(token) > 1
        token = token[1:] if negated else token
        token = token[:-1] if optional else token
        spec = _token(token, classes)
        if optional or negated:
            spec["OP"] = "!" if negated else "?"
        pattern.append(spec)
    if not pattern or all(spec.get("OP") in ("?", "!") for spec in pattern):
        raise RuleError(f"rule '{rule}' matches nothing but optional tokens")
    return pattern


def expand_words(token: str, classes: Mapping[str, list[str]]) -> list[str]:
    """The words one token of a rule (or one entry of a class) stands for."""
    words: list[str] = []
    for part in token.split("|"):
        match = CLASS.match(part)
        if match:
            name = match.group(1)
            if name == "det":
                words += DETERMINERS
                continue
            if name not in classes:
                raise RuleError(f"unknown word class <{name}>")
            for member in classes[name]:
                words += expand_words(member, {k: v for k, v in classes.items() if k != name})
        elif part.endswith("~"):
            words += verb_forms(_checked(part[:-1]))
        elif part.endswith("+"):
            words += plural_forms(_checked(part[:-1]))
        else:
            words.append(_checked(part))
    return list(dict.fromkeys(words))


def _token(token: str, classes: Mapping[str, list[str]]) -> dict:
    if token == "<any>":
        return {}
    words = expand_words(token, classes)
    return {"LOWER": words[0]} if len(words) == 1 else {"LOWER": {"IN": words}}


def _checked(word: str) -> str:
    if not WORD.match(word):
        raise RuleError(f"'{word}' is not one lower-case word (write hyphens and other punctuation as tokens)")
    return word
