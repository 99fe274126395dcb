"""Access-log import speed and memory: socialseo vs advertools and GoAccess on the same file, in one run.

    python benchmarks/bench_ingest_logs.py [--lines 2000000] [--big-lines 8000000] [--skip-big] [--only real]

Writes two combined-format logs of ``--lines`` lines: the benchmark's own (ten user agents, twenty referrer
templates: search, social, shorteners, in-app browsers, click ids, bots, assets, a few cut-off lines), and one
with a real site's cardinality (:func:`write_real_log`: real browsers and crawlers from the bundled corpus, per-
click referrers, hundreds of thousands of addresses). On each it times, each in its own process:

- socialseo: parse + classify + store into a fresh warehouse (``import_access_log``), the session rebuild on its
  own, and the whole ``socialseo ingest logs`` command as a user runs it;
- advertools ``logs_to_df`` (parse only, to Parquet) — installed with pip when missing;
- GoAccess (``--log-format=COMBINED``, JSON output) — the Debian package ``goaccess``;

and prints lines per second of each and the ratios. Then it imports a ``--big-lines`` log and compares the
peak resident memory of the two socialseo imports: reading in blocks must keep it flat.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REFERRERS = [
    "-", "-", "-", "https://www.google.com/", "https://www.google.co.uk/", "https://www.bing.com/search?q=tents",
    "https://t.co/{r}", "https://l.facebook.com/l.php?u=x{r}", "https://lnkd.in/{r}",
    "https://www.reddit.com/r/camping/{r}",
    "android-app://com.linkedin.android", "https://out.reddit.com/{r}", "https://pin.it/{r}",
    "https://www.example.com/blog/{r}", "https://www.example.com/", "https://news.ycombinator.com/item?id={r}",
    "https://blog.example.org/why-facebook-is-down-{r}", "https://duckduckgo.com/",
]
AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 [FBAN/FBIOS;FBAV/450.0.0.38.108]",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Instagram 326.0.3.17.91",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "python-requests/2.32.3",
]
PATHS = ["/", "/blog/post-{r}", "/products/tent-{r}", "/blog/post-{r}?fbclid=IwAR{r}", "/static/site.css",
         "/img/hero-{r}.jpg", "/blog/post-{r}?utm_source=newsletter&utm_medium=email", "/search?q=tent+{r}",
         "/products/tent-{r}?gclid=Cj0{r}"]


def write_log(path: Path, n_lines: int, seed: int = 7) -> None:
    """A combined log of ``n_lines``; ~1 in 20,000 lines is cut off inside its user agent."""
    rng = np.random.default_rng(seed)
    chunk = 500_000
    start = 1_767_225_600  # 2026-01-01
    with path.open("w", encoding="utf-8") as out:
        for offset in range(0, n_lines, chunk):
            n = min(chunk, n_lines - offset)
            ips = rng.integers(1, 255, size=(n, 2))
            ts = np.sort(rng.integers(start, start + 86_400 * 30, size=n))
            refs = rng.integers(0, len(REFERRERS), n)
            agents = rng.integers(0, len(AGENTS), n)
            paths = rng.integers(0, len(PATHS), n)
            r = rng.integers(0, 5000, n)
            status = rng.choice([200, 200, 200, 200, 304, 404, 301], n)
            sizes = rng.integers(100, 90_000, n)
            stamps = np.datetime_as_string(ts.astype("datetime64[s]"), unit="s")
            lines = []
            for i in range(n):
                day = stamps[i]
                stamp = f"{day[8:10]}/{_MONTHS[int(day[5:7]) - 1]}/{day[0:4]}:{day[11:]} +0000"
                ref = REFERRERS[refs[i]].format(r=r[i])
                agent = AGENTS[agents[i]]
                # About one line in 20,000 is cut off inside its user agent, as a crash mid-write leaves it.
                end = '"' if (offset + i) % 20_000 != 19_999 else ""
                target = PATHS[paths[i]].format(r=r[i])
                lines.append(
                    f'198.51.{ips[i, 0]}.{ips[i, 1]} - - [{stamp}] "GET {target} HTTP/1.1" {status[i]} {sizes[i]} '
                    f'"{ref}" "{agent[: 15 if not end else None]}{end}\n'
                )
            out.writelines(lines)


CORPUS = Path(__file__).resolve().parent / "data" / "user_agents.tsv.gz"
"""Real user agents (browsers with weights, crawlers), bundled; written by scripts/refresh_bot_data.py."""

_QUERY_WORDS = ["tent", "camping", "hiking", "boots", "best", "2026", "review", "cheap", "ultralight", "family",
                "winter", "backpack", "stove", "sleeping", "bag", "near", "me", "how", "to", "pitch"]


def _corpus() -> tuple[list[str], np.ndarray, list[str]]:
    browsers, weights, crawlers = [], [], []
    for line in gzip.decompress(CORPUS.read_bytes()).decode("utf-8").splitlines():
        if line.startswith("#") or not line:
            continue
        kind, weight, ua = line.split("\t", 2)
        if kind == "browser":
            browsers.append(ua)
            weights.append(float(weight))
        else:
            crawlers.append(ua)
    w = np.array(weights)
    return browsers, w / w.sum(), crawlers


def _token(rng: np.random.Generator, n: int, width: int) -> list[str]:
    alphabet = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"))
    return ["".join(row) for row in alphabet[rng.integers(0, len(alphabet), size=(n, width))]]


def write_real_log(path: Path, n_lines: int, seed: int = 11) -> dict[str, int]:
    """A combined log with a real site's long tails; returns its distinct agents, referrers and addresses.

    User agents: real browsers drawn by their published weights, one in three with a randomised build number
    (Chrome/131.0.6778.N, as auto-updates leave them), and 5 % crawlers drawn long-tailed from the corpus.
    Referrers: per-click l.facebook.com ``h=`` tokens, t.co and lnkd.in ids and search queries, besides the
    common origins. Addresses: a long-tailed draw from 200,000. At 2,000,000 lines that is about the week of a
    real site the benchmark was modelled on (15,775 agents, 145,879 referrers, 181,922 addresses).
    """
    rng = np.random.default_rng(seed)
    browsers, weights, crawlers = _corpus()
    crawler_p = 1.0 / np.arange(1, len(crawlers) + 1) ** 0.8
    crawler_p /= crawler_p.sum()
    start = 1_767_225_600
    chunk = 250_000
    agents_seen: set[str] = set()
    refs_seen: set[str] = set()
    ips_seen: set[str] = set()
    with path.open("w", encoding="utf-8") as out:
        for offset in range(0, n_lines, chunk):
            n = min(chunk, n_lines - offset)
            ts = np.sort(rng.integers(start, start + 86_400 * 7, size=n))
            stamps = np.datetime_as_string(ts.astype("datetime64[s]"), unit="s")
            is_crawler = rng.random(n) < 0.05
            b = rng.choice(len(browsers), size=n, p=weights)
            c = rng.choice(len(crawlers), size=n, p=crawler_p)
            build = np.where(rng.random(n) < 0.5, rng.integers(0, 150, n), -1)
            ip_rank = np.minimum(rng.zipf(1.15, n), 200_000)
            ip_rand = rng.integers(0, 200_000, n)
            ip_num = np.where(rng.random(n) < 0.3, ip_rand, ip_rank)
            pool = rng.integers(0, 30_000, n)
            kind = rng.integers(0, 100, n)
            tokens = _token(rng, n, 11)
            words = rng.integers(0, len(_QUERY_WORDS), size=(n, 3))
            paths = rng.integers(0, len(PATHS), n)
            r = rng.integers(0, 20_000, n)
            status = rng.choice([200, 200, 200, 200, 304, 404, 301], n)
            sizes = rng.integers(100, 90_000, n)
            lines = []
            for i in range(n):
                day = stamps[i]
                stamp = f"{day[8:10]}/{_MONTHS[int(day[5:7]) - 1]}/{day[0:4]}:{day[11:]} +0000"
                if is_crawler[i]:
                    agent = crawlers[c[i]]
                else:
                    agent = browsers[b[i]]
                    if build[i] >= 0:
                        agent = agent.replace(".0.0.0", f".0.{6700 + build[i] * 7}.{build[i] * 13 % 200}", 1)
                k = kind[i]
                if k < 35:
                    ref = "-"
                elif k < 39:  # a per-click token: every Facebook click is a new referrer
                    ref = f"https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.example.com%2Fp{r[i]}&h=AT{tokens[i]}"
                elif k < 45:
                    ref = f"https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.example.com%2Fp{r[i]}"
                elif k < 52:
                    ref = f"https://t.co/{pool[i]:x}{pool[i] % 7}"
                elif k < 56:
                    ref = f"https://lnkd.in/e{pool[i] // 3:x}"
                elif k < 62:
                    q = "+".join(_QUERY_WORDS[w] for w in words[i])
                    ref = f"https://www.bing.com/search?q={q}&form=QBLH"
                elif k < 80:
                    ref = "https://www.google.com/"
                elif k < 92:
                    ref = f"https://www.example.com/blog/{r[i]}"
                else:
                    ref = REFERRERS[k % len(REFERRERS)].format(r=r[i])
                v = int(ip_num[i])
                ip = f"{23 + v // 65536 % 200}.{v // 256 % 256}.{v % 256}.{(v * 7) % 250 + 1}"
                target = PATHS[paths[i]].format(r=r[i])
                lines.append(
                    f'{ip} - - [{stamp}] "GET {target} HTTP/1.1" {status[i]} {sizes[i]} "{ref}" "{agent}"\n'
                )
                agents_seen.add(agent)
                refs_seen.add(ref)
                ips_seen.add(ip)
            out.writelines(lines)
    return {"agents": len(agents_seen), "referrers": len(refs_seen), "addresses": len(ips_seen)}


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

_SOCIALSEO = """
import json, resource, sys, time
from pathlib import Path
from socialseo.ingest.logs.importer import import_access_log
from socialseo.analysis.sessions import rebuild_sessions
from socialseo.store.warehouse import Warehouse
wh = Warehouse(Path(sys.argv[2]))
t0 = time.perf_counter()
result = import_access_log(wh, Path(sys.argv[1]), site_hosts=["www.example.com"])
t1 = time.perf_counter()
sessions = rebuild_sessions(wh.con) if sys.argv[3] == "1" else 0
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "sessions_s": t2 - t1, "loaded": result.rows_loaded,
                  "quarantined": result.rows_quarantined, "sessions": sessions,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_ADVERTOOLS = """
import sys, time
import advertools as adv
t0 = time.perf_counter()
adv.logs_to_df(sys.argv[1], output_file=sys.argv[2], errors_file=sys.argv[3], log_format="combined")
print(time.perf_counter() - t0)
"""


