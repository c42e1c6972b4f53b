#!/usr/bin/env python3
"""Customer-chat benchmark driver (Python 3 standard library only); run by bench/chat/run.sh.

  chatbench.py setup     --base URL --out SETUP.json --lua CHAT.lua [--chunks N] [--stream-businesses N]
      Registers an owner, creates one business with N knowledge chunks (the retrieval dev set's
      FAQs plus generated filler FAQs, fixed seed), one business for the LLM latency test and N
      businesses for the concurrent-stream test; writes their ids and slugs to SETUP.json and a
      wrk Lua script posting the dev set's queries as public chat messages to CHAT.lua.

  chatbench.py latency   --base URL --setup SETUP.json --out OUT.json [--samples N] ...
      First-token latency the server adds: a paced OpenAI-compatible upstream (in this process)
      records when it writes its first content chunk; the client records when the first `delta`
      event arrives through milkyhoop, and, side by side, when the first chunk arrives reading the
      upstream directly. Same clock (time.monotonic_ns), same process.

  chatbench.py idle      --base URL --pid PID --out OUT.json [--connections N]
      The reference for the streams: N idle keep-alive connections (one GET /healthz each)
      held at once; the server's VmRSS before and while held.

  chatbench.py streams   --base URL --pid PID --setup SETUP.json --out OUT.json [--streams N] ...
      Holds N SSE chat streams open at once (the upstream slowed down so they stay open) spread
      over the stream businesses, reads the server's VmRSS before and while they are open, checks
      that closing the clients closes the server's upstream requests; then probes the
      per-business stream cap (110 streams on one business).

  chatbench.py logscan --out OUT.json LOG...   5xx responses and error lines of server logs
  chatbench.py report ...                      merges the phases into the result JSON, prints

  chatbench.py upstream
      Runs the paced upstream alone (for trying things by hand).

The paced upstream answers POST .../chat/completions; its pacing comes from the model name:
"paced:first=50:every=20:tokens=5" → first content chunk 50 ms after the request, then one every
20 ms, 5 in all (then finish_reason "stop", usage, [DONE]). stream=false gets one JSON completion.
"""
import argparse
import asyncio
import glob
import json
import os
import random
import re
import resource
import socket
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEV_SET = os.path.join(ROOT, "tests", "eval", "retrieval-dev.json")
NONCE_RE = re.compile(rb"bnc([0-9a-f]{12})")
PASSWORD = "kopi-susu-gula-aren-42"


def log(msg):
    print(f"[chatbench] {msg}", file=sys.stderr, flush=True)


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def threads_of(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def pct(values, p):
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(p / 100.0 * len(v) + 0.5)) - 1))
    return v[k]


def summary_ms(values_ns):
    if not values_ns:
        return None
    ms = [v / 1e6 for v in values_ns]
    return {"n": len(ms), "p50_ms": round(statistics.median(ms), 4),
            "p90_ms": round(pct(ms, 90), 4), "p99_ms": round(pct(ms, 99), 4),
            "min_ms": round(min(ms), 4), "max_ms": round(max(ms), 4),
            "mean_ms": round(statistics.fmean(ms), 4)}


# --- the owner's side of the API -----------------------------------------------------------------

class Api:
    def __init__(self, base, token=None):
        self.base = base.rstrip("/")
        self.token = token

    def call(self, method, path, body=None, expect=(200, 201), ctype="application/json",
             timeout=120):
        data = None
        headers = {"Accept": "application/json"}
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers["Content-Type"] = ctype
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                status, text = r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read().decode(errors="replace")
        if status not in expect:
            raise SystemExit(f"{method} {path} -> {status}: {text[:500]}")
        return json.loads(text) if text else None


def filler_faqs(n, seed):
    """n generated FAQs about a big shop's catalogue (fixed seed): words shared with the dev set
    (harga, stok, kirim, ...) so that the index has real posting lists to walk."""
    rnd = random.Random(seed)
    items = ["kaos", "kemeja", "celana", "jaket", "sepatu", "sandal", "tas", "topi", "kaus kaki",
             "rok", "gamis", "hijab", "sarung", "batik", "dompet", "ikat pinggang", "sweater",
             "piyama", "handuk", "selimut", "seprai", "bantal", "gelas", "piring", "sendok",
             "panci", "wajan", "termos", "kopi bubuk", "teh celup", "gula aren", "beras",
             "minyak goreng", "sabun cuci", "sampo", "pasta gigi", "payung", "jas hujan", "helm",
             "masker"]
    colours = ["hitam", "putih", "merah", "biru", "hijau", "kuning", "abu", "coklat", "navy",
               "krem", "ungu", "oranye", "pink", "maroon", "olive"]
    sizes = ["S", "M", "L", "XL", "XXL", "kecil", "sedang", "besar", "jumbo", "anak"]
    cities = ["Bandung", "Bekasi", "Bogor", "Depok", "Tangerang", "Cimahi", "Garut", "Sumedang",
              "Cirebon", "Tasikmalaya", "Karawang", "Purwakarta", "Subang", "Sukabumi"]
    templates = [
        ("Berapa harga {i} {c} ukuran {s} kode {k}?",
         "Harga {i} {c} ukuran {s} (kode {k}) Rp {p}.000, stok {q} pcs."),
        ("Apakah {i} {c} kode {k} masih ada stok?",
         "{i} {c} kode {k} tersedia {q} pcs di gudang {t}."),
        ("Bisa kirim {i} kode {k} ke {t}?",
         "Bisa, {i} kode {k} dikirim ke {t} 2-3 hari, ongkir mulai Rp {o}.000."),
        ("{i} {c} kode {k} bahannya apa?",
         "{i} {c} kode {k} dari bahan pilihan, garansi tukar {g} hari."),
        ("Ada diskon untuk {i} kode {k} kalau beli {q}?",
         "Beli {q} {i} kode {k} diskon {d}%, berlaku sampai akhir bulan."),
    ]
    out = []
    for n_ in range(n):
        q, a = templates[n_ % len(templates)]
        v = {"i": rnd.choice(items), "c": rnd.choice(colours), "s": rnd.choice(sizes),
             "k": f"{rnd.choice('ABCDEFGHJKLMNPRSTUVW')}{rnd.randint(1000, 9999)}-{n_}",
             "t": rnd.choice(cities), "p": rnd.randint(10, 900), "q": rnd.randint(1, 200),
             "o": rnd.randint(5, 40), "g": rnd.choice([3, 7, 14, 30]),
             "d": rnd.choice([5, 10, 15, 20, 25])}
        out.append({"question": q.format(**v), "answer": a.format(**v)})
    return out


