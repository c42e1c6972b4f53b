"""Loopback HTTP servers that tests stand up as a bot's LLM upstream, and the bot settings that
send answerable questions to one."""
import contextlib
import http.server
import threading


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A request handler that keeps the test output clean."""

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve_locally(handler_class):
    """Runs `handler_class` on 127.0.0.1 (a free port) in a thread for the `with` block."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()


def route_to_llm(owner, business_id, base_url, **llm):
    """Bot settings that answer every question above the deflection threshold through the LLM at
    `base_url` (tier 2 or 3, never a direct FAQ answer); `llm` overrides the other LLM fields."""
    r = owner.request("PUT", f"/v1/businesses/{business_id}/bot", json={
        "thresholds": {"direct": 1.0, "grounded": 0.3, "deep": 0.0},
        "llm": {"base_url": base_url, "model": "m", **llm}})
    assert r.status_code == 200, r.text
