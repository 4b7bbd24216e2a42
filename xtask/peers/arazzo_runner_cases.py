"""The peer's side of `cargo xtask diff-peer`: the Python `arazzo-runner` on each case of a
folder that `cargo xtask conformance` wrote, against a stand-in server that answers each case's
script as the Rust stand-in does (per operation, in order, then the fallback).

usage: arazzo_runner_cases.py CASES_DIR

Writes `peer.json` next to each case: the requests the server received and the outputs of
workflow `main`, or that it failed (`PeerFailed`) or did not end within a few seconds (`NoEnd`:
the runner has no bound on loops). Logging is turned off.
"""

import json
import logging
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

logging.disable(logging.CRITICAL)

from arazzo_runner import ArazzoRunner  # noqa: E402

# How long one case may run before it counts as never ending.
PATIENCE_SECONDS = 3


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class Stand:
    """The script of the case being run, and the requests received."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset({}, [])

    def take(self):
        """The lock, for the main thread. The alarm that stops a run raises in the main thread
        wherever it is: between a lock's acquire and its `with` block it leaves the lock taken
        with no thread to release it (CPython's bpo-29988), and the next case waited for it
        forever (seen in CI). No handler thread holds it for long, so a lock still taken after
        a few seconds is such a leaked one: a new lock replaces it."""
        if not self.lock.acquire(timeout=5):
            self.lock = threading.Lock()
            self.lock.acquire()
        return self.lock

    def reset(self, script, operations):
        lock = self.take()
        try:
            self.answers = script.get("answers", {})
            self.fallback = script.get("fallback", {"status": 200, "body": {}})
            self.taken = {}
            self.operations = operations
            self.requests = []
        finally:
            lock.release()

    def received(self):
        lock = self.take()
        try:
            return list(self.requests)
        finally:
            lock.release()

    def answer(self, method, path, query, body):
        with self.lock:
            text = f"{method.upper()} {path}"
            if query:
                text += "?" + query
            if body:
                try:
                    text += " " + canonical(json.loads(body))
                except ValueError:
                    text += " " + body.decode("utf-8", "replace")
            self.requests.append(text)
            found = [o for (m, p, o) in self.operations if m == method.lower() and path_matches(p, path)]
            if not found:
                return {"status": 599, "body": {}}
            op = found[0]
            used = self.taken.get(op, 0)
            self.taken[op] = used + 1
            listed = self.answers.get(op, [])
            return listed[used] if used < len(listed) else self.fallback


def path_matches(template, path):
    """Whether a request's path is an instance of the description's template (`/jobs/{id}`)."""
    written, sent = template.split("/"), path.split("/")
    if len(written) != len(sent):
        return False
    return all(
        w == s or (w.startswith("{") and w.endswith("}") and s != "")
        for w, s in zip(written, sent)
    )


STAND = Stand()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def handle_any(self):
        parts = urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        answer = STAND.answer(self.command, parts.path, parts.query, body)
        payload = json.dumps(answer.get("body", {})).encode()
        self.send_response(answer.get("status", 200))
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_any


class QuietServer(ThreadingHTTPServer):
    """A run the alarm stops (a loop the peer never ends) drops its connection mid-answer;
    that is expected, and no traceback is printed for it."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


class NoEnd(BaseException):
    """Not an `Exception`: the runner catches those and goes on."""

    pass


def on_alarm(signum, frame):
    raise NoEnd()


def run_case(folder, base):
    with open(os.path.join(folder, "case.json")) as f:
        case = json.load(f)
    operations = []
    for path, item in case["openapi"].get("paths", {}).items():
        for method, op in item.items():
            if isinstance(op, dict) and "operationId" in op:
                operations.append((method, path, op["operationId"]))
    peer = os.path.join(folder, "peer")
    os.makedirs(peer, exist_ok=True)
    described = dict(case["openapi"])
    described["servers"] = [{"url": base}]
    with open(os.path.join(peer, "api.openapi.json"), "w") as f:
        json.dump(described, f)
    with open(os.path.join(peer, "flow.arazzo.yaml"), "w") as f:
        f.write(case["arazzo"])
    STAND.reset(case["server"], operations)
    signal.alarm(PATIENCE_SECONDS)
    try:
        runner = ArazzoRunner.from_arazzo_path(os.path.join(peer, "flow.arazzo.yaml"))
        result = runner.execute_workflow("main", case["inputs"])
        signal.alarm(0)
        if str(result.status) == "workflow_complete":
            outcome = {"Ok": result.outputs or {}}
        else:
            outcome = {"Err": {"kind": "PeerFailed", "workflow": "main", "step": None, "status": None}}
    except NoEnd:
        outcome = {"Err": {"kind": "NoEnd", "workflow": "main", "step": None, "status": None}}
    except Exception as e:  # noqa: BLE001 - any failure of the peer is an outcome
        signal.alarm(0)
        outcome = {"Err": {"kind": "PeerRaised", "workflow": "main", "step": str(e)[:200], "status": None}}
    requests = STAND.received()
    with open(os.path.join(folder, "peer.json"), "w") as f:
        json.dump({"requests": requests, "result": outcome}, f, indent=2)


def main():
    cases = sys.argv[1]
    server = QuietServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    signal.signal(signal.SIGALRM, on_alarm)
    names = sorted(n for n in os.listdir(cases) if os.path.isfile(os.path.join(cases, n, "case.json")))
    for name in names:
        run_case(os.path.join(cases, name), base)
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