def write_lua(path, slug, queries, unique=False):
    # Each message as the inside of a JSON string, as a Lua string literal (every byte that is
    # not plain printable ASCII escaped as \\ddd: Lua strings are bytes).
    def esc(s):
        return '"' + "".join(chr(b) if (32 <= b < 127 and chr(b) not in '"\\') else "\\%03d" % b
                             for b in s.encode()) + '"'
    messages = [json.dumps(q, ensure_ascii=False)[1:-1] for q in queries]
    text = f"""-- Generated by bench/chat/chatbench.py setup: public chat messages (the retrieval dev
-- set's queries) posted round-robin, each wrk thread from its own offset; no LLM configured.
-- Script argument "unique" (wrk ... -- unique) appends emoji made from a counter to each
-- message so that no answer comes from the server's answer cache.
-- Counts the answers' tiers and cache hits; done() prints one CHAT_STATS line.
local messages = {{
{chr(10).join("  " + esc(m) + "," for m in messages)}
}}
local path = "/v1/public/businesses/{slug}/chat"
local threads = {{}}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  i = id * 7
  unique = {str(unique).lower()} or args[1] == "unique"
  -- Each wrk run (warm-up, rounds) from its own random point of the 80^5 tags.
  math.randomseed(os.time() * 16 + id)
  tag_base = math.random(0, 3000000000)
  t1, t2, t3, t4, cached, other = 0, 0, 0, 0, 0, 0
end

-- Five emoji from U+1F600..U+1F64F as a base-80 number: a different answer-cache key each
-- time (the normalised text keeps them) while retrieval ignores them, so the answers' tiers
-- stay those of the plain messages.
local function tag(n)
  local s = ""
  for _ = 1, 5 do
    local k = n % 80
    s = s .. string.char(0xF0, 0x9F, 0x98 + math.floor(k / 64), 0x80 + k % 64)
    n = math.floor(n / 80)
  end
  return s
end

function request()
  i = i + 1
  local m = messages[(i % #messages) + 1]
  if unique then m = m .. " " .. tag(tag_base + i) end
  return wrk.format("POST", path, {{["Content-Type"] = "application/json"}},
                    '{{"message": "' .. m .. '", "stream": false}}')
end

function response(status, headers, body)
  if status ~= 200 then
    other = other + 1
    return
  end
  local t = body:match('"tier":(%d)')
  if t == "1" then t1 = t1 + 1 elseif t == "2" then t2 = t2 + 1
  elseif t == "3" then t3 = t3 + 1 elseif t == "4" then t4 = t4 + 1 else other = other + 1 end
  if body:find('"cached":true', 1, true) then cached = cached + 1 end
end

function done(summary, latency, requests)
  local s = {{t1 = 0, t2 = 0, t3 = 0, t4 = 0, cached = 0, other = 0}}
  for _, th in ipairs(threads) do
    for k, _ in pairs(s) do s[k] = s[k] + (th:get(k) or 0) end
  end
  io.write(string.format(
    'CHAT_STATS {{"tier1": %d, "tier2": %d, "tier3": %d, "tier4": %d, "cached": %d, "non_200_or_unparsed": %d}}\\n',
    s.t1, s.t2, s.t3, s.t4, s.cached, s.other))
end
"""
    with open(path, "w") as f:
        f.write(text)


def cmd_setup(args):
    api = Api(args.base)
    email = f"bench-{uuid.uuid4().hex[:10]}@example.com"
    reg = api.call("POST", "/v1/auth/register",
                   {"email": email, "password": PASSWORD, "name": "Bench Owner"}, expect=(201,))
    api.token = reg["access_token"]
    org = api.call("POST", "/v1/orgs", {"name": "Bench Chat"}, expect=(201,))
    dev = json.load(open(DEV_SET))

    def business(slug, name, description="Toko serba ada untuk benchmark"):
        return api.call("POST", f"/v1/orgs/{org['id']}/businesses", {
            "name": name, "slug": slug, "description": description, "category": "other",
            "language": "id", "currency": "IDR"}, expect=(201,))

    def import_faqs(bid, faqs, batch=2000):
        imported = 0
        for k in range(0, len(faqs), batch):
            r = api.call("POST", f"/v1/businesses/{bid}/faqs/import", faqs[k:k + batch])
            if r.get("rejected"):
                raise SystemExit(f"FAQ import rejected rows: {r['rejected'][:5]}")
            imported += r["imported"]
        return imported

    suffix = uuid.uuid4().hex[:6]
    # 1. The offline business: every dev-set FAQ (both dev businesses) + filler to --chunks.
    t0 = time.monotonic()
    big = business(f"bench-offline-{suffix}", "Toko Bench Offline")
    dev_faqs = [{"question": f["question"], "answer": f["answer"]}
                for b in dev["businesses"] for f in b["faqs"]]
    faqs = dev_faqs + filler_faqs(max(0, args.chunks - len(dev_faqs)), args.seed)
    n = import_faqs(big["id"], faqs)
    ingest_s = time.monotonic() - t0
    # The offline bot: no LLM (the default); the budget untouched.
    log(f"offline business {big['slug']}: {n} FAQs imported in {ingest_s:.1f}s")

    # 2. The LLM businesses: two FAQs each, every match routed to the LLM (direct = 1.0).
    llm_faqs = [{"question": "Jam berapa toko buka?",
                 "answer": "Toko buka setiap hari pukul 08.00 sampai 21.00 WIB."},
                {"question": "Berapa ongkos kirim ke Bandung?",
                 "answer": "Ongkir ke Bandung Rp 10.000, sampai 1 hari."}]
    lat = business(f"bench-llm-{suffix}", "Toko Bench LLM")
    import_faqs(lat["id"], llm_faqs)
    streams = []
    for k in range(args.stream_businesses + 1):  # the last one: the per-business cap check
        b = business(f"bench-stream-{suffix}-{k}", f"Toko Bench Stream {k}")
        import_faqs(b["id"], llm_faqs)
        streams.append({"id": b["id"], "slug": b["slug"]})
    queries = [q["query"] for q in dev["queries"]]
    write_lua(args.lua, big["slug"], queries)
    if args.lua_unique:
        write_lua(args.lua_unique, big["slug"], queries, unique=True)
    out = {"base": args.base, "token": api.token, "org_id": org["id"],
           "offline": {"id": big["id"], "slug": big["slug"], "chunks": n,
                       "dev_faqs": len(dev_faqs), "filler_faqs": n - len(dev_faqs),
                       "ingest_s": round(ingest_s, 2), "queries": len(queries),
                       "off_topic_queries": sum(q["expect"] is None for q in dev["queries"])},
           "llm": {"id": lat["id"], "slug": lat["slug"]},
           "streams": streams[:-1], "cap": streams[-1]}
    with open(args.out, "w") as f:
        json.dump(out, f, indent=2)
    # A sanity check of the offline business: one chat answered from the dev FAQ.
    r = Api(args.base).call("POST", f"/v1/public/businesses/{big['slug']}/chat",
                            {"message": queries[0]})
    log(f"check: '{queries[0]}' -> tier {r['tier']}, confidence {r['confidence']:.2f}, "
        f"fallback {r.get('fallback')}")


