"""Evaluate a build against a gold file: load, map keys, score every article, sum the scores."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.evaluate.gold import (
    ANNOTATED_RELATIONS,
    GoldArticle,
    GoldError,
    check_keys,
    default_key_map,
    load_gold,
    load_key_map,
)
from pipeline.evaluate.keys import KeyMapping, map_keys
from pipeline.evaluate.lines import LineScore, read_raw_lines, score_lines
from pipeline.evaluate.score import ArticleScore, ClaimMatcher, Ratio, score_claims, score_muscles, total
from pipeline.evaluate.tables import Build, load_build
from pipeline.ingest.read import InputError
from pipeline.records import STATUS_DUPLICATE, STATUS_OK

# Only text inputs carry raw line numbers (trafilatura's HTML blocks do not).
LINE_FORMAT = "text"


@dataclass
class Evaluation:
    """Per-article scores with the files they came from, and their micro-averaged totals."""

    gold_path: Path
    key_map_path: Path | None
    out_dir: Path
    raw_dir: Path
    articles: list[ArticleScore]
    mapping: KeyMapping
    used_keys: list[str]  # the muscle keys the scored entries use

    @property
    def unmapped_keys(self) -> list[str]:
        """Used keys that map to no lexicon id: the pipeline can never find them."""
        return self.mapping.unmapped(self.used_keys)

    def muscles(self) -> tuple[Ratio, Ratio]:
        """(precision, recall) of the muscle sets."""
        return total(a.muscles.precision for a in self.articles), total(a.muscles.recall for a in self.articles)

    def claims(self) -> tuple[Ratio, Ratio]:
        """(precision, recall) of the claims."""
        return total(a.claims.precision for a in self.articles), total(a.claims.recall for a in self.articles)

    def relations(self) -> dict[str, tuple[Ratio, Ratio]]:
        """(precision, recall) of the claims of each annotated relation."""
        result = {}
        for relation in ANNOTATED_RELATIONS:
            pairs = [a.claims.by_relation(relation) for a in self.articles]
            result[relation] = (total(p for p, _ in pairs), total(r for _, r in pairs))
        return result

    def lines(self) -> tuple[Ratio, Ratio]:
        """(content lines kept, boilerplate lines removed) over the articles whose lines were scored."""
        scored = [a.lines for a in self.articles if a.lines is not None]
        kept = total(Ratio(s.content_kept, s.content) for s in scored)
        return kept, total(Ratio(s.boilerplate_removed, s.boilerplate) for s in scored)


def evaluate(
    gold_path: Path,
    out_dir: Path,
    raw_dir: Path,
    key_map_path: Path | None = None,
    only: Sequence[str] = (),
) -> Evaluation:
    """Score the build in out_dir against gold_path; raw_dir holds the built raw files.

    Raises GoldError for a missing or malformed gold or key-map file, BuildError when out_dir
    holds no build or lacks an annotated document.
    """
    articles = _selected(load_gold(gold_path), only, gold_path)
    key_map_path = key_map_path or default_key_map(gold_path)
    key_map = load_key_map(key_map_path) if key_map_path else None
    if key_map is not None:
        check_keys(articles, key_map, gold_path, key_map_path)
    build = load_build(out_dir, [article.source_path for article in articles])
    used = sorted(set().union(*(article.muscle_keys() for article in articles)))
    mapping = map_keys(key_map, build.lexicon, used)
    matcher = ClaimMatcher(mapping, build.phrases)
    scores = [_score_article(article, build, mapping, matcher, raw_dir) for article in articles]
    return Evaluation(gold_path, key_map_path, out_dir, raw_dir, scores, mapping, used)


def _selected(articles: list[GoldArticle], only: Sequence[str], gold_path: Path) -> list[GoldArticle]:
    if not only:
        return articles
    wanted = set(only)
    unknown = sorted(wanted - {article.key for article in articles})
    if unknown:
        raise GoldError(f"{gold_path}: no article {unknown[0]!r} (asked for with --only)")
    return [article for article in articles if article.key in wanted]


def _score_article(
    article: GoldArticle, build: Build, mapping: KeyMapping, matcher: ClaimMatcher, raw_dir: Path
) -> ArticleScore:
    doc = build.document(article.source_path)
    doc_id, notes = doc["doc_id"], []
    if doc["status"] not in (STATUS_OK, STATUS_DUPLICATE):
        notes.append(f"the build has no text for it: {doc['error']}")
    return ArticleScore(
        key=article.key,
        source_path=article.source_path,
        muscles=score_muscles(article, build.mentioned.get(doc_id, set()), mapping),
        claims=score_claims(article, build.claims.get(doc_id, []), matcher),
        lines=_score_lines(article, doc, build, raw_dir, notes),
        notes=notes,
    )


def _score_lines(article: GoldArticle, doc: dict, build: Build, raw_dir: Path, notes: list[str]) -> LineScore | None:
    if article.boilerplate is None or doc["status"] not in (STATUS_OK, STATUS_DUPLICATE):
        return None
    if doc["format"] != LINE_FORMAT:
        notes.append("boilerplate not scored: only text inputs record raw line numbers")
        return None
    try:
        lines = read_raw_lines(raw_dir / article.source_path, doc["doc_id"])
    except InputError as exc:
        notes.append(f"boilerplate not scored: {exc} (--raw must be the folder that was built)")
        return None
    return score_lines(lines, article.boilerplate, build.blocks.get(doc["doc_id"], []))