def run_socialseo(log: Path, workdir: Path, sessions: bool) -> dict[str, float]:
    db = workdir / f"bench-{time.monotonic_ns()}.duckdb"
    src = Path(__file__).resolve().parents[1] / "src"
    out = subprocess.run(
        [sys.executable, "-c", _SOCIALSEO, str(log), str(db), "1" if sessions else "0"],
        check=True, capture_output=True, text=True, env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
    )
    db.unlink(missing_ok=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def run_advertools(log: Path, workdir: Path) -> float | None:
    if importlib.util.find_spec("advertools") is None:
        print("installing advertools (peer) with pip ...")
        if subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "advertools"]).returncode:
            return None
    out = subprocess.run(
        [sys.executable, "-c", _ADVERTOOLS, str(log), str(workdir / "adv.parquet"), str(workdir / "adv.err")],
        check=True, capture_output=True, text=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def run_goaccess(log: Path, workdir: Path) -> float | None:
    if shutil.which("goaccess") is None:
        print("installing goaccess (peer) with apt-get ...")
        subprocess.run(["apt-get", "install", "-y", "-qq", "goaccess"], capture_output=True)
    if shutil.which("goaccess") is None:
        print("goaccess is not available: skipped")
        return None
    t0 = time.perf_counter()
    subprocess.run(
        ["goaccess", str(log), "--log-format=COMBINED", "--no-global-config", "-o", str(workdir / "ga.json")],
        check=True, capture_output=True,
    )
    return time.perf_counter() - t0


def run_command(log: Path, workdir: Path) -> tuple[float, float]:
    """The whole ``socialseo ingest logs`` command (import and sessions), as a user runs it: seconds, peak MB."""
    db = workdir / f"cmd-{time.monotonic_ns()}.duckdb"
    src = Path(__file__).resolve().parents[1] / "src"
    code = ("import resource, sys, time; from socialseo.cli import main; t = time.perf_counter(); "
            "c = main(sys.argv[1:]); "
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024); sys.exit(c)")
    out = subprocess.run(
        [sys.executable, "-c", code, "ingest", "logs", str(log), "--site", "www.example.com", "--db", str(db)],
        check=True, capture_output=True, text=True, env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
    )
    db.unlink(missing_ok=True)
    seconds, peak = out.stdout.strip().splitlines()[-1].split()
    return float(seconds), float(peak)


def compare(name: str, log: Path, n_lines: int, workdir: Path) -> dict[str, float]:
    """Time socialseo (import alone, and the whole command) against advertools and GoAccess on ``log``."""
    print(f"-- {name}")
    ours = run_socialseo(log, workdir, sessions=True)
    rate = n_lines / ours["import_s"]
    whole_s, whole_mb = run_command(log, workdir)
    whole = n_lines / whole_s
    print(f"socialseo import (parse+classify+store): {ours['import_s']:.2f} s  {rate:>10,.0f} lines/s  "
          f"peak {ours['peak_mb']:,.0f} MB  ({ours['loaded']:,.0f} loaded, "
          f"{ours['quarantined']:,.0f} quarantined)")
    print(f"socialseo session rebuild:               {ours['sessions_s']:.2f} s  ({ours['sessions']:,.0f} sessions)")
    print(f"socialseo ingest logs (whole command):   {whole_s:.2f} s  {whole:>10,.0f} lines/s  peak {whole_mb:,.0f} MB")
    adv = run_advertools(log, workdir)
    if adv:
        peer = n_lines / adv
        print(f"advertools logs_to_df (parse only):      {adv:.2f} s  {peer:>10,.0f} lines/s")
        print(f"  socialseo / advertools: import {rate / peer:.2f}x (target >= 5x), "
              f"whole command {whole / peer:.2f}x (target >= 3x)")
    goa = run_goaccess(log, workdir)
    if goa:
        peer = n_lines / goa
        print(f"GoAccess --log-format=COMBINED (JSON):   {goa:.2f} s  {peer:>10,.0f} lines/s")
        print(f"  socialseo / GoAccess:   import {rate / peer:.2f}x, whole command {whole / peer:.2f}x (target >= 8x)")
    return ours


def long_agents_check(workdir: Path) -> None:
    """1,000 lines with 500 distinct 8 KB user agents: classification must stay linear (target < 2 s)."""
    ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
    log = workdir / "long-agents.log"
    log.write_text("".join(
        f'198.51.100.{n % 250} - - [01/Mar/2026:10:{n // 60 % 60:02d}:{n % 60:02d} +0000] "GET /p/{n} HTTP/1.1" '
        f'200 512 "-" "{ua} build/{n % 500} {"A" * 8192}"\n' for n in range(1000)), encoding="utf-8")
    ours = run_socialseo(log, workdir, sessions=False)
    print(f"-- 1,000 lines, 500 distinct 8 KB user agents: import {ours['import_s']:.2f} s (target < 2 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--big-lines", type=int, default=8_000_000)
    parser.add_argument("--skip-big", action="store_true")
    parser.add_argument("--only", choices=["synthetic", "real"], help="run one of the two logs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="socialseo-bench-") as tmp:
        workdir = Path(tmp)
        long_agents_check(workdir)
        ours: dict[str, float] = {}
        if args.only != "real":
            log = workdir / "access.log"
            t0 = time.perf_counter()
            write_log(log, args.lines)
            size = log.stat().st_size / 1e6
            print(f"wrote {args.lines:,} lines ({size:,.0f} MB) in {time.perf_counter() - t0:.1f} s")
            ours = compare("benchmark log (ten user agents, twenty referrer templates)", log, args.lines, workdir)
            log.unlink()
        if args.only != "synthetic":
            log = workdir / "real.log"
            t0 = time.perf_counter()
            counts = write_real_log(log, args.lines)
            size = log.stat().st_size / 1e6
            print(f"wrote {args.lines:,} lines ({size:,.0f} MB) in {time.perf_counter() - t0:.1f} s: "
                  f"{counts['agents']:,} user agents, {counts['referrers']:,} referrers, "
                  f"{counts['addresses']:,} addresses")
            ours = compare("real-cardinality log", log, args.lines, workdir)
            log.unlink()
        if args.skip_big:
            return
        big = workdir / "big.log"
        write_real_log(big, args.big_lines)
        big_run = run_socialseo(big, workdir, sessions=False)
        print(f"socialseo import of {args.big_lines:,} lines: {big_run['import_s']:.2f} s  "
              f"{args.big_lines / big_run['import_s']:,.0f} lines/s  peak {big_run['peak_mb']:,.0f} MB")
        print(f"  peak memory {args.big_lines:,} vs {args.lines:,} lines: "
              f"{big_run['peak_mb'] / ours['peak_mb']:.2f}x (target < 1.3x, and under 1,200 MB)")


if __name__ == "__main__":
    main()
