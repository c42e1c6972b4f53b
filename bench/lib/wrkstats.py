#!/usr/bin/env python3
"""Shared benchmark helpers (Python 3 standard library only).

  wrkstats.py parse FILE...
      Parse wrk --latency outputs; print one JSON object per file.

  wrkstats.py report --out FILE.json [--meta META.json] [--baseline NAME] TARGET=GLOB...
      Parse every wrk output matching each TARGET's glob, print a table of the medians
      (requests/s, p50, p99, errors) and the ratio of each target's median req/s to the
      baseline's (default: the first target), and write everything as JSON to FILE.json.
      META.json (optional) is merged into the JSON under "meta" and printed above the table.

Used by bench/<name>/run.sh (see bench/run.sh).
"""
import argparse
import glob
import json
import re
import statistics
import sys

_TIME_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}
_SI = {"": 1, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9}


def _ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not m:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(m.group(1)) * _TIME_UNITS[m.group(2)]


def parse_wrk(text):
    """Return a dict with requests_per_sec, latency percentiles (ms), request and error counts."""
    out = {"requests_per_sec": None, "latency_ms": {}, "requests": None, "duration_s": None,
           "socket_errors": {}, "non_2xx_3xx": 0}
    m = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    if m:
        out["requests_per_sec"] = float(m.group(1))
    m = re.search(r"^\s*Latency\s+([\d.]+\w+)\s+([\d.]+\w+)\s+([\d.]+\w+)", text, re.M)
    if m:
        out["latency_ms"]["avg"] = _ms(m.group(1))
        out["latency_ms"]["stdev"] = _ms(m.group(2))
        out["latency_ms"]["max"] = _ms(m.group(3))
    dist = re.search(r"Latency Distribution\s*\n((?:\s+[\d.]+%\s+[\d.]+\w+\s*\n)+)", text)
    if dist:
        for pct, val in re.findall(r"([\d.]+)%\s+([\d.]+\w+)", dist.group(1)):
            out["latency_ms"]["p%g" % float(pct)] = _ms(val)
    m = re.search(r"^\s*(\d+) requests in ([\d.]+\w+)", text, re.M)
    if m:
        out["requests"] = int(m.group(1))
        out["duration_s"] = _ms(m.group(2)) / 1e3
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        out["socket_errors"] = dict(zip(("connect", "read", "write", "timeout"),
                                        map(int, m.groups())))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        out["non_2xx_3xx"] = int(m.group(1))
    if out["requests_per_sec"] is None or "p50" not in out["latency_ms"]:
        raise ValueError("no Requests/sec or latency distribution in wrk output "
                         "(was wrk run with --latency?)")
    return out


def _errors(run):
    return run["non_2xx_3xx"] + sum(run["socket_errors"].values())


def _median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(targets, baseline=None):
    """targets: {name: [parsed runs]} in display order -> summary dict."""
    names = list(targets)
    baseline = baseline or names[0]
    summary = {}
    for name, runs in targets.items():
        summary[name] = {
            "runs": len(runs),
            "requests_per_sec_median": _median([r["requests_per_sec"] for r in runs]),
            "p50_ms_median": _median([r["latency_ms"].get("p50") for r in runs]),
            "p99_ms_median": _median([r["latency_ms"].get("p99") for r in runs]),
            "requests_per_sec_all": [r["requests_per_sec"] for r in runs],
            "errors_total": sum(_errors(r) for r in runs),
        }
    base = summary[baseline]["requests_per_sec_median"]
    for name in names:
        rps = summary[name]["requests_per_sec_median"]
        summary[name]["ratio_req_per_sec_vs_" + baseline] = (
            round(rps / base, 4) if rps is not None and base else None)
    return {"baseline": baseline, "targets": summary}


def _fmt_ms(v):
    if v is None:
        return "-"
    return f"{v * 1e3:.0f}us" if v < 1 else f"{v:.2f}ms"


def format_table(summary):
    base = summary["baseline"]
    rows = [("target", "req/s (median)", "p50", "p99", "ratio req/s", "runs", "errors")]
    for name, s in summary["targets"].items():
        ratio = s["ratio_req_per_sec_vs_" + base]
        rows.append((name,
                     f"{s['requests_per_sec_median']:,.0f}",
                     _fmt_ms(s["p50_ms_median"]),
                     _fmt_ms(s["p99_ms_median"]),
                     "-" if ratio is None else f"{ratio:.3f} ({ratio:.1%})",
                     str(s["runs"]),
                     str(s["errors_total"])))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for i, r in enumerate(rows):
        lines.append("  ".join(c.ljust(w) if j == 0 else c.rjust(w)
                               for j, (c, w) in enumerate(zip(r, widths))))
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cmd_parse(args):
    for path in args.files:
        with open(path) as f:
            print(json.dumps({"file": path, **parse_wrk(f.read())}))


def _cmd_report(args):
    targets, raw = {}, {}
    for spec in args.targets:
        name, sep, pattern = spec.partition("=")
        if not sep:
            sys.exit(f"target must be NAME=GLOB, got {spec!r}")
        files = sorted(glob.glob(pattern),
                       key=lambda f: [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", f)])
        if not files:
            sys.exit(f"no wrk output matches {pattern!r} for target {name}")
        runs = []
        for path in files:
            with open(path) as f:
                try:
                    runs.append(parse_wrk(f.read()))
                except ValueError as e:
                    sys.exit(f"{path}: {e}")
        targets[name], raw[name] = runs, runs
    meta = {}
    if args.meta:
        with open(args.meta) as f:
            meta = json.load(f)
    summary = summarize(targets, args.baseline)
    result = {"meta": meta, **summary, "runs": raw}
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
    print(format_table(summary))
    base = summary["baseline"]
    for name, s in summary["targets"].items():
        if name != base and s["ratio_req_per_sec_vs_" + base] is not None:
            print(f"ratio {name}/{base} req/s: {s['ratio_req_per_sec_vs_' + base]:.3f}")
        if s["errors_total"]:
            print(f"WARNING: {name}: {s['errors_total']} socket errors or non-2xx/3xx responses"
                  " (its numbers do not measure successful requests)")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    pp = sub.add_parser("parse")
    pp.add_argument("files", nargs="+")
    pp.set_defaults(func=_cmd_parse)
    pr = sub.add_parser("report")
    pr.add_argument("--out")
    pr.add_argument("--meta")
    pr.add_argument("--baseline")
    pr.add_argument("targets", nargs="+", metavar="NAME=GLOB")
    pr.set_defaults(func=_cmd_report)
    args = p.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
