"""Cross-validate a learned block model against the text-dump rules.

The question the model answers is the one the main-region search answers: of the blocks the
patterns and zones left standing, which are article text? Its inputs are the features the
cleaner computes anyway (jusText class, length, stopword density, kind, sentence punctuation,
capitals, digits, the neighbours' values, the density of prose and of pattern hits around the
block, the rules' own main region). Two models, both fitted with numpy alone:

- logistic regression (Newton's method, L2 penalty);
- a small gradient-boosted ensemble of depth-3 trees over quantile bins.

Labels: for the development pages, a block is content when at least half of its words align
(difflib, runs of three or more words) with the page's gold body; for the development
articles, when none of its lines is one of the gold's boilerplate lines. Folds are whole
documents (pages and articles), so every figure is for documents the model never saw.

It prints, for the rules and each model: the pages' F1 (the benchmark's convention), and for
the articles the share of content lines kept and of boilerplate lines removed. No model ships
with the cleaner: on the development data neither beat the rules (see the README). Run it again
after changing the rules or the features to see whether that still holds.

Usage: python tools/block_model_cv.py [--folds 5] [--seed 1]
"""

from __future__ import annotations

import argparse
import difflib
import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import boilerplate as bench  # noqa: E402

from pipeline.evaluate.lines import boilerplate_lines  # noqa: E402
from pipeline.strip.htmldump import html_to_dump  # noqa: E402
from pipeline.strip.textclean import TextBlock, decide_region, judge_blocks, word_key  # noqa: E402
from pipeline.strip.textclean.blocks import SENTENCE_END, ends_sentence  # noqa: E402
from pipeline.strip.textclean.metadata import recover_published  # noqa: E402
from pipeline.strip.textclean.region import main_region  # noqa: E402

# Words of a block must align with the gold in runs of at least this many to count.
MIN_ALIGNED_RUN = 3
TREE_DEPTH = 3
TREE_ROUNDS = 100
LEARNING_RATE = 0.1
BINS = 16
MIN_LEAF = 20
L2 = 1.0


def block_features(block: TextBlock, has_stoplist: bool) -> list[float]:
    text, words = block.text, block.text.split()
    n = max(len(words), 1)
    return [
        math.log1p(block.length),
        math.log1p(block.n_words),
        block.stop_density,
        float(has_stoplist),
        *(float(block.cls == c) for c in ("good", "near_good", "short", "bad")),
        *(float(block.kind == k) for k in ("heading", "list_item", "table_row", "title")),
        float(ends_sentence(text)),
        float(bool(SENTENCE_END.search(text))),
        float(text.endswith(":")),
        sum(w[:1].isupper() for w in words) / n,
        sum(w[:1].islower() for w in words[1:]) / max(n - 1, 1),
        sum(c.isdigit() for c in text) / max(len(text), 1),
        text.count(",") / n,
        float(block.gap_before),
    ]


def window_mean(values: np.ndarray, k: int) -> np.ndarray:
    n = len(values)
    sums = np.concatenate([[0.0], np.cumsum(values)])
    index = np.arange(n)
    low, high = np.clip(index - k, 0, n), np.clip(index + k + 1, 0, n)
    return (sums[high] - sums[low]) / np.maximum(high - low, 1)


def document_features(blocks: list[TextBlock], language: str | None) -> tuple[np.ndarray, np.ndarray]:
    """(features of every block, which blocks the patterns and zones already removed)."""
    own = np.array([block_features(b, language is not None) for b in blocks], float)
    removed = np.array([not b.kept for b in blocks])
    prose = np.array([b.cls in ("good", "near_good") and b.kept for b in blocks], float)
    start, end = main_region(copies(blocks))  # the search marks list items: keep the originals
    index = np.arange(len(blocks))
    in_region = (index >= start) & (index <= end)
    distance = np.where(in_region, 0, np.minimum(np.abs(index - start), np.abs(index - end)))
    keys = Counter(word_key(b.text) for b in blocks)
    context = np.column_stack(
        [
            removed,
            in_region,
            [keys[word_key(b.text)] > 1 for b in blocks],
            index / max(len(blocks) - 1, 1),
            np.log1p(distance),
            *(window_mean(prose, k) for k in (1, 3, 10)),
            *(window_mean(removed.astype(float), k) for k in (2, 6)),
        ]
    )
    previous = np.vstack([np.zeros((1, own.shape[1])), own[:-1]])
    following = np.vstack([own[1:], np.zeros((1, own.shape[1]))])
    return np.hstack([own, previous, following, context]).astype(float), removed


