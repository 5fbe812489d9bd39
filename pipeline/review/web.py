"""`curate review --web`: the review and report pages served on 127.0.0.1, with decision buttons.

A click records a decision through the same path as `curate decide` (`terminal.decide`: the
same decisions file, lock and validation), and the page says at once that it is recorded and
applies on the next build; a Rebuild button runs `curate run` with the same options.

The server listens on 127.0.0.1 only and answers only requests addressed to it by that name
(the Host header: a page of another site cannot reach it through a DNS name that points here).
Every API call needs the token this server put in the page it served, which another origin
cannot read, and a POST whose Origin is another site is refused; pages may not be framed.
"""

from __future__ import annotations

import argparse
import json
import re
import secrets
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from pipeline.review.actions import effect
from pipeline.review.decisions import DecisionsError, latest, load_decisions
from pipeline.review.terminal import ReviewContext, ReviewError, decide, load_conflicts
from pipeline.write.review_page import TOKEN_META, render_review_page

HOST = "127.0.0.1"
# The files served: the two pages and the audit pages, nothing else of the folder.
SERVED = re.compile(r"^/(report\.html|audit/[0-9a-f]+\.html)$")
# A POST body larger than this is not a decision.
MAX_BODY = 64 * 1024
# Lines of a failed rebuild's output shown in the page.
OUTPUT_LINES = 20
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, context: ReviewContext, rebuild: list[str], port: int = 0) -> None:
        super().__init__((HOST, port), Handler)
        self.context, self.rebuild_command = context, rebuild
        self.token = secrets.token_urlsafe(24)
        self.build_lock = threading.Lock()
        bound = self.server_address[1]
        self.hosts = {f"{HOST}:{bound}", f"localhost:{bound}"}
        self.origins = {f"http://{host}" for host in self.hosts}

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/review.html"


class Handler(BaseHTTPRequestHandler):
    server: ReviewServer

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows the URL and errors, not one line per request

    def do_GET(self) -> None:
        if not self._addressed_to_us():
            return
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path in ("/", "/review.html"):
            self._send(200, self._review_page().encode(), "text/html; charset=utf-8")
        elif path == "/api/state" and self._token_ok():
            self._json(200, self._state())
        elif path == "/api/state":
            self._json(403, {"error": "missing or wrong token"})
        elif SERVED.match(path) and (self.server.context.out_dir / path[1:]).is_file():
            self._send(200, (self.server.context.out_dir / path[1:]).read_bytes(), "text/html; charset=utf-8")
        else:
            self._json(404, {"error": f"no page {path}"})

    def do_POST(self) -> None:
        if not self._addressed_to_us():
            return
        origin = self.headers.get("Origin")
        if origin is not None and origin not in self.server.origins:
            self._json(403, {"error": f"requests from {origin} are refused"})
            return
        if not self._token_ok():
            self._json(403, {"error": "missing or wrong token"})
            return
        body = self._body()
        if body is None:
            return
        if self.path == "/api/decide":
            self._decide(body)
        elif self.path == "/api/rebuild":
            self._rebuild()
        else:
            self._json(404, {"error": f"no action {self.path}"})

    # ------------------------------------------------------------------ checks

    def _addressed_to_us(self) -> bool:
        if self.headers.get("Host") not in self.server.hosts:
            self._json(403, {"error": "this server answers only requests to 127.0.0.1 or localhost"})
            return False
        return True

    def _token_ok(self) -> bool:
        given = self.headers.get("X-Curate-Token") or ""
        return secrets.compare_digest(given, self.server.token)

    def _body(self) -> dict[str, Any] | None:
        length = int(self.headers.get("Content-Length") or 0)
        if "application/json" not in (self.headers.get("Content-Type") or "") or length > MAX_BODY:
            self._json(415, {"error": "send a JSON object (Content-Type: application/json)"})
            return None
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            self._json(400, {"error": "the body must be a JSON object"})
            return None
        return body

    # ------------------------------------------------------------------ answers

    def _review_page(self) -> str:
        page = render_review_page(load_conflicts(self.server.context.out_dir))
        return page.replace(TOKEN_META, f'<meta name="curate-token" content="{self.server.token}">', 1)

    def _state(self) -> dict[str, Any]:
        """Decisions in the file that the last build has not applied yet."""
        context = self.server.context
        applied = {c["conflict_id"]: c for c in load_conflicts(context.out_dir)}
        pending = {}
        for conflict_id, decision in latest(load_decisions(context.decisions_path)).items():
            conflict = applied.get(conflict_id)
            if conflict and (conflict["decision"], conflict["decided_at"]) != (decision.action, decision.at):
                pending[conflict_id] = _described(conflict, decision.action, decision.by, decision.note)
        return {"decisions": str(context.decisions_path), "pending": pending}

    def _decide(self, body: dict[str, Any]) -> None:
        context = self.server.context
        try:
            decision = decide(
                context, str(body.get("conflict_id", "")), str(body.get("action", "")), note=body.get("note") or None
            )
            conflict = {c["conflict_id"]: c for c in load_conflicts(context.out_dir)}[decision.conflict_id]
        except (ReviewError, DecisionsError) as exc:
            self._json(400, {"error": str(exc)})
            return
        described = _described(conflict, decision.action, decision.by, decision.note)
        self._json(200, {"decision": described, "file": str(context.decisions_path)})

    def _rebuild(self) -> None:
        if not self.server.build_lock.acquire(blocking=False):
            self._json(409, {"error": "a rebuild is running already"})
            return
        try:
            done = subprocess.run(self.server.rebuild_command, capture_output=True, text=True, check=False)
        finally:
            self.server.build_lock.release()
        output = "\n".join((done.stderr + done.stdout).strip().splitlines()[-OUTPUT_LINES:])
        # Exit status 1: the tables were written, some inputs failed (they are listed in the page).
        self._json(200, {"ok": done.returncode in (0, 1), "exit_code": done.returncode, "output": output})

    def _json(self, status: int, data: dict[str, Any]) -> None:
        self._send(status, json.dumps(data).encode(), "application/json")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def _described(conflict: dict[str, Any], action: str, by: str, note: str | None) -> dict[str, Any]:
    return {"action": action, "label": effect(conflict, action), "by": by, "note": note}


def rebuild_command(args: argparse.Namespace) -> list[str]:
    """`curate run` with the options `curate review --web` was given."""
    command = [sys.executable, "-m", "pipeline", "run", "--raw", str(args.raw), "--out", str(args.out)]
    command += [
        "--decisions",
        str(args.decisions),
        "--cache-dir",
        str(args.cache_dir),
        "--max-bytes",
        str(args.max_bytes),
    ]
    command += ["--engine", args.engine, "--workers", str(args.workers), "-q"]
    if args.scheduler:
        command += ["--scheduler", args.scheduler]
    return command + (["--no-cache"] if args.no_cache else [])


def serve(context: ReviewContext, args: argparse.Namespace) -> None:
    """Serve until interrupted (Ctrl-C)."""
    load_conflicts(context.out_dir)  # no build yet: say so now, not in the browser
    try:
        server = ReviewServer(context, rebuild_command(args), args.port)
    except OSError as exc:
        raise ReviewError(f"cannot listen on {HOST}:{args.port} ({exc.strerror}); choose another --port") from exc
    print(f"Reviewing {context.out_dir} at {server.url}")
    print(f"Decisions go to {context.decisions_path}. Ctrl-C stops the server.", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
