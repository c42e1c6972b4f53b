"""Hostile and broken HTTP gets the right 4xx or a closed connection, never a crash."""
import socket
import time


def raw(server, data: bytes, timeout=5.0) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        try:
            while True:
                c = s.recv(65536)
                if not c:
                    break
                chunks.append(c)
                if b"\r\n\r\n" in b"".join(chunks) and b"}" in c:
                    break
        except socket.timeout:
            pass
        return b"".join(chunks)


def assert_alive(server):
    assert server.get("/healthz").status_code == 200
    assert server.proc.poll() is None


def test_malformed_request_line_is_400(server):
    resp = raw(server, b"THIS IS NOT HTTP\r\n\r\n")
    assert resp.startswith(b"HTTP/1.1 400"), resp
    resp = raw(server, b"GET /status HTTP/9.9\r\n\r\n")
    assert resp.startswith(b"HTTP/1.1 400") or resp == b"", resp
    assert_alive(server)


def test_huge_headers_are_431(server):
    resp = raw(server, b"GET /status HTTP/1.1\r\nHost: x\r\nX-Junk: " + b"a" * 64_000 + b"\r\n\r\n")
    assert resp.startswith(b"HTTP/1.1 431"), resp[:200]
    assert_alive(server)


def test_ten_megabyte_body_on_a_small_route_is_413(server):
    body = b"x" * (10 * 1024 * 1024)
    r = server.post("/status", data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.json()["code"] == "payload_too_large"
    assert_alive(server)


def test_one_byte_per_second_client_is_disconnected(start_server):
    s = start_server(env={"MILKYHOOP_HTTP_READ_TIMEOUT_MS": "1500"})
    with socket.create_connection(("127.0.0.1", s.port), timeout=10) as sock:
        request = b"GET /status HTTP/1.1\r\nHost: x\r\n\r\n"
        start = time.monotonic()
        closed = False
        for byte in request:
            try:
                sock.sendall(bytes([byte]))
                sock.settimeout(1.0)
                data = sock.recv(1024)
                if data == b"":
                    closed = True
                    break
            except socket.timeout:
                continue
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
        assert closed, "server kept a slowloris connection open"
        assert time.monotonic() - start < 8
    assert_alive(s)


def test_many_idle_connections_do_not_block_others(server):
    socks = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(200)]
    try:
        assert_alive(server)
    finally:
        for s in socks:
            s.close()


def test_garbage_bytes_then_valid_request_on_new_connection(server):
    raw(server, bytes(range(256)) * 4)
    assert_alive(server)