def configure_llm(api, bid, upstream_base, model):
    api.call("PUT", f"/v1/businesses/{bid}/bot", {
        "thresholds": {"direct": 1.0, "grounded": 0.3, "deep": 0.0},
        "llm": {"base_url": upstream_base, "model": model, "max_tokens": 256,
                "timeout_ms": 120000},
        "daily_budget": {"amount": 1_000_000_000, "currency": "IDR"},
        "handoff": {"enabled": False, "after_low_confidence_turns": 0}})


# --- the paced upstream --------------------------------------------------------------------------

def quiet_disconnects(loop, context):
    """asyncio exception handler: a peer that went away is expected here, not worth a trace."""
    if isinstance(context.get("exception"), (ConnectionError, asyncio.CancelledError)):
        return
    loop.default_exception_handler(context)


class PacedUpstream:
    """An OpenAI-compatible /chat/completions server on an asyncio loop in its own thread."""

    WORDS = ["Baik", " kak,", " toko", " buka", " setiap", " hari", " pukul", " 08.00", " sampai",
             " 21.00", " WIB.", " Terima", " kasih", " sudah", " bertanya", " ya."]

    def __init__(self):
        self.first_chunk_ns = {}   # nonce -> monotonic ns when the first content chunk was written
        self.requests = 0
        self.open_streams = 0
        self.max_open_streams = 0
        self.completed = 0
        self.aborted = 0
        self.loop = asyncio.new_event_loop()
        self.port = None
        ready = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        self.thread.start()
        ready.wait(10)

    def _run(self, ready):
        asyncio.set_event_loop(self.loop)
        self.loop.set_exception_handler(quiet_disconnects)

        async def start():
            srv = await asyncio.start_server(self._handle, "127.0.0.1", 0, backlog=4096,
                                             limit=1 << 20)
            self.port = srv.sockets[0].getsockname()[1]
            ready.set()
            return srv

        self.server = self.loop.run_until_complete(start())
        self.loop.run_forever()

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}/v1"

    @staticmethod
    def pacing(model):
        p = {"first": 50, "every": 20, "tokens": 5}
        for part in (model or "").split(":")[1:]:
            k, _, v = part.partition("=")
            if k in p and v:
                p[k] = int(v)
        return p

    async def _read_request(self, reader):
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = b""
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunk = await reader.readexactly(size + 2)
                if size == 0:
                    break
                body += chunk[:-2]
        else:
            n = int(headers.get("content-length", "0"))
            body = await reader.readexactly(n) if n else b""
        return method, path, headers, body

    async def _handle(self, reader, writer):
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while True:
                try:
                    method, path, headers, body = await self._read_request(reader)
                except (asyncio.IncompleteReadError, ConnectionError, ValueError):
                    return
                keep = headers.get("connection", "").lower() != "close"
                if method != "POST" or not path.rstrip("/").endswith("/chat/completions"):
                    msg = b'{"error":{"message":"not found","code":404}}'
                    writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
                                 b"Content-Length: %d\r\n\r\n%s" % (len(msg), msg))
                    await writer.drain()
                    continue
                self.requests += 1
                t_request = time.monotonic_ns()
                req = json.loads(body or b"{}")
                m = NONCE_RE.search(body)
                nonce = m.group(1).decode() if m else None
                p = self.pacing(req.get("model"))
                words = [self.WORDS[k % len(self.WORDS)] for k in range(p["tokens"])]
                if not req.get("stream"):
                    await asyncio.sleep(p["first"] / 1e3)
                    payload = json.dumps({
                        "id": "cmpl-bench", "object": "chat.completion", "created": int(time.time()),
                        "model": req.get("model"),
                        "choices": [{"index": 0, "message": {"role": "assistant",
                                                             "content": "".join(words)},
                                     "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 100, "completion_tokens": len(words),
                                  "total_tokens": 100 + len(words)}}).encode()
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                 b"Content-Length: %d\r\n\r\n%s" % (len(payload), payload))
                    await writer.drain()
                else:
                    await self._stream(writer, req.get("model"), p, words, nonce, t_request)
                if not keep:
                    return
        except (ConnectionError, asyncio.CancelledError):
            return
        finally:
            try:
                writer.close()
            except Exception:  # noqa: BLE001 - the peer may be gone already
                pass

    async def _stream(self, writer, model, p, words, nonce, t_request):
        def frame(obj):
            data = b"data: " + (obj if isinstance(obj, bytes) else json.dumps(obj).encode()) + b"\n\n"
            return b"%x\r\n%s\r\n" % (len(data), data)

        def chunk(delta, finish=None, usage=None):
            o = {"id": "chatcmpl-bench", "object": "chat.completion.chunk", "created": 0,
                 "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            if usage:
                o["usage"] = usage
            return frame(o)

        self.open_streams += 1
        self.max_open_streams = max(self.max_open_streams, self.open_streams)
        ok = False
        try:
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                         b"Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n"
                         + chunk({"role": "assistant", "content": ""}))
            await writer.drain()
            start = t_request / 1e9
            for k, w in enumerate(words):
                due = start + (p["first"] + k * p["every"]) / 1e3
                delay = due - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                data = chunk({"content": w})
                if k == 0:
                    t = time.monotonic_ns()
                    if nonce:
                        self.first_chunk_ns[nonce] = t
                writer.write(data)
                await writer.drain()
            writer.write(chunk({}, "stop", {"prompt_tokens": 100, "completion_tokens": len(words),
                                            "total_tokens": 100 + len(words)})
                         + frame(b"[DONE]") + b"0\r\n\r\n")
            await writer.drain()
            ok = True
        finally:
            self.open_streams -= 1
            if ok:
                self.completed += 1
            else:
                self.aborted += 1


