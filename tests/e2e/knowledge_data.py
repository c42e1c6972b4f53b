"""Test data builders for the knowledge tests: minimal real PDF files and the eval set loader."""
import json
import os
import random
import zlib

EVAL_DIR = os.environ.get("MILKYHOOP_EVAL_DIR",
                          os.path.join(os.path.dirname(__file__), "..", "eval"))


def load_eval(name):
    path = os.path.join(EVAL_DIR, name)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def make_pdf(pages, compress=True, image_bytes=0):
    """A valid PDF 1.4 with one Helvetica text page per item of `pages` (lists of lines).

    `image_bytes` > 0 draws a grey-scale photo of about that many (incompressible) bytes on the
    first page, the way a real brochure's size is mostly its pictures.
    """
    objects = []

    def add(body):
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    image = None
    if image_bytes:
        side = int(image_bytes ** 0.5)
        pixels = random.Random(3).randbytes(side * side)
        image = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray"
                    b" /BitsPerComponent 8 /Length %d >>\nstream\n" % (side, side, len(pixels))
                    + pixels + b"\nendstream")
    pages_id = len(objects) + 1 + 2 * len(pages)  # after every page and its content stream
    page_ids = []
    for n, lines in enumerate(pages):
        with_image = image is not None and n == 0
        text = b"q 200 0 0 200 50 50 cm /Im1 Do Q " if with_image else b""
        text += b"BT /F1 11 Tf 50 780 Td 14 TL "
        for line in lines:
            escaped = line.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(") \
                .replace(b")", b"\\)")
            text += b"(" + escaped + b") Tj T* "
        text += b"ET"
        data = zlib.compress(text) if compress else text
        flt = b" /Filter /FlateDecode" if compress else b""
        content = add(b"<< /Length %d%s >>\nstream\n" % (len(data), flt) + data + b"\nendstream")
        page_ids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
                            b"/Resources << /Font << /F1 %d 0 R >>%s >> /Contents %d 0 R >>"
                            % (pages_id, font,
                               b" /XObject << /Im1 %d 0 R >>" % image if with_image else b"",
                               content)))
    kids = b" ".join(b"%d 0 R" % p for p in page_ids)
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, catalog, xref)
    return bytes(out)


def retrieval_figures(queries, ids, search):
    """Top-1 accuracy and confidence figures of an eval set's queries. `ids` maps a business slug
    to (business id, {our faq id -> eval faq id}); `search(business_id, query)` returns the search
    response body. Misses are listed for printing."""
    answerable = correct = above = off_topic = off_topic_low = 0
    misses = []
    mode = None
    for q in queries:
        bid, faq_ids = ids[q["business"]]
        res = search(bid, q["query"])
        mode = res.get("mode")
        top = res["results"][0] if res["results"] else None
        got = faq_ids.get(top["source_id"]) if top and top["source_type"] == "faq" else None
        if q["expect"] is None:
            off_topic += 1
            off_topic_low += res["confidence"] < 0.30
            if res["confidence"] >= 0.30:
                misses.append(f"off-topic {q['query']!r} scored {res['confidence']:.2f}")
        else:
            answerable += 1
            correct += got == q["expect"]
            above += res["confidence"] >= 0.30
            if got != q["expect"] or res["confidence"] < 0.30:
                misses.append(f"{q['query']!r}: expected {q['expect']}, got {got} "
                              f"({res['confidence']:.2f})")
    return {"mode": mode, "top1": correct / answerable, "correct": correct,
            "answerable": answerable, "above": above / answerable, "off_topic": off_topic,
            "off_topic_low": off_topic_low, "misses": misses}