def aligned_labels(blocks: list[TextBlock], gold: str) -> tuple[np.ndarray, np.ndarray]:
    """(1 where half a block's words align with the gold body, words per block)."""
    tokens, owner = [], []
    for i, block in enumerate(blocks):
        words = bench.TOKEN.findall(block.text)
        tokens += words
        owner += [i] * len(words)
    matcher = difflib.SequenceMatcher(None, tokens, bench.TOKEN.findall(gold), autojunk=False)
    hit = np.zeros(len(tokens), bool)
    for a, _, size in matcher.get_matching_blocks():
        if size >= MIN_ALIGNED_RUN:
            hit[a : a + size] = True
    aligned, count = np.zeros(len(blocks)), np.zeros(len(blocks))
    np.add.at(aligned, np.array(owner, int), hit)
    np.add.at(count, np.array(owner, int), 1)
    return (aligned / np.maximum(count, 1) >= 0.5).astype(float), count


def load_documents(args: argparse.Namespace) -> list[dict]:
    documents = []
    for _, markup, gold in bench.load_pages(args.data):
        blocks, language, title = judge_blocks(html_to_dump(markup))
        features, removed = document_features(blocks, language)
        labels, words = aligned_labels(blocks, gold)
        documents.append(
            {"kind": "page", "gold": gold, "blocks": blocks, "title": title, "X": features, "removed": removed}
            | {"y": labels, "w": (words + 1) / (words.sum() + len(words))}
        )
    if args.article_gold.exists() and args.articles.is_dir():
        gold = yaml.safe_load(args.article_gold.read_text(encoding="utf-8"))
        documents += [article_document(args.articles / f"{key}.txt", entry) for key, entry in gold.items()]
    return documents


def article_document(path: Path, entry: dict) -> dict:
    text, _ = bench.decode(path.read_bytes())
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    boilerplate, _ = boilerplate_lines(lines, tuple(entry.get("boilerplate") or []))
    blocks, language, title = judge_blocks(text)
    features, removed = document_features(blocks, language)
    labels = np.array([not any(n in boilerplate for n in range(b.line_start, b.line_end + 1)) for b in blocks])
    return {"kind": "article", "blocks": blocks, "title": title, "X": features, "removed": removed} | {
        "y": labels.astype(float),
        "w": np.full(len(blocks), 1 / max(len(blocks), 1)),
        "boilerplate": boilerplate,
    }


def copies(blocks: list[TextBlock]) -> list[TextBlock]:
    return [TextBlock(**vars(b)) for b in blocks]


def rule_decisions(document: dict) -> np.ndarray:
    blocks = copies(document["blocks"])
    decide_region(blocks, document["title"])
    recover_published(blocks)  # a dateline is removed as metadata, as clean_text does
    return np.array([b.kept for b in blocks])


def finish(document: dict, keep: np.ndarray) -> np.ndarray:
    """A model's decisions, then the dateline removed as metadata, as the rules have it."""
    blocks = copies(document["blocks"])
    for block, k in zip(blocks, keep, strict=True):
        block.reason = None if k else block.reason or "low_content"
    recover_published(blocks)
    return np.array([b.kept for b in blocks])


# --- models ------------------------------------------------------------------------------------


def fit_logistic(X: np.ndarray, y: np.ndarray, w: np.ndarray, iterations: int = 25):
    mean, scale = X.mean(0), X.std(0) + 1e-9
    Xb = np.hstack([(X - mean) / scale, np.ones((len(X), 1))])
    penalty = L2 * np.diag(np.r_[np.ones(Xb.shape[1] - 1), 0.0])
    beta = np.zeros(Xb.shape[1])
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-Xb @ beta))
        gradient = Xb.T @ (w * (p - y)) + penalty @ beta
        hessian = (Xb * (w * p * (1 - p))[:, None]).T @ Xb + penalty
        beta -= np.linalg.solve(hessian, gradient)
    return lambda Z: 1 / (1 + np.exp(-(np.hstack([(Z - mean) / scale, np.ones((len(Z), 1))]) @ beta)))


def fit_trees(X: np.ndarray, y: np.ndarray, w: np.ndarray):
    edges = [np.unique(np.quantile(X[:, j], np.linspace(0, 1, BINS + 1)[1:-1])) for j in range(X.shape[1])]

    def binned(Z: np.ndarray) -> np.ndarray:
        return np.column_stack([np.searchsorted(edges[j], Z[:, j], side="right") for j in range(Z.shape[1])])

    B, w = binned(X), w / w.mean()
    base = math.log((np.sum(w * y) + 1) / (np.sum(w * (1 - y)) + 1))
    score, trees = np.full(len(y), base), []
    for _ in range(TREE_ROUNDS):
        p = 1 / (1 + np.exp(-score))
        tree = grow(B, w * (p - y), w * p * (1 - p), np.arange(len(y)), 0)
        score += LEARNING_RATE * predict_tree(tree, B)
        trees.append(tree)
    return lambda Z: 1 / (1 + np.exp(-(base + LEARNING_RATE * sum(predict_tree(t, binned(Z)) for t in trees))))


