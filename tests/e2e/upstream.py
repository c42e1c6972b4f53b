"""Loopback HTTP servers that tests stand up as a bot's LLM upstream, and the bot settings that
send answerable questions to one."""
import contextlib
import http.server
import threading


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A request handler that keeps the test output clean."""

    def log_message(self, *args):
        pass

    def begin_event_stream(self):
        """Reads the request and answers 200 with a chunked text/event-stream body to follow
        (an OpenAI-compatible streamed completion)."""
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()


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


def held_stream_handler(release):
    """An OpenAI-compatible streaming upstream that sends its first words at once, then holds the
    answer open until `release` (a threading.Event) is set (30 s at most), then ends it: a turn
    whose answer is still being written for as long as a test needs."""
    import json

    def chunk(text):
        body = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m",
                "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}
        return f"data: {json.dumps(body)}\n\n".encode()

    class HeldStream(QuietHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):  # noqa: N802 (http.server's naming)
            self.begin_event_stream()
            try:
                self._send(chunk("Buka jam "))
                release.wait(30)
                self._send(chunk("tujuh."))
                self._send(b"data: [DONE]\n\n")
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _send(self, data):
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

    return HeldStream
