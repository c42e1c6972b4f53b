"""A customer on the chat WebSocket (/v1/public/businesses/{slug}/ws)."""
import json

import websocket


def connect(server, slug):
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{server.port}/v1/public/businesses/{slug}/ws", timeout=10)
    return ws


def receive(ws):
    opcode, data = ws.recv_data()
    assert opcode == websocket.ABNF.OPCODE_TEXT, opcode
    return json.loads(data)


def ask(ws, text, **extra):
    """Sends one message; returns its frames up to and including `done` (or one `error`)."""
    ws.send(json.dumps({"type": "message", "text": text, **extra}))
    frames = []
    while True:
        frame = receive(ws)
        frames.append(frame)
        if frame["type"] in ("done", "error"):
            return frames
