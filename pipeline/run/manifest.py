"""curated/manifest.json: what a build read, with which versions, and how long it took.

Kept apart from the data files on purpose: it holds timings and a timestamp, which would break
the byte-for-byte reproducibility of the Parquet tables if they lived there.
"""

from __future__ import annotations

import datetime as dt
import platform
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.common.atomic import write_json_atomically
from pipeline.records import Document
from pipeline.run.cache import library_version, stage_fingerprint
from pipeline.run.stages import PER_DOCUMENT
from pipeline.run.uptodate import LIBRARIES, BuildInputs, output_digests


def write_manifest(
    path: Path,
    documents: list[Document],
    inputs: BuildInputs,
    timings: dict[str, float],
    counts: dict[str, int],
    build_key: str,
    outputs: list[Path],
) -> None:
    """`build_key` and the hashes of `outputs` let the next run see that nothing changed."""
    manifest: dict[str, Any] = {
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "pipeline_version": __version__,
        "python": platform.python_version(),
        "libraries": {name: library_version(name) for name in LIBRARIES},
        "build_key": build_key,
        "outputs": output_digests(outputs, path.parent),
        "stage_fingerprints": {stage: stage_fingerprint(stage)[:16] for stage in PER_DOCUMENT},
        "timings_s": {stage: round(seconds, 3) for stage, seconds in timings.items()},
        "documents": counts,
        "decisions": {"path": str(inputs.decisions_path), "sha256": inputs.decisions_sha256},
        "inputs": [
            {"source_path": d.source_path, "doc_id": d.doc_id, "status": d.status}
            for d in sorted(documents, key=lambda d: d.source_path)
        ],
    }
    write_json_atomically(path, manifest)
