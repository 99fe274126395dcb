"""Access-log import speed and memory: socialseo vs advertools and GoAccess on the same file, in one run.

    python benchmarks/bench_ingest_logs.py [--lines 2000000] [--big-lines 8000000] [--skip-big]

Writes a combined-format log of ``--lines`` lines (realistic mix: search, social, shorteners, in-app browsers,
click ids, bots, assets, a few cut-off lines), then times, each in its own process:

- socialseo: parse + classify + store into a fresh warehouse (``import_access_log``, what ``socialseo ingest
  logs`` does before rebuilding sessions), and the session rebuild on its own;
- advertools ``logs_to_df`` (parse only, to Parquet) — installed with pip when missing;
- GoAccess (``--log-format=COMBINED``, JSON output) — the Debian package ``goaccess``;

and prints lines per second of each and the ratios. Then it imports a ``--big-lines`` log and compares the
peak resident memory of the two socialseo imports: reading in blocks must keep it flat.
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--big-lines", type=int, default=8_000_000)
    parser.add_argument("--skip-big", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="socialseo-bench-") as tmp:
        workdir = Path(tmp)
        log = workdir / "access.log"
        t0 = time.perf_counter()
        write_log(log, args.lines)
        size_mb = log.stat().st_size / 1e6
        print(f"wrote {args.lines:,} lines ({size_mb:,.0f} MB) in {time.perf_counter() - t0:.1f} s")

        ours = run_socialseo(log, workdir, sessions=True)
        rate = args.lines / ours["import_s"]
        print(f"socialseo import (parse+classify+store): {ours['import_s']:.2f} s  {rate:>10,.0f} lines/s  "
              f"peak {ours['peak_mb']:,.0f} MB  ({ours['loaded']:,.0f} loaded, "
              f"{ours['quarantined']:,.0f} quarantined)")
        print(f"socialseo session rebuild:               {ours['sessions_s']:.2f} s  "
              f"({ours['sessions']:,.0f} sessions)")
        adv = run_advertools(log, workdir)
        if adv:
            print(f"advertools logs_to_df (parse only):      {adv:.2f} s  {args.lines / adv:>10,.0f} lines/s")
            print(f"  ratio socialseo / advertools: {rate / (args.lines / adv):.2f}x (target >= 3x)")
        goa = run_goaccess(log, workdir)
        if goa:
            print(f"GoAccess --log-format=COMBINED (JSON):   {goa:.2f} s  {args.lines / goa:>10,.0f} lines/s")
            print(f"  ratio socialseo / GoAccess:   {rate / (args.lines / goa):.2f}x (target >= 5x)")
        if args.skip_big:
            return
        log.unlink()
        big = workdir / "big.log"
        write_log(big, args.big_lines)
        big_run = run_socialseo(big, workdir, sessions=False)
        print(f"socialseo import of {args.big_lines:,} lines: {big_run['import_s']:.2f} s  "
              f"{args.big_lines / big_run['import_s']:,.0f} lines/s  peak {big_run['peak_mb']:,.0f} MB")
        print(f"  peak memory {args.big_lines:,} vs {args.lines:,} lines: "
              f"{big_run['peak_mb'] / ours['peak_mb']:.2f}x (target < 1.3x)")


if __name__ == "__main__":
    main()
