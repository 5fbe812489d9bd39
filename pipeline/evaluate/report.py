"""Print an evaluation: a readable text report, a short summary, or JSON for scripts.

The text report goes from the overview to the evidence: the per-article table and totals
first, then every missed gold claim and every predicted claim the gold lacks with the sentence
the pipeline read it from, so a reader can tell an extraction error from a gap in the gold.
"""

from __future__ import annotations

import json
from typing import Any

from pipeline.evaluate.evaluation import Evaluation
from pipeline.evaluate.lines import LineScore
from pipeline.evaluate.score import EXTRA, ArticleScore, Ratio

# Width of the article column: the longest key, within these bounds, so the table stays on one screen.
MIN_KEY_WIDTH, MAX_KEY_WIDTH = 12, 50
# Decimal places of the shares in the JSON output: enough to tell one claim in a thousand.
JSON_DIGITS = 4
MISSING = "-"


def share(ratio: Ratio) -> str:
    """'0.83' (or '-' when nothing was counted)."""
    return MISSING if ratio.value is None else f"{ratio.value:.2f}"


def counted(ratio: Ratio) -> str:
    """'0.83 (5/6)': the share with the counts behind it."""
    return f"{share(ratio)} ({ratio.hits}/{ratio.total})"


def format_summary(evaluation: Evaluation, title: str) -> str:
    """The totals alone: muscles, claims, each relation and the boilerplate shares."""
    muscles_p, muscles_r = evaluation.muscles()
    claims_p, claims_r = evaluation.claims()
    kept, removed = evaluation.lines()
    lines = [
        f"{title}: {len(evaluation.articles)} articles",
        f"  muscles   precision {counted(muscles_p):<18} recall {counted(muscles_r)}",
        f"  claims    precision {counted(claims_p):<18} recall {counted(claims_r)}",
    ]
    for relation, (precision, recall) in evaluation.relations().items():
        lines.append(f"    {relation:<13} precision {counted(precision):<18} recall {counted(recall)}")
    lines.append(f"  lines     content kept {counted(kept):<15} boilerplate removed {counted(removed)}")
    return "\n".join(lines)


def format_report(evaluation: Evaluation) -> str:
    """The full text report."""
    key_map = evaluation.key_map_path or "none (gold keys are lexicon ids)"
    sections = [
        f"gold: {evaluation.gold_path}\nkey map: {key_map}\nbuild: {evaluation.out_dir}",
        _article_table(evaluation),
        format_summary(evaluation, "total (micro-averaged)"),
        _unmapped(evaluation),
        _muscle_errors(evaluation),
        _missed_claims(evaluation),
        _extra_claims(evaluation),
        _line_errors(evaluation),
        _notes(evaluation),
    ]
    return "\n\n".join(section for section in sections if section)


def _article_table(evaluation: Evaluation) -> str:
    width = max([MIN_KEY_WIDTH] + [min(len(a.key), MAX_KEY_WIDTH) for a in evaluation.articles])
    header = f"{'article':<{width}}  {'muscles P':>9} {'R':>5}  {'claims found/gold':>17}  {'correct/predicted':>17}"
    rows = [header + f"  {'content kept':>12}  {'boilerplate removed':>19}"]
    for article in evaluation.articles:
        muscles, claims = article.muscles, article.claims
        found, correct = claims.recall, claims.precision
        row = f"{article.key[:width]:<{width}}  {share(muscles.precision):>9} {share(muscles.recall):>5}"
        row += f"  {f'{found.hits}/{found.total}':>17}  {f'{correct.hits}/{correct.total}':>17}"
        rows.append(row + _line_cells(article.lines))
    return "\n".join(rows)


def _line_cells(score: LineScore | None) -> str:
    if score is None:
        return f"  {MISSING:>12}  {MISSING:>19}"
    kept = f"{score.content_kept}/{score.content}"
    return f"  {kept:>12}  {f'{score.boilerplate_removed}/{score.boilerplate}':>19}"


def _unmapped(evaluation: Evaluation) -> str:
    if not evaluation.unmapped_keys:
        return ""
    return "muscle keys that map to no lexicon id (never found): " + ", ".join(evaluation.unmapped_keys)


def _muscle_errors(evaluation: Evaluation) -> str:
    lines = []
    for article in evaluation.articles:
        if article.muscles.missed:
            lines.append(f"  {article.key}: missed {', '.join(article.muscles.missed)}")
        if article.muscles.extra:
            lines.append(f"  {article.key}: not in the gold {', '.join(article.muscles.extra)}")
    return "muscles missed, and mentioned but not in the gold\n" + "\n".join(lines) if lines else ""


