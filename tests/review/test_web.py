"""`curate review --web` without a browser: who may call it, and that a click is a real decision."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.review.decisions import load_decisions


@pytest.fixture
def server(review_server):
    return review_server


def call(server, path, body=None, headers=None, host=None):
    port = server.server_address[1]
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    if host:
        request.add_unredirected_header("Host", host)
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            return answer.status, answer.read().decode(), dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def token(server):
    return {"X-Curate-Token": server.token}


def conflict_of(out: Path, kind: str) -> dict:
    return next(c for c in pq.read_table(out / "conflicts.parquet").to_pylist() if c["kind"] == kind)


def test_the_served_review_page_carries_the_token_and_the_saved_one_does_not(server):
    status, page, headers = call(server, "/review.html")
    assert status == 200 and f'<meta name="curate-token" content="{server.token}">' in page
    assert headers["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    saved = (server.context.out_dir / "review.html").read_text()
    assert server.token not in saved and '<meta name="curate-token" content="">' in saved
    status, report, _ = call(server, "/report.html")
    assert status == 200 and "Curated dataset report" in report
    assert call(server, "/stats.json")[0] == 404 and call(server, "/../raw/x.txt")[0] == 404
    assert server.server_address[0] == "127.0.0.1"


def test_requests_from_elsewhere_are_refused(server):
    conflict = conflict_of(server.context.out_dir, "reference")
    body = {"conflict_id": conflict["conflict_id"], "action": "accept"}
    assert call(server, "/review.html", host="attacker.example:80")[0] == 403  # DNS rebinding
    assert call(server, "/api/decide", body)[0] == 403  # no token
    assert call(server, "/api/decide", body, {"X-Curate-Token": "guess"})[0] == 403
    foreign = {**token(server), "Origin": "http://attacker.example"}
    status, answer, _ = call(server, "/api/decide", body, foreign)
    assert status == 403 and "refused" in answer
    assert call(server, "/api/state")[0] == 403
    assert not server.context.decisions_path.exists()


def test_a_click_is_validated_and_recorded_like_curate_decide_then_applied_by_a_rebuild(server):
    out, decisions = server.context.out_dir, server.context.decisions_path
    category, reference = conflict_of(out, "category"), conflict_of(out, "reference")
    own = {**token(server), "Origin": f"http://127.0.0.1:{server.server_address[1]}"}
    status, answer, _ = call(server, "/api/decide", {"conflict_id": category["conflict_id"], "action": "merge"}, own)
    assert status == 400 and "applies to naming conflicts" in answer
    body = {"conflict_id": reference["conflict_id"][:8], "action": "accept", "note": "the reference is right"}
    status, answer, _ = call(server, "/api/decide", body, own)
    assert status == 200
    assert json.loads(answer)["decision"] == {
        "action": "accept", "label": "accept suggestion: reject 1 fact", "by": "ana", "note": "the reference is right"
    }  # fmt: skip
    (decision,) = load_decisions(decisions)
    assert (decision.conflict_id, decision.action, decision.by) == (reference["conflict_id"], "accept", "ana")
    state = json.loads(call(server, "/api/state", headers=token(server))[1])
    assert list(state["pending"]) == [reference["conflict_id"]]
    status, answer, _ = call(server, "/api/rebuild", {}, own)
    assert status == 200 and json.loads(answer)["ok"], answer
    after = {c["conflict_id"]: c for c in pq.read_table(out / "conflicts.parquet").to_pylist()}
    assert after[reference["conflict_id"]]["status"] == "resolved"
    assert json.loads(call(server, "/api/state", headers=token(server))[1])["pending"] == {}


def test_the_command_says_what_is_missing_or_busy(server, tmp_path, capsys):
    from pipeline import cli

    assert cli.main(["review", "--web", "--out", str(tmp_path / "none"), "--port", "0"]) == cli.EXIT_CANNOT_RUN
    assert "conflicts.parquet does not exist" in capsys.readouterr().err
    busy = str(server.server_address[1])
    assert cli.main(["review", "--web", "--out", str(server.context.out_dir), "--port", busy]) == cli.EXIT_CANNOT_RUN
    assert f"cannot listen on 127.0.0.1:{busy}" in capsys.readouterr().err
