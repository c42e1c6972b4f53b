"""A customer's streamed chat (SSE) read as it arrives, and the problem of a busy conversation."""
import json


def sse_events(response):
    """(event, data) pairs of an SSE response as they arrive."""
    event, data = None, []
    # chunk_size=1: an event is yielded as soon as it arrives, not once 512 bytes have.
    for raw in response.iter_lines(chunk_size=1, decode_unicode=True):
        line = raw.rstrip("\r")
        if line == "":
            if event or data:
                yield event, json.loads("\n".join(data)) if data else None
            event, data = None, []
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip(" "))


def assert_conflict(problem):
    assert problem["status"] == 409 and problem["code"] == "conflict", problem
    assert "still being written" in problem["detail"], problem
