"""A long fuzz run over every reader: a million generated inputs or more, counting tracebacks, hangs and memory.

Each input is a real sample file (a log, Search Console CSV/zip/JSON, backlink, post, GA4 and rank exports, an XLSX
workbook, a WARC, a saved page) mutated the way broken files are broken: cut, bytes flipped, junk inserted, a
slice repeated, a long run of one byte, random bytes, then sometimes gzip- or zstd-compressed and cut again.
Most inputs go through the cheap reader-level calls (no warehouse); one in ``--full-every`` goes through the
public import API into a real DuckDB warehouse. Every outcome must be a result or a ``SocialSeoError`` with a
one-line message; anything else is counted as a traceback and saved under ``--out`` to replay.

    python benchmarks/fuzz_readers.py --inputs 1000000 --workers 8       # the full run
    python benchmarks/fuzz_readers.py --inputs 20000 --workers 2         # a smoke run

Workers are separate processes, each with its own inputs (input ``i`` is generated from seed ``i``, so a run is
reproducible and any input can be regenerated with ``--replay i``). A hang is an input that takes longer than
``--timeout`` seconds (SIGALRM in the worker); peak memory is each worker's maximum resident set size.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import resource
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT / "tests" / "data"
EXPORTS = DATA / "exports"
_NASTY = [b"\x00", b"\xff", b"\xe9", b'"', b"\n", b"\r", b",", b";", b"\t", b"\\", b"<", b"{", b"\xef\xbb\xbf", b"a"]
LIMITS = {"MAX_LINE_BYTES": 4096, "MAX_FIELD_BYTES": 8192, "RATIO_AFTER_BYTES": 1 << 20,
          "MAX_SHEET_CELLS": 200_000, "MAX_WHOLE_FILE_BYTES": 4 << 20}


class Hang(Exception):
    pass


# -- inputs -----------------------------------------------------------------------------------------------------
def mutate(rng: random.Random, data: bytes, compress: bool) -> bytes:
    for _ in range(rng.randint(1, 3)):
        op = rng.choice(["cut", "flip", "insert", "repeat", "run", "random", "keep"])
        at = rng.randint(0, max(len(data), 1))
        if op == "cut":
            data = data[:at]
        elif op == "flip" and data:
            i = min(at, len(data) - 1)
            data = data[:i] + bytes([rng.randrange(256)]) + data[i + 1 :]
        elif op == "insert":
            junk = rng.choice(_NASTY) if rng.random() < 0.5 else rng.randbytes(rng.randint(0, 64))
            data = data[:at] + junk + data[at:]
        elif op == "repeat" and data:
            end = min(len(data), at + rng.randint(1, 4096))
            data = data[:end] + data[at:end] * rng.randint(1, 20) + data[end:]
        elif op == "run":
            size = rng.choice([10, 1000, 5000, 10_000, 100_000]) if rng.random() < 0.98 else 2_000_000
            data = data[:at] + rng.choice(_NASTY) * size + data[at:]
        elif op == "random":
            data = rng.randbytes(rng.randint(0, 2048))
    if compress and rng.random() < 0.3:
        import zstandard

        packed = gzip.compress(data, 1, mtime=0) if rng.random() < 0.5 else zstandard.ZstdCompressor().compress(data)
        data = packed[: rng.randint(0, len(packed))] if rng.random() < 0.5 else packed
    return data


def mutate_zip(rng: random.Random, members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            action = rng.choice(["keep", "keep", "mutate", "drop", "rename"])
            if action == "drop":
                continue
            if action == "rename":
                name = rng.choice(["../" + name, "/tmp/" + name, "a/../../" + name, name.upper()])
            archive.writestr(name, mutate(rng, data, False) if action == "mutate" else data)
    packed = buffer.getvalue()
    return packed[: rng.randint(0, len(packed))] if rng.random() < 0.15 else packed


def _xlsx_seed() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line in (EXPORTS / "facebook_posts.csv").read_text(encoding="utf-8").splitlines()[:4]:
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def seeds() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from tests.ingest.test_access_logs import LINES

    xlsx = _xlsx_seed()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        xlsx_members = {n: archive.read(n) for n in archive.namelist()}
    return {
        "log": ("\n".join(LINES) + "\n").encode(),
        "gsc_csv": (EXPORTS / "gsc_bulk_url_impression.csv").read_bytes(),
        "gsc_json": (EXPORTS / "gsc_api_rows.json").read_bytes(),
        "gsc_zip": {f.name: f.read_bytes() for f in sorted((EXPORTS / "gsc_ui").iterdir())},
        "backlinks": (DATA / "backlink-exports" / "moz-inbound-links.csv").read_bytes(),
        "posts": (EXPORTS / "facebook_posts.csv").read_bytes(),
        "xlsx": xlsx,
        "xlsx_zip": xlsx_members,
        "ga4": (DATA / "ga4" / "traffic_acquisition.csv").read_bytes(),
        "ranks": (EXPORTS / "ranks.csv").read_bytes(),
        "warc": gzip.decompress((DATA / "resiliparse-warc" / "warcfile.warc.gz").read_bytes())[:60_000],
        "page": (DATA / "extruct" / "opengraph_test.html").read_bytes(),
    }


def generate(i: int, seed: dict[str, Any]) -> tuple[str, bytes]:
    rng = random.Random(i)
    reader = READERS[i % len(READERS)]
    if reader == "gsc_zip":
        return reader, mutate_zip(rng, seed["gsc_zip"])
    if reader == "posts_xlsx":
        data = mutate_zip(rng, seed["xlsx_zip"]) if rng.random() < 0.5 else mutate(rng, seed["xlsx"], False)
        return reader, data
    base = {"logs": "log", "gsc_csv": "gsc_csv", "gsc_json": "gsc_json", "backlinks": "backlinks",
            "posts_csv": "posts", "ga4": "ga4", "ranks": "ranks", "warc": "warc", "pages": "page"}[reader]
    return reader, mutate(rng, seed[base], reader in ("logs", "gsc_csv", "warc"))


# -- the readers ------------------------------------------------------------------------------------------------
def read_cheaply(reader: str, path: Path) -> None:
    """The reader-level calls each import starts with, without a warehouse."""
    from socialseo.ingest._files import check_nonempty
    from socialseo.ingest._sheets import read_sheets
    from socialseo.ingest.archives import warc
    from socialseo.ingest.archives.links import LinkFilter, read_archive
    from socialseo.ingest.backlinks import exports as backlink_exports
    from socialseo.ingest.backlinks import pages
    from socialseo.ingest.logs.blocks import Block
    from socialseo.ingest.logs.general_reader import parse_block
    from socialseo.ingest.logs.importer import resolve_format, split_blocks
    from socialseo.ingest.posts.layouts import parse_export, platform_candidates
    from socialseo.ingest.search_console import importer as gsc
    from socialseo.ingest.search_console import ranks

    if reader == "logs":
        check_nonempty(path)
        fmt = resolve_format(path)
        for item, *_ in split_blocks(path, fmt, lambda *_: None):
            if isinstance(item, Block):
                parse_block(item, fmt)
    elif reader in ("gsc_csv", "gsc_json", "gsc_zip"):
        gsc._check_input(path)
        if zipfile.is_zipfile(path):
            gsc._zip_sheets(path)
    elif reader == "backlinks":
        backlink_exports.check_text(path, "a backlink export")
        with tempfile.TemporaryDirectory() as tmp:
            readable = backlink_exports.utf8_copy(path, Path(tmp))
            _skip, header = backlink_exports._header(readable)
            backlink_exports.detect_layout(header, path)
    elif reader in ("posts_csv", "posts_xlsx"):
        parse_export(path, platform_candidates("auto"))
    elif reader == "ranks":
        ranks._header(read_sheets(path)[0].rows, path)
    elif reader == "ga4":
        read_sheets(path)
    elif reader == "warc":
        warc.check_archive(path)
        for _ in read_archive(str(path), LinkFilter(["example.com"], all_referrers=True), lambda *_: None):
            pass
    elif reader == "pages":
        from socialseo.crawl.extract import extract_page

        pages.check_page(path)
        extract_page(path.read_bytes(), "https://example.com/")


def read_fully(reader: str, path: Path, project: Any) -> None:
    """The public import path, into a real warehouse."""
    calls: dict[str, Callable[[], object]] = {
        "logs": lambda: project.ingest_logs([path], site="www.example.com"),
        "gsc_csv": lambda: project.ingest_gsc([path]),
        "gsc_json": lambda: project.ingest_gsc([path]),
        "gsc_zip": lambda: project.ingest_gsc([path]),
        "backlinks": lambda: project.ingest_backlinks([path], target="example.com"),
        "posts_csv": lambda: project.ingest_posts([path]),
        "posts_xlsx": lambda: project.ingest_posts([path]),
        "ga4": lambda: project.ingest_ga4([path]),
        "ranks": lambda: project.ingest_ranks([path]),
        "warc": lambda: project.ingest_warc([path], site="example.com"),
        "pages": lambda: project.ingest_pages([path], site="example.com"),
    }
    calls[reader]()


READERS = ["logs", "gsc_csv", "gsc_json", "gsc_zip", "backlinks", "posts_csv", "posts_xlsx", "ga4", "ranks",
           "warc", "pages"]


# -- a worker ---------------------------------------------------------------------------------------------------
def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise Hang


def work(args: tuple[int, int, float, int, str]) -> dict[str, Any]:
    start, stop, timeout, full_every, out = args
    for name, value in LIMITS.items():
        os.environ[f"SOCIALSEO_{name}"] = str(value)
    os.environ["SOCIALSEO_NO_PROGRESS"] = "1"
    import socialseo
    from socialseo.errors import SocialSeoError

    signal.signal(signal.SIGALRM, _alarm)
    seed = seeds()
    counts: Counter[str] = Counter()
    slowest = 0.0
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as tmp:
        project = socialseo.open(Path(tmp) / "w.duckdb")
        for i in range(start, stop):
            reader, data = generate(i, seed)
            path = Path(tmp) / f"{i}.input"
            path.write_bytes(data)
            full = full_every > 0 and i % full_every == 0
            began = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                read_fully(reader, path, project) if full else read_cheaply(reader, path)
                counts["ok"] += 1
            except SocialSeoError as exc:
                counts["refused"] += 1
                if "\n" in str(exc):
                    counts["multi-line message"] += 1
                    _save(out, i, reader, data, f"multi-line message: {exc!r}")
            except Hang:
                counts["hang"] += 1
                _save(out, i, reader, data, f"took over {timeout} s")
            except Exception:
                counts["traceback"] += 1
                counts[f"traceback:{reader}"] += 1
                _save(out, i, reader, data, traceback.format_exc())
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                path.unlink(missing_ok=True)
            slowest = max(slowest, time.perf_counter() - began)
            counts["full" if full else "cheap"] += 1
        project.close()
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"counts": dict(counts), "slowest_s": slowest, "peak_rss_mib": rss_kib / 1024}


def _save(out: str, i: int, reader: str, data: bytes, why: str) -> None:
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    if len(list(folder.glob("*.txt"))) < 200:
        (folder / f"{i}-{reader}.input").write_bytes(data[:5_000_000])
        (folder / f"{i}-{reader}.txt").write_text(why)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds one input may take before it is a hang")
    parser.add_argument("--full-every", type=int, default=200, help="every n-th input goes through the public API")
    parser.add_argument("--first", type=int, default=0, help="number of the first input (to split a run)")
    parser.add_argument("--out", default="fuzz-findings", help="where failing inputs are saved")
    parser.add_argument("--replay", type=int, default=None, help="regenerate input i and read it, with traceback")
    args = parser.parse_args()
    if args.replay is not None:
        reader, data = generate(args.replay, seeds())
        path = Path(tempfile.mkdtemp()) / "replay.input"
        path.write_bytes(data)
        print(f"input {args.replay}: {reader}, {len(data):,} bytes at {path}")
        read_cheaply(reader, path)
        return
    chunk = max(1, min(5000, args.inputs // (args.workers * 4) or 1))
    jobs = [(s, min(s + chunk, args.first + args.inputs), args.timeout, args.full_every, args.out)
            for s in range(args.first, args.first + args.inputs, chunk)]
    began = time.perf_counter()
    totals: Counter[str] = Counter()
    slowest, peak = 0.0, 0.0
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        for done, result in enumerate(pool.map(work, jobs), start=1):
            totals.update(result["counts"])
            slowest, peak = max(slowest, result["slowest_s"]), max(peak, result["peak_rss_mib"])
            if done % max(1, len(jobs) // 10) == 0:
                print(f"  {sum(totals[k] for k in ('cheap', 'full')):,} inputs, {totals['traceback']} tracebacks, "
                      f"{totals['hang']} hangs", file=sys.stderr)
    elapsed = time.perf_counter() - began
    n = totals["cheap"] + totals["full"]
    figures = {
        "inputs": n, "workers": args.workers, "seconds": round(elapsed, 1),
        "inputs_per_second": round(n / elapsed, 1),
        "projected_seconds_for_1M": round(1_000_000 / (n / elapsed)),
        "ok": totals["ok"], "refused_in_one_line": totals["refused"], "tracebacks": totals["traceback"],
        "hangs": totals["hang"], "multi_line_messages": totals["multi-line message"],
        "through_public_api": totals["full"], "slowest_input_s": round(slowest, 2),
        "peak_rss_per_worker_mib": round(peak, 1),
        "tracebacks_by_reader": {k.split(":", 1)[1]: v for k, v in totals.items() if k.startswith("traceback:")},
    }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