def _missed_claims(evaluation: Evaluation) -> str:
    lines = [f"  {a.key}: {claim}" for a in evaluation.articles for claim in a.claims.missed]
    return f"missed gold claims ({len(lines)})\n" + "\n".join(lines) if lines else ""


def _extra_claims(evaluation: Evaluation) -> str:
    lines = []
    for article in evaluation.articles:
        for claim in article.claims.predicted:
            if claim.verdict == EXTRA:
                lines.append(
                    f"  {article.key}: {claim.muscle_id} {claim.relation} {claim.object_label} [{claim.rule_id}]"
                )
                lines.append(f'      "{claim.sentence}"')
    return f"predicted claims the gold lacks ({len(lines) // 2})\n" + "\n".join(lines) if lines else ""


def _line_errors(evaluation: Evaluation) -> str:
    kept, removed = [], []
    for article in evaluation.articles:
        if article.lines is None:
            continue
        kept += [f"  {article.key}:{line.number}  {line.text}" for line in article.lines.wrongly_kept]
        removed += [
            f"  {article.key}:{line.number}  [{line.removal_reason}] {line.text}"
            for line in article.lines.wrongly_removed
        ]
        kept += [f"  {article.key}: gold entry opens no line: {text}" for text in article.lines.unmatched]
    sections = []
    if kept:
        sections.append(f"boilerplate lines kept ({len(kept)})\n" + "\n".join(kept))
    if removed:
        sections.append(f"content lines removed ({len(removed)})\n" + "\n".join(removed))
    return "\n\n".join(sections)


def _notes(evaluation: Evaluation) -> str:
    lines = [f"  {a.key}: {note}" for a in evaluation.articles for note in a.notes]
    return "notes\n" + "\n".join(lines) if lines else ""


def to_json(evaluation: Evaluation) -> str:
    """The same figures as JSON, keys in a fixed order so outputs diff cleanly."""
    muscles_p, muscles_r = evaluation.muscles()
    claims_p, claims_r = evaluation.claims()
    kept, removed = evaluation.lines()
    data = {
        "gold": str(evaluation.gold_path),
        "key_map": None if evaluation.key_map_path is None else str(evaluation.key_map_path),
        "out": str(evaluation.out_dir),
        "raw": str(evaluation.raw_dir),
        "totals": {
            "muscles": {"precision": _ratio(muscles_p), "recall": _ratio(muscles_r)},
            "claims": {"precision": _ratio(claims_p), "recall": _ratio(claims_r)},
            "relations": {
                relation: {"precision": _ratio(p), "recall": _ratio(r)}
                for relation, (p, r) in evaluation.relations().items()
            },
            "lines": {"content_kept": _ratio(kept), "boilerplate_removed": _ratio(removed)},
        },
        "unmapped_keys": evaluation.unmapped_keys,
        "keys": {
            key: {"mapped_by": evaluation.mapping.method.get(key), "lexicon_ids": sorted(evaluation.mapping.ids(key))}
            for key in evaluation.used_keys
        },
        "articles": [_article_json(article) for article in evaluation.articles],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def _ratio(ratio: Ratio) -> dict[str, Any]:
    value = None if ratio.value is None else round(ratio.value, JSON_DIGITS)
    return {"value": value, "hits": ratio.hits, "total": ratio.total}


def _article_json(article: ArticleScore) -> dict[str, Any]:
    muscles, claims = article.muscles, article.claims
    return {
        "key": article.key,
        "source_path": article.source_path,
        "muscles": {
            "precision": _ratio(muscles.precision),
            "recall": _ratio(muscles.recall),
            "missed": muscles.missed,
            "extra": muscles.extra,
        },
        "claims": {
            "precision": _ratio(claims.precision),
            "recall": _ratio(claims.recall),
            "missed": [str(claim) for claim in claims.missed],
            "extra": [
                {
                    "muscle_id": claim.muscle_id,
                    "relation": claim.relation,
                    "object_id": claim.object_id,
                    "object_label": claim.object_label,
                    "rule_id": claim.rule_id,
                    "sentence": claim.sentence,
                }
                for claim in claims.predicted
                if claim.verdict == EXTRA
            ],
        },
        "lines": None if article.lines is None else _lines_json(article.lines),
        "notes": article.notes,
    }


def _lines_json(score: LineScore) -> dict[str, Any]:
    return {
        "content_kept": _ratio(Ratio(score.content_kept, score.content)),
        "boilerplate_removed": _ratio(Ratio(score.boilerplate_removed, score.boilerplate)),
        "boilerplate_kept": [{"line": line.number, "text": line.text} for line in score.wrongly_kept],
        "content_removed": [
            {"line": line.number, "reason": line.removal_reason, "text": line.text} for line in score.wrongly_removed
        ],
        "unmatched": score.unmatched,
    }