def grow(B: np.ndarray, g: np.ndarray, h: np.ndarray, rows: np.ndarray, depth: int):
    """A regression tree on gradients g and hessians h (XGBoost's gain), as nested tuples."""
    G, H = g[rows].sum(), h[rows].sum()
    best_gain, best = 0.0, None
    if depth < TREE_DEPTH and len(rows) >= 2 * MIN_LEAF:
        for j in range(B.shape[1]):
            size = B[rows, j].max() + 1
            GL = np.cumsum(np.bincount(B[rows, j], g[rows], size))[:-1]
            HL = np.cumsum(np.bincount(B[rows, j], h[rows], size))[:-1]
            CL = np.cumsum(np.bincount(B[rows, j], None, size))[:-1]
            gain = GL**2 / (HL + L2) + (G - GL) ** 2 / (H - HL + L2) - G**2 / (H + L2)
            gain[(CL < MIN_LEAF) | (len(rows) - CL < MIN_LEAF)] = 0
            if len(gain) and gain.max() > best_gain:
                best_gain, best = gain.max(), (j, int(gain.argmax()))
    if best is None:
        return -G / (H + L2)
    j, t = best
    left = B[rows, j] <= t
    return (j, t, grow(B, g, h, rows[left], depth + 1), grow(B, g, h, rows[~left], depth + 1))


def predict_tree(tree, B: np.ndarray) -> np.ndarray:
    if not isinstance(tree, tuple):
        return np.full(len(B), tree)
    j, t, left, right = tree
    out = np.empty(len(B))
    mask = B[:, j] <= t
    out[mask], out[~mask] = predict_tree(left, B[mask]), predict_tree(right, B[~mask])
    return out


# --- cross-validation ----------------------------------------------------------------------------


def cross_validate(documents: list[dict], fit, folds: int, seed: int) -> list[np.ndarray]:
    """Each document's kept blocks, predicted by a model fitted on the other folds."""
    order = np.random.default_rng(seed).permutation(len(documents))
    fold_of = np.empty(len(documents), int)
    fold_of[order] = np.arange(len(documents)) % folds
    decisions: list[np.ndarray] = [np.zeros(0, bool)] * len(documents)
    for fold in range(folds):
        train = [d for d, f in zip(documents, fold_of, strict=True) if f != fold]
        X = np.vstack([d["X"][~d["removed"]] for d in train])
        y = np.concatenate([d["y"][~d["removed"]] for d in train])
        w = np.concatenate([d["w"][~d["removed"]] for d in train]) * len(train)
        model = fit(X, y, w)
        for i in np.where(fold_of == fold)[0]:
            document = documents[i]
            decisions[i] = finish(document, (model(document["X"]) >= 0.5) & ~document["removed"])
    return decisions


def evaluate(documents: list[dict], decisions: list[np.ndarray]) -> str:
    counts = []
    content = content_kept = boilerplate = boilerplate_removed = 0
    for document, kept in zip(documents, decisions, strict=True):
        blocks = document["blocks"]
        if document["kind"] == "page":
            text = "\n".join(b.text for b, k in zip(blocks, kept, strict=True) if k)
            counts.append(bench.page_counts(document["gold"], text))
            continue
        for block, k in zip(blocks, kept, strict=True):
            for line in range(block.line_start, block.line_end + 1):
                if line in document["boilerplate"]:
                    boilerplate, boilerplate_removed = boilerplate + 1, boilerplate_removed + (not k)
                else:
                    content, content_kept = content + 1, content_kept + (k or block.kind == "title")
    f1 = bench.score(counts)[2] if counts else float("nan")
    articles = f"{content_kept / content:.3f} {boilerplate_removed / boilerplate:.3f}" if content else "- -"
    return f"{f1:.3f} {articles}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=bench.DEFAULT_DATA, help="benchmark pages")
    parser.add_argument("--articles", type=Path, default=bench.DEFAULT_ARTICLES, help="development article texts")
    parser.add_argument("--article-gold", type=Path, default=bench.DEFAULT_ARTICLE_GOLD, help="their gold.yaml")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if not (args.data / "ground-truth.json").exists():
        print(f"benchmark data not found in {args.data}", file=sys.stderr)
        return 2
    documents = load_documents(args)
    print(f"{len(documents)} documents, {sum(len(d['blocks']) for d in documents)} blocks, {args.folds} folds")
    print(f"{'decider':<34}{'pages F1':>9}{'content kept':>14}{'boilerplate removed':>21}")
    rows = [("rules (not fitted by folds)", [rule_decisions(d) for d in documents])]
    rows += [("logistic regression, held out", cross_validate(documents, fit_logistic, args.folds, args.seed))]
    rows += [("boosted trees, held out", cross_validate(documents, fit_trees, args.folds, args.seed))]
    for name, decisions in rows:
        f1, kept, removed = evaluate(documents, decisions).split()
        print(f"{name:<34}{f1:>9}{kept:>14}{removed:>21}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