# --- a raw-socket SSE client (for the latency samples) -------------------------------------------

class SseClient:
    """Posts one request over a fresh socket and reads the response incrementally: HTTP head,
    chunked or close-delimited body, SSE events. Records the monotonic time of the recv() that
    brought each event."""

    def __init__(self, host, port):
        self.host, self.port = host, port

    def run(self, path, body, first_only_marker=None, timeout=30):
        s = socket.create_connection((self.host, self.port), timeout=timeout)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        payload = json.dumps(body).encode()
        s.sendall((f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                   f"Content-Type: application/json\r\nAccept: text/event-stream\r\n"
                   f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n").encode()
                  + payload)
        raw, head, status, chunked = b"", None, None, False
        body_buf, events = b"", []
        text_buf = b""
        try:
            while True:
                data = s.recv(65536)
                t = time.monotonic_ns()
                if not data:
                    break
                if head is None:
                    raw += data
                    i = raw.find(b"\r\n\r\n")
                    if i < 0:
                        continue
                    head, data = raw[:i].decode("latin-1"), raw[i + 4:]
                    status = int(head.split(" ", 2)[1])
                    chunked = "transfer-encoding: chunked" in head.lower()
                body_buf += data
                if chunked:
                    while True:
                        j = body_buf.find(b"\r\n")
                        if j < 0:
                            break
                        size = int(body_buf[:j].split(b";")[0], 16)
                        if len(body_buf) < j + 2 + size + 2:
                            break
                        text_buf += body_buf[j + 2:j + 2 + size]
                        body_buf = body_buf[j + 2 + size + 2:]
                        if size == 0:
                            break
                else:
                    text_buf += body_buf
                    body_buf = b""
                while True:
                    k = text_buf.find(b"\n\n")
                    if k < 0:
                        break
                    block, text_buf = text_buf[:k].decode(), text_buf[k + 2:]
                    ev, lines = None, []
                    for line in block.split("\n"):
                        if line.startswith("event:"):
                            ev = line[6:].strip()
                        elif line.startswith("data:"):
                            lines.append(line[5:].lstrip(" "))
                    events.append((t, ev, "\n".join(lines)))
        finally:
            s.close()
        return status, head, events


def cmd_latency(args):
    setup = json.load(open(args.setup))
    api = Api(args.base, setup["token"])
    up = PacedUpstream()
    model = f"paced:first={args.first_ms}:every={args.every_ms}:tokens={args.tokens}"
    configure_llm(api, setup["llm"]["id"], up.base_url, model)
    host, port = args.base.split("//", 1)[1].rsplit(":", 1)
    mh = SseClient(host, int(port))
    direct = SseClient("127.0.0.1", up.port)
    chat_path = f"/v1/public/businesses/{setup['llm']['slug']}/chat"
    questions = ["jam berapa toko buka kak", "ongkir ke bandung berapa", "toko buka jam berapa",
                 "berapa ongkos kirim ke bandung ya"]
    added, reference, problems = [], [], []
    tiers, fallbacks = {}, 0
    total = args.samples + args.warmup

    def one_server(k):
        nonce = uuid.uuid4().hex[:12]
        # A fresh question each time (the nonce defeats the answer cache).
        msg = f"{questions[k % len(questions)]} bnc{nonce}"
        status, head, events = mh.run(chat_path, {"message": msg, "stream": True})
        if status != 200:
            problems.append(f"server answered {status}: {head!r} {events[:1]}")
            return None
        names = [e for _, e, _ in events]
        done = json.loads(events[-1][2]) if names and names[-1] == "done" else None
        if done is None:
            problems.append(f"stream without done: {names}")
            return None
        tiers[done["tier"]] = tiers.get(done["tier"], 0) + 1
        if done.get("fallback") or done["tier"] not in (2, 3):
            problems.append(f"not an LLM answer: {done}")
            return None
        first = next((t for t, e, d in events if e == "delta"), None)
        t_up = up.first_chunk_ns.pop(nonce, None)
        first_text = next((json.loads(d)["text"] for _, e, d in events if e == "delta"), "")
        if first is None or t_up is None:
            problems.append(f"no delta ({first}) or no upstream first chunk ({t_up})")
            return None
        if not PacedUpstream.WORDS[0].startswith(first_text.strip() or "?"):
            problems.append(f"first delta {first_text!r} is not the upstream's first token")
        return first - t_up

    def one_direct(k):
        nonce = uuid.uuid4().hex[:12]
        body = {"model": model, "stream": True,
                "messages": [{"role": "user", "content": f"{questions[k % len(questions)]} bnc{nonce}"}]}
        status, head, events = direct.run("/v1/chat/completions", body)
        if status != 200:
            problems.append(f"upstream answered {status}")
            return None
        first = None
        for t, _, d in events:
            if d and d != "[DONE]" and json.loads(d)["choices"][0]["delta"].get("content"):
                first = t
                break
        t_up = up.first_chunk_ns.pop(nonce, None)
        if first is None or t_up is None:
            problems.append("direct: no content chunk")
            return None
        return first - t_up

    log(f"latency: {args.warmup} warm-up + {args.samples} samples per side, alternating; "
        f"upstream first token after {args.first_ms} ms, then every {args.every_ms} ms, "
        f"{args.tokens} tokens")
    t0 = time.monotonic()
    for k in range(total):
        order = (one_direct, one_server) if k % 2 == 0 else (one_server, one_direct)
        for fn in order:
            v = fn(k)
            if v is not None and k >= args.warmup:
                (added if fn is one_server else reference).append(v)
    elapsed = time.monotonic() - t0
    res = {"params": {"samples": args.samples, "warmup": args.warmup,
                      "upstream_first_ms": args.first_ms, "upstream_every_ms": args.every_ms,
                      "upstream_tokens": args.tokens,
                      "thresholds": {"direct": 1.0, "grounded": 0.3, "deep": 0.0},
                      "order": "alternating: direct/server, server/direct, ..."},
           "milkyhoop_added": summary_ms(added),
           "reference_direct": summary_ms(reference),
           "tiers": {str(k): v for k, v in sorted(tiers.items())},
           "upstream_requests": up.requests,
           "problems": problems[:20], "problem_count": len(problems),
           "elapsed_s": round(elapsed, 1)}
    a, r = res["milkyhoop_added"], res["reference_direct"]
    if a and r:
        res["added_minus_reference_p50_ms"] = round(a["p50_ms"] - r["p50_ms"], 4)
        res["ratio_p50"] = round(a["p50_ms"] / r["p50_ms"], 2) if r["p50_ms"] else None
    with open(args.out, "w") as f:
        json.dump(res, f, indent=2)
    log(f"latency: {len(added)} server samples, {len(reference)} direct, "
        f"{len(problems)} problems, {elapsed:.0f}s")
    if problems:
        for p in problems[:5]:
            log(f"  problem: {p}")


# --- many concurrent streams ---------------------------------------------------------------------

async def hold_idle_connections(host, port, n, connect_parallel):
    """n keep-alive connections, each after one GET /healthz; returns (sockets, failures)."""
    sem = asyncio.Semaphore(connect_parallel)
    conns, failures = [], []

    async def one():
        async with sem:
            try:
                r, w = await asyncio.open_connection(host, port)
                w.write(f"GET /healthz HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
                await w.drain()
                head = await asyncio.wait_for(r.readuntil(b"\r\n\r\n"), 30)
                m = re.search(rb"content-length:\s*(\d+)", head, re.I)
                await r.readexactly(int(m.group(1)) if m else 0)
                if b" 200 " not in head.split(b"\r\n", 1)[0]:
                    failures.append(head.split(b"\r\n", 1)[0].decode())
                conns.append(w)
            except Exception as e:  # noqa: BLE001 - counted and reported
                failures.append(repr(e))

    await asyncio.gather(*(one() for _ in range(n)))
    return conns, failures


class StreamHolder:
    def __init__(self, host, port):
        self.host, self.port = host, port
        self.open = 0          # received meta and a first delta, not yet finished
        self.statuses = {}
        self.errors = []
        self.finished_early = 0
        self.writers = []
        self.first_delta_ms = []

    async def one(self, slug, msg, sem, release):
        async with sem:
            t0 = time.monotonic()
            try:
                r, w = await asyncio.open_connection(self.host, self.port, limit=1 << 20)
            except Exception as e:  # noqa: BLE001
                self.errors.append(f"connect: {e!r}")
                return
            self.writers.append(w)
            payload = json.dumps({"message": msg, "stream": True}).encode()
            w.write((f"POST /v1/public/businesses/{slug}/chat HTTP/1.1\r\nHost: {self.host}\r\n"
                     f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
                     f"\r\n").encode() + payload)
            try:
                await w.drain()
                head = await asyncio.wait_for(r.readuntil(b"\r\n\r\n"), 60)
                status = int(head.split(b" ", 2)[1])
                self.statuses[status] = self.statuses.get(status, 0) + 1
                if status != 200:
                    if len(self.errors) < 20:
                        self.errors.append(f"{slug}: {status} {(await r.read(300))[:300]!r}")
                    w.close()
                    return
                buf = b""
                while b"event: delta" not in buf:
                    data = await asyncio.wait_for(r.read(65536), 60)
                    if not data:
                        self.errors.append("closed before the first delta")
                        return
                    buf += data
                self.first_delta_ms.append((time.monotonic() - t0) * 1e3)
            except Exception as e:  # noqa: BLE001
                self.errors.append(f"{slug}: {e!r}")
                return
        # Open: keep reading (the server must not block on us) until released.
        self.open += 1
        try:
            while not release.is_set():
                data = await r.read(65536)
                if not data or b"event: done" in data:
                    if not release.is_set():
                        self.finished_early += 1
                    break
        except Exception:  # noqa: BLE001 - the connection is closed on release
            pass
        finally:
            self.open -= 1


def parse_base(base):
    host, port = base.split("//", 1)[1].rsplit(":", 1)
    return host, int(port)


async def idle_main(args):
    """Reference for the streams: idle keep-alive connections on a freshly started server."""
    host, port = parse_base(args.base)
    nofile = raise_nofile()
    await asyncio.sleep(1)
    before = rss_kib(args.pid)
    conns, failures = await hold_idle_connections(host, port, args.connections,
                                                  args.connect_parallel)
    await asyncio.sleep(1)
    held = rss_kib(args.pid)
    for w in conns:
        w.close()
    await asyncio.sleep(1)
    res = {"connections": args.connections, "opened": len(conns), "failures": len(failures),
           "failure_examples": failures[:5], "nofile": nofile,
           "rss_kib_before": before, "rss_kib_held": held, "rss_kib_after_close": rss_kib(args.pid),
           "kib_per_connection": round((held - before) / max(1, len(conns)), 2)}
    log(f"idle keep-alive connections: {len(conns)} held, RSS {before} -> {held} KiB, "
        f"{res['kib_per_connection']} KiB each")
    with open(args.out, "w") as f:
        json.dump(res, f, indent=2)


async def stream_round(args, host, port, slugs, up):
    pid = args.pid
    base = rss_kib(pid)
    threads_before = threads_of(pid)
    holder = StreamHolder(host, port)
    release = asyncio.Event()
    sem = asyncio.Semaphore(args.connect_parallel)
    t0 = time.monotonic()
    tasks = [asyncio.create_task(holder.one(slugs[k % len(slugs)],
                                            f"jam berapa toko buka kak bnc{uuid.uuid4().hex[:12]}",
                                            sem, release))
             for k in range(args.streams)]
    peak_open, peak_rss = 0, base
    deadline = t0 + args.ramp_timeout
    while time.monotonic() < deadline:
        await asyncio.sleep(0.25)
        peak_open = max(peak_open, holder.open)
        peak_rss = max(peak_rss, rss_kib(pid))
        settled = holder.open + sum(v for k, v in holder.statuses.items() if k != 200) \
            + len(holder.errors)
        if settled >= args.streams:
            break
    ramp_s = time.monotonic() - t0
    open_at_start = holder.open
    log(f"streams: {holder.open} open after {ramp_s:.1f}s; holding {args.hold}s")
    rss_samples = []
    hold_end = time.monotonic() + args.hold
    min_open = holder.open
    while time.monotonic() < hold_end:
        await asyncio.sleep(0.5)
        rss_samples.append(rss_kib(pid))
        min_open = min(min_open, holder.open)
        peak_open = max(peak_open, holder.open)
    open_at_end = holder.open
    held = int(statistics.median(rss_samples)) if rss_samples else rss_kib(pid)
    peak_rss = max([peak_rss] + rss_samples)
    threads_held = threads_of(pid)
    upstream_open_held = up.open_streams
    release.set()
    for w in holder.writers:
        w.close()
    await asyncio.gather(*tasks, return_exceptions=True)
    # The server should cancel its upstream requests when the clients go away.
    t_close = time.monotonic()
    while up.open_streams > 0 and time.monotonic() - t_close < args.cancel_wait:
        await asyncio.sleep(0.1)
    upstream_left = up.open_streams
    cancel_s = time.monotonic() - t_close
    await asyncio.sleep(1)
    r = {
        "attempted": args.streams, "open_at_hold_start": open_at_start,
        "open_min_during_hold": min_open, "open_at_hold_end": open_at_end, "peak_open": peak_open,
        "statuses": {str(k): v for k, v in sorted(holder.statuses.items())},
        "errors": len(holder.errors), "error_examples": holder.errors[:5],
        "finished_before_release": holder.finished_early,
        "ramp_s": round(ramp_s, 1),
        "time_to_first_delta": summary_ms([v * 1e6 for v in holder.first_delta_ms]),
        "rss_kib_before": base, "rss_kib_held_median": held, "rss_kib_peak": peak_rss,
        "rss_kib_after_close": rss_kib(pid),
        "kib_per_stream": round((held - base) / max(1, open_at_end), 2),
        "threads_before": threads_before, "threads_held": threads_held,
        "upstream_streams_open_while_held": upstream_open_held,
        "upstream_streams_left_open_after_clients_closed": upstream_left,
        "upstream_all_closed_after_s": round(cancel_s, 1)}
    log(f"streams: {open_at_end} open at the end of the hold, statuses {r['statuses']}, "
        f"{r['errors']} errors; RSS {base} -> {held} KiB ({r['kib_per_stream']} KiB/stream); "
        f"upstream streams left {cancel_s:.1f}s after the clients closed: {upstream_left}")
    return r


async def streams_main(args):
    setup = json.load(open(args.setup))
    host, port = parse_base(args.base)
    nofile = raise_nofile()
    if nofile < 2 * args.streams + 100:
        log(f"warning: RLIMIT_NOFILE {nofile} is low for {args.streams} streams")
    res = {"params": {"streams": args.streams, "businesses": len(setup["streams"]),
                      "hold_s": args.hold, "rounds": args.rounds,
                      "connect_parallel": args.connect_parallel,
                      "upstream_first_token_ms": 100,
                      "upstream_token_every_ms": args.token_every_ms, "nofile": nofile}}
    up = PacedUpstream()
    tokens = int((args.hold + args.ramp_timeout + 60) * 1000 / args.token_every_ms)
    model = f"paced:first=100:every={args.token_every_ms}:tokens={tokens}"
    api = Api(args.base, setup["token"])
    for b in setup["streams"] + [setup["cap"]]:
        configure_llm(api, b["id"], up.base_url, model)
    await asyncio.sleep(1)
    slugs = [b["slug"] for b in setup["streams"]]
    res["rounds"] = []
    for k in range(args.rounds):
        log(f"streams round {k + 1}/{args.rounds}: {args.streams} streams over {len(slugs)} "
            f"businesses")
        res["rounds"].append(await stream_round(args, host, port, slugs, up))
        await asyncio.sleep(1)

    # The per-business cap (ChatRouteOptions max_streams_per_business, 100 by default).
    if args.cap_probe > 0:
        cap = StreamHolder(host, port)
        release_cap = asyncio.Event()
        sem = asyncio.Semaphore(args.connect_parallel)
        tasks = [asyncio.create_task(cap.one(setup["cap"]["slug"],
                                             f"jam buka kak bnc{uuid.uuid4().hex[:12]}",
                                             sem, release_cap)) for _ in range(args.cap_probe)]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and cap.open + len(cap.errors) + sum(
                v for k, v in cap.statuses.items() if k != 200) < args.cap_probe:
            await asyncio.sleep(0.1)
        res["per_business_cap_probe"] = {
            "attempted": args.cap_probe, "open": cap.open,
            "statuses": {str(k): v for k, v in sorted(cap.statuses.items())},
            "examples": cap.errors[:2]}
        log(f"cap probe: {args.cap_probe} streams on one business -> {cap.open} open, statuses "
            f"{cap.statuses}")
        release_cap.set()
        for w in cap.writers:
            w.close()
        await asyncio.gather(*tasks, return_exceptions=True)
        t_close = time.monotonic()
        while up.open_streams > 0 and time.monotonic() - t_close < args.cancel_wait:
            await asyncio.sleep(0.1)
    res["upstream"] = {"requests": up.requests, "max_open_streams": up.max_open_streams,
                       "completed": up.completed, "aborted": up.aborted}
    with open(args.out, "w") as f:
        json.dump(res, f, indent=2)


def cmd_idle(args):
    async def run():
        asyncio.get_running_loop().set_exception_handler(quiet_disconnects)
        await idle_main(args)
    asyncio.run(run())


def cmd_streams(args):
    async def run():
        asyncio.get_running_loop().set_exception_handler(quiet_disconnects)
        await streams_main(args)
    asyncio.run(run())


def scan_log(path):
    """Access-log lines with a 5xx status, and error/fatal log lines, of one server log."""
    out = {"lines": 0, "status_5xx": 0, "status_counts": {}, "errors": 0, "warnings": 0,
           "examples": []}
    try:
        f = open(path, errors="replace")
    except OSError:
        return out
    with f:
        for line in f:
            out["lines"] += 1
            try:
                o = json.loads(line)
            except ValueError:
                if line.strip():
                    out["errors"] += 1  # not JSON: a crash message or a sanitizer report
                    if len(out["examples"]) < 10:
                        out["examples"].append(line.strip()[:400])
                continue
            if not isinstance(o, dict):
                continue
            st = o.get("status")
            if o.get("msg") == "request" and isinstance(st, int):
                out["status_counts"][str(st)] = out["status_counts"].get(str(st), 0) + 1
                if st >= 500:
                    out["status_5xx"] += 1
                    if len(out["examples"]) < 10:
                        out["examples"].append(line.strip()[:400])
            level = o.get("level")
            if level in ("error", "fatal", "critical"):
                out["errors"] += 1
                if len(out["examples"]) < 10:
                    out["examples"].append(line.strip()[:400])
            elif level in ("warn", "warning"):
                out["warnings"] += 1
    return out


def cmd_logscan(args):
    res = {os.path.basename(p): scan_log(p) for p in args.logs}
    with open(args.out, "w") as f:
        json.dump(res, f, indent=2)


def _chat_stats(path):
    try:
        for line in open(path):
            if line.startswith("CHAT_STATS "):
                return json.loads(line[len("CHAT_STATS "):])
    except (OSError, ValueError):
        pass
    return None


def cmd_report(args):
    """Merges the phases' JSON into the result file and prints the summary."""
    meta = json.load(open(args.meta))
    offline = json.load(open(args.offline))
    latency = json.load(open(args.latency)) if os.path.exists(args.latency) else None
    idle = json.load(open(args.idle)) if os.path.exists(args.idle) else None
    streams = json.load(open(args.streams)) if os.path.exists(args.streams) else None
    logs = json.load(open(args.logs)) if os.path.exists(args.logs) else {}
    setup = json.load(open(args.setup))
    setup.pop("token", None)
    for target, pattern in (("chat", args.chat_runs), ("chat-nocache", args.nocache_runs)):
        stats = [_chat_stats(p) for p in sorted(glob.glob(pattern))]
        offline["targets"].get(target, {})["answers_by_tier_per_run"] = stats
    # Server CPU time per request (user + system of the milkyhoop process over each wrk run):
    # less sensitive to the machine's other load than requests/s.
    for target, runs in offline.get("runs", {}).items():
        cpus = []
        for k, run in enumerate(runs, 1):
            try:
                ticks = int(open(os.path.join(args.runs_dir, target, f"{k}.cpu")).read())
            except (OSError, ValueError):
                continue
            if run.get("requests"):
                cpus.append(ticks * 1000.0 / args.clk_tck / run["requests"])
        if cpus:
            tt = offline["targets"][target]
            tt["server_cpu_ms_per_request_all"] = [round(c, 4) for c in cpus]
            tt["server_cpu_ms_per_request_median"] = round(statistics.median(cpus), 4)
            # What two cores doing nothing else could serve at that cost (an estimate).
            tt["implied_req_per_s_on_2_dedicated_cores"] = round(
                2000.0 / statistics.median(cpus))
    t = offline["targets"]
    goals = {}
    chat_rps = t.get("chat", {}).get("requests_per_sec_median")
    goals["offline_chats_per_s_ge_2000"] = {"value": chat_rps,
                                            "met": bool(chat_rps and chat_rps >= 2000)}
    nocache_rps = t.get("chat-nocache", {}).get("requests_per_sec_median")
    goals["offline_chats_per_s_ge_2000_without_answer_cache"] = {
        "value": nocache_rps, "met": bool(nocache_rps and nocache_rps >= 2000)}
    if latency and latency.get("milkyhoop_added"):
        v = latency["milkyhoop_added"]["p50_ms"]
        goals["added_first_token_p50_lt_1ms"] = {"value_ms": v, "met": v < 1.0}
    if streams and streams.get("rounds"):
        r0 = streams["rounds"][0]
        goals["concurrent_streams_2000"] = {"value": r0["open_at_hold_end"],
                                            "met": r0["open_at_hold_end"] >= 2000}
    result = {"benchmark": "chat", **meta, "setup": setup, "goals": goals,
              "offline": offline, "first_token_latency": latency,
              "idle_connections_reference": idle, "concurrent_streams": streams,
              "server_logs": logs}
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")

    def ms(v):
        return "-" if v is None else (f"{v * 1e3:.0f}us" if v < 1 else f"{v:.2f}ms")
    cpu_rows = [(n, v) for n, v in t.items() if v.get("server_cpu_ms_per_request_median")]
    if cpu_rows:
        print()
        print("server CPU per request (user+system of milkyhoop over each run, median); what 2 "
              "cores doing nothing else would serve at that cost:")
        for n, v in cpu_rows:
            print(f"  {n:<14}{v['server_cpu_ms_per_request_median'] * 1e3:>8.0f} us"
                  f"   ~{v['implied_req_per_s_on_2_dedicated_cores']:,} req/s")
    print()
    if latency and latency.get("milkyhoop_added") and latency.get("reference_direct"):
        a, r = latency["milkyhoop_added"], latency["reference_direct"]
        print(f"== first-token latency: upstream first chunk -> client ({a['n']} + {r['n']} "
              f"samples, alternating)")
        print(f"{'path':<34}{'p50':>10}{'p90':>10}{'p99':>10}{'max':>10}")
        print(f"{'through milkyhoop (added)':<34}{ms(a['p50_ms']):>10}{ms(a['p90_ms']):>10}"
              f"{ms(a['p99_ms']):>10}{ms(a['max_ms']):>10}")
        print(f"{'reference: upstream read directly':<34}{ms(r['p50_ms']):>10}{ms(r['p90_ms']):>10}"
              f"{ms(r['p99_ms']):>10}{ms(r['max_ms']):>10}")
        print(f"tiers of the answers: {latency['tiers']}; problems: {latency['problem_count']}")
    if idle or streams:
        print()
        print("== concurrent SSE streams (fresh server each)")
        if idle:
            print(f"reference: {idle['opened']} idle keep-alive connections: RSS "
                  f"{idle['rss_kib_before'] / 1024:.1f} -> {idle['rss_kib_held'] / 1024:.1f} MiB, "
                  f"{idle['kib_per_connection']:.1f} KiB per connection")
        for k, r in enumerate((streams or {}).get("rounds", [])):
            print(f"round {k + 1}: {r['open_at_hold_end']}/{r['attempted']} streams open "
                  f"(statuses {r['statuses']}, errors {r['errors']}); RSS "
                  f"{r['rss_kib_before'] / 1024:.1f} -> {r['rss_kib_held_median'] / 1024:.1f} MiB, "
                  f"{r['kib_per_stream']:.1f} KiB per stream; threads {r['threads_before']} -> "
                  f"{r['threads_held']}; upstream streams left open after the clients closed: "
                  f"{r['upstream_streams_left_open_after_clients_closed']}")
        cap = (streams or {}).get("per_business_cap_probe")
        if cap:
            print(f"per-business cap probe: {cap['attempted']} streams on one business -> "
                  f"{cap['open']} open, statuses {cap['statuses']}")
    print()
    print("== goals")
    for k, g in goals.items():
        v = g.get("value", g.get("value_ms"))
        print(f"  {k}: {v if not isinstance(v, float) else round(v, 3)} -> "
              f"{'met' if g['met'] else 'NOT met'}")
    bad = {n: l for n, l in logs.items() if l.get("status_5xx") or l.get("errors")}
    if bad:
        print()
        for n, l in bad.items():
            print(f"WARNING: {n}: {l['status_5xx']} responses 5xx, {l['errors']} error lines; "
                  f"e.g. {l['examples'][:2]}")


def cmd_upstream(args):
    up = PacedUpstream()
    print(f"paced upstream on {up.base_url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("setup")
    s.add_argument("--base", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--lua", required=True)
    s.add_argument("--lua-unique", help="also write the cache-defeating variant here")
    s.add_argument("--chunks", type=int, default=10000)
    s.add_argument("--stream-businesses", type=int, default=25)
    s.add_argument("--seed", type=int, default=20240601)
    s.set_defaults(func=cmd_setup)
    s = sub.add_parser("latency")
    s.add_argument("--base", required=True)
    s.add_argument("--setup", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--samples", type=int, default=200)
    s.add_argument("--warmup", type=int, default=10)
    s.add_argument("--first-ms", type=int, default=50)
    s.add_argument("--every-ms", type=int, default=20)
    s.add_argument("--tokens", type=int, default=4)
    s.set_defaults(func=cmd_latency)
    s = sub.add_parser("idle")
    s.add_argument("--base", required=True)
    s.add_argument("--pid", type=int, required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--connections", type=int, default=2000)
    s.add_argument("--connect-parallel", type=int, default=200)
    s.set_defaults(func=cmd_idle)
    s = sub.add_parser("streams")
    s.add_argument("--base", required=True)
    s.add_argument("--pid", type=int, required=True)
    s.add_argument("--setup", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--streams", type=int, default=2000)
    s.add_argument("--rounds", type=int, default=2)
    s.add_argument("--hold", type=float, default=10)
    s.add_argument("--token-every-ms", type=int, default=1000)
    s.add_argument("--connect-parallel", type=int, default=200)
    s.add_argument("--ramp-timeout", type=float, default=90)
    s.add_argument("--cancel-wait", type=float, default=15)
    s.add_argument("--cap-probe", type=int, default=110)
    s.set_defaults(func=cmd_streams)
    s = sub.add_parser("logscan")
    s.add_argument("--out", required=True)
    s.add_argument("logs", nargs="+")
    s.set_defaults(func=cmd_logscan)
    s = sub.add_parser("report")
    for k in ("meta", "offline", "latency", "idle", "streams", "logs", "setup", "out",
              "chat-runs", "nocache-runs", "runs-dir"):
        s.add_argument("--" + k, required=True)
    s.add_argument("--clk-tck", type=int, default=100)
    s.set_defaults(func=cmd_report)
    s = sub.add_parser("upstream")
    s.set_defaults(func=cmd_upstream)
    args = p.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
