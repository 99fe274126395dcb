"""A long fuzz run over every reader: a million generated inputs or more, counting tracebacks, hangs and memory.

Each input is a real sample file (a log, Search Console CSV/zip/JSON, backlink, post, GA4 and rank exports, an XLSX
workbook, a WARC, a saved page) mutated the way broken files are broken: cut, bytes flipped, junk inserted, a
slice repeated, a long run of one byte, random bytes, then sometimes gzip- or zstd-compressed and cut again.
Most inputs go through the reader-level calls (no warehouse); one in ``--full-every`` goes through the public
import API into a real DuckDB warehouse, each worker's own (made afresh after an import cut short and every 100
imports). Every outcome must be a result or a ``SocialSeoError`` with a one-line message; anything else is counted
as a traceback and saved under ``--out``.

    python benchmarks/fuzz_readers.py --inputs 1000000 --workers 2       # the full run (under 30 min at 300/s)
    python benchmarks/fuzz_readers.py --inputs 20000 --workers 1         # a smoke run
    python benchmarks/fuzz_readers.py --replay 123456                    # one input again, with its traceback

Workers are long-lived processes, each reading chunks of inputs (input ``i`` is generated from seed ``i``, so a run
is reproducible and any input can be regenerated with ``--replay i``). A hang is an input that takes longer than
``--timeout`` seconds (SIGALRM in the worker; a worker stuck in C code for three times that is killed by the
parent and the input recorded). Memory is measured per input: before each, the worker resets its high-water mark
(``/proc/self/clear_refs``), after it reads ``VmHWM``, so each input's own peak is known and the summary names the
heaviest. An input past ``--max-mb`` is a finding. A runaway input cannot take the machine down: the worker's
address space is capped at ``--guard-mb`` over its start (``RLIMIT_AS``: the allocation fails, recorded as a memory
finding), and the parent kills a worker whose resident set grows ``--guard-mb`` past its start, records its input
and starts another. The summary (JSON on standard output, a per-reader table on standard error) gives the inputs,
their rate, tracebacks, hangs, peak MiB per input and per worker, the reader mix and the heaviest and slowest
inputs by number.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import heapq
import io
import json
import multiprocessing
import os
import random
import re
import resource
import signal
import sys
import tempfile
import time
import traceback
import warnings
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable
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
OUTCOMES = ("ok", "refused", "traceback", "hang", "memory", "crash")


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
def read_cheaply(reader: str, path: Path, con: Any = None) -> None:
    """The reader-level calls each import starts with, without a warehouse."""
    from socialseo.ingest._files import check_nonempty
    from socialseo.ingest._sheets import read_sheets
    from socialseo.ingest.analytics import ga4
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
        for item, *_ in split_blocks(path, fmt, lambda *_: None, con=con):
            if isinstance(item, Block):
                parse_block(item, fmt)
    elif reader in ("gsc_csv", "gsc_json", "gsc_zip"):
        gsc._check_input(path)
        if zipfile.is_zipfile(path):
            gsc._zip_sheets(path)
        elif (head := gsc.head_lines(path, n=3)) and not head[0].lstrip("\ufeff").lstrip().startswith(("{", "[")):
            # A CSV's header is read and matched here; its rows are read by DuckDB, on the public-API inputs
            sheet = gsc.read_csv_text(head[0], path.name)
            if sheet.rows:
                gsc.detect_layout([str(c) for c in sheet.rows[0]])
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
        ga4.check_text(path, "a GA4 CSV export")
        ga4._read(path)
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


# -- memory -----------------------------------------------------------------------------------------------------
class Memory:
    """Each input's own peak resident memory (Linux): the high-water mark is reset before it and read after it.

    Writing ``5`` to ``/proc/self/clear_refs`` resets ``VmHWM`` to the current resident set; elsewhere the peak
    falls back to the process's lifetime maximum, which only bounds each input from above.
    """

    def __init__(self) -> None:
        try:
            self._clear: int | None = os.open("/proc/self/clear_refs", os.O_WRONLY)
            os.write(self._clear, b"5")
        except OSError:
            self._clear = None

    @property
    def per_input(self) -> bool:
        return self._clear is not None

    def reset(self) -> None:
        if self._clear is not None:
            os.write(self._clear, b"5")

    def peak_mib(self) -> float:
        found = re.search(rb"VmHWM:\s+(\d+)", _status(os.getpid())) if self._clear is not None else None
        kib = int(found.group(1)) if found else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return kib / 1024


def _status(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def _status_mib(pid: int, field: bytes) -> float:
    found = re.search(field + rb":\s+(\d+)", _status(pid))
    return int(found.group(1)) / 1024 if found else 0.0


def _cap_address_space(guard_mib: int) -> None:
    """Let this worker map at most ``guard_mib`` more than it has now: a runaway allocation then fails here."""
    size = _status_mib(os.getpid(), b"VmSize")
    if size:
        limit = int((size + guard_mib) * (1 << 20))
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))


def _is_out_of_memory(exc: BaseException) -> bool:
    return isinstance(exc, MemoryError) or "outofmemory" in type(exc).__name__.lower() or "bad_alloc" in str(exc)


# -- a worker ---------------------------------------------------------------------------------------------------
def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise Hang


class Reader:
    """One worker's readers, warehouse and scratch folder, made once and used for every input it reads."""

    def __init__(self, scratch: Path) -> None:
        for name, value in LIMITS.items():
            os.environ[f"SOCIALSEO_{name}"] = str(value)
        os.environ["SOCIALSEO_NO_PROGRESS"] = "1"
        # One thread each: workers are one per core already, and a pool's hand-offs cost more than a small input.
        os.environ.setdefault("POLARS_MAX_THREADS", "1")
        warnings.simplefilter("ignore")  # a library's warning about one odd input is not a finding
        import duckdb

        import socialseo
        from socialseo.errors import SocialSeoError

        self.error: type[Exception] = SocialSeoError
        self.seed = seeds()
        self.scratch = scratch
        self.opened = socialseo.open
        self.project = self.opened(scratch / "w.duckdb")
        self.imports = 0
        self.con = duckdb.connect(config={"threads": 1})  # the logs reader's fingerprint connection
        signal.signal(signal.SIGALRM, _alarm)

    def read(self, i: int, full_every: int, timeout: float) -> tuple[str, str, str, bytes]:
        """Read input ``i``: ``(reader, outcome, why, data)``, outcome one of :data:`OUTCOMES`."""
        reader, data = generate(i, self.seed)
        path = self.scratch / f"{i}.input"
        path.write_bytes(data)
        full = full_every > 0 and i % full_every == 0
        outcome = "traceback"
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            read_fully(reader, path, self.project) if full else read_cheaply(reader, path, self.con)
            outcome = "ok"
            return reader, outcome, "", data
        except self.error as exc:
            outcome = "refused"
            return reader, outcome, (f"multi-line message: {exc!r}" if "\n" in str(exc) else ""), data
        except Hang:
            outcome = "hang"
            return reader, outcome, f"took over {timeout} s", data
        except Exception as exc:
            if _is_out_of_memory(exc):
                outcome = "memory"
                return reader, outcome, f"ran out of the worker's address space: {exc!r}", data
            return reader, outcome, traceback.format_exc(), data
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            path.unlink(missing_ok=True)
            if full:
                self._after_import(outcome)

    def _after_import(self, outcome: str) -> None:
        """A fresh warehouse after an import that was cut short (its state is unknown) and every 100 imports (so
        the warehouse, and the memory it holds, stays small through a million inputs)."""
        self.imports += 1
        if outcome in ("ok", "refused") and self.imports % 100:
            return
        with contextlib.suppress(Exception):  # a connection left broken by a cut-short import: replaced all the same
            self.project.close()
        for stale in self.scratch.glob("w.duckdb*"):
            stale.unlink()
        self.project = self.opened(self.scratch / "w.duckdb")

    def close(self) -> None:
        self.project.close()
        self.con.close()


def worker(wid: int, tasks: Any, results: Any, current: Any, since: Any, base: Any, options: dict[str, Any]) -> None:
    """Read chunks ``(start, stop)`` from ``tasks`` until ``None``; put each chunk's tally on ``results``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.nice(options["nice"])
    # In the run's scratch folder, which the parent removes at the end even when this worker was killed
    with tempfile.TemporaryDirectory(dir=options.get("scratch"), prefix=f"worker{wid}-") as tmp:
        reader = Reader(Path(tmp))
        memory = Memory()
        for i in range(len(READERS)):  # every reader once, so its threads and caches exist before the cap
            reader.read(i, 0, options["timeout"])
        _cap_address_space(options["guard_mb"])
        base[wid] = _status_mib(os.getpid(), b"VmRSS")
        while (task := tasks.get()) is not None:
            start, stop = task
            tally = Tally(options["top"])
            chunk_cpu = time.process_time()
            for i in range(start, stop):
                current[wid], since[wid] = i, time.monotonic()
                memory.reset()
                before = _status_mib(os.getpid(), b"VmRSS")
                began, cpu = time.perf_counter(), time.process_time()
                name, outcome, why, data = reader.read(i, options["full_every"], options["timeout"])
                seconds = time.perf_counter() - began
                tally.cpu[name] += time.process_time() - cpu
                peak = memory.peak_mib()
                full = options["full_every"] > 0 and i % options["full_every"] == 0
                tally.add(i, name, outcome, seconds, peak, peak - before, full)
                if outcome != "ok" and (outcome != "refused" or why):
                    tally.finding(i, name, outcome if why[:5] != "multi" else "multi-line message", peak, seconds)
                    _save(options["out"], i, name, data, why)
                elif peak > options["max_mb"]:
                    tally.finding(i, name, "over --max-mb", peak, seconds)
                    _save(options["out"], i, name, data, f"peak {peak:.0f} MiB over {options['max_mb']} MiB")
            current[wid] = -1
            tally.loop_cpu = time.process_time() - chunk_cpu
            results.put((wid, start, stop, tally))
        reader.close()


class Tally:
    """What a chunk of inputs (or a whole run, once merged) came to, per reader."""

    def __init__(self, top: int) -> None:
        self.top = top
        self.counts: Counter[tuple[str, str]] = Counter()
        self.seconds: Counter[str] = Counter()
        self.cpu: Counter[str] = Counter()
        self.loop_cpu = 0.0
        self.peak_by_reader: dict[str, float] = defaultdict(float)
        self.heaviest: list[tuple[float, int, str, float]] = []
        self.slowest: list[tuple[float, int, str, float]] = []
        self.findings: list[dict[str, Any]] = []
        self.full = 0

    def add(self, i: int, reader: str, outcome: str, seconds: float, peak: float, grew: float, full: bool) -> None:
        """One input: the heaviest are ranked by how much it grew the worker, the slowest by its seconds."""
        self.counts[reader, outcome] += 1
        self.seconds[reader] += seconds
        self.peak_by_reader[reader] = max(self.peak_by_reader[reader], peak)
        self.full += full
        for kept, value in ((self.heaviest, grew), (self.slowest, seconds)):
            item = (round(value, 3), i, reader, round(peak, 1))
            heapq.heappush(kept, item) if len(kept) < self.top else heapq.heappushpop(kept, item)

    def finding(self, i: int, reader: str, kind: str, peak: float, seconds: float) -> None:
        self.findings.append({"input": i, "reader": reader, "kind": kind, "peak_mib": round(peak, 1),
                              "seconds": round(seconds, 2)})

    def merge(self, other: Tally) -> None:
        self.counts.update(other.counts)
        self.seconds.update(other.seconds)
        self.cpu.update(other.cpu)
        self.loop_cpu += other.loop_cpu
        for reader, peak in other.peak_by_reader.items():
            self.peak_by_reader[reader] = max(self.peak_by_reader[reader], peak)
        self.heaviest = heapq.nlargest(self.top, self.heaviest + other.heaviest)
        self.slowest = heapq.nlargest(self.top, self.slowest + other.slowest)
        self.findings += other.findings
        self.full += other.full

    def total(self, outcome: str) -> int:
        return sum(n for (_, kind), n in self.counts.items() if kind == outcome)

    def by_reader(self) -> dict[str, dict[str, float]]:
        table = {}
        for reader in READERS:
            n = sum(self.counts[reader, kind] for kind in OUTCOMES)
            row: dict[str, float] = {"inputs": n, "imported": self.counts[reader, "ok"],
                                     "refused_in_one_line": self.counts[reader, "refused"],
                                     "traceback": self.counts[reader, "traceback"],
                                     "over_time": self.counts[reader, "hang"],
                                     "out_of_memory": self.counts[reader, "memory"],
                                     "crashed": self.counts[reader, "crash"],
                                     "peak_mib": round(self.peak_by_reader.get(reader, 0.0), 1),
                                     "mean_ms": round(1000 * self.seconds[reader] / n, 2) if n else 0.0,
                                     "mean_cpu_ms": round(1000 * self.cpu[reader] / n, 2) if n else 0.0}
            table[reader] = row
        return table


def _save(out: str, i: int, reader: str, data: bytes, why: str) -> None:
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    if len(list(folder.glob("*.txt"))) < 200:
        (folder / f"{i}-{reader}.input").write_bytes(data[:5_000_000])
        (folder / f"{i}-{reader}.txt").write_text(why)


# -- the run ----------------------------------------------------------------------------------------------------
class Run:
    """The parent: hands out chunks, restarts a worker that had to be killed, and merges the tallies."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.options = {"timeout": args.timeout, "full_every": args.full_every, "out": args.out, "top": args.top,
                        "max_mb": args.max_mb, "guard_mb": args.guard_mb, "nice": args.nice}
        self.context = multiprocessing.get_context("spawn")
        self.tasks = self.context.Queue()
        self.results = self.context.Queue()
        self.current = self.context.Array("q", [-1] * args.workers, lock=False)
        self.since = self.context.Array("d", [0.0] * args.workers, lock=False)
        self.base = self.context.Array("d", [0.0] * args.workers, lock=False)
        self.processes: list[Any] = [None] * args.workers
        self.assigned: dict[int, tuple[int, int]] = {}
        self.tally = Tally(args.top)
        self.worker_peaks = [0.0] * args.workers
        self.killed = 0

    def start(self, wid: int) -> None:
        process = self.context.Process(target=worker, daemon=True, args=(wid, self.tasks, self.results, self.current,
                                                                          self.since, self.base, self.options))
        process.start()
        self.processes[wid] = process

    def go(self) -> dict[str, Any]:
        with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None,
                                         prefix="fuzz-readers-") as scratch:
            self.options["scratch"] = scratch
            return self._go()

    def _go(self) -> dict[str, Any]:
        args = self.args
        chunk = max(1, min(2000, args.inputs // (args.workers * 20) or 1))
        pending = [(s, min(s + chunk, args.first + args.inputs)) for s in range(args.first, args.first + args.inputs,
                                                                                  chunk)]
        for task in pending:
            self.tasks.put(task)
        outstanding = {task: None for task in pending}
        for wid in range(args.workers):
            self.start(wid)
        began, done, told = time.perf_counter(), 0, 0
        while outstanding:
            try:
                wid, start, stop, tally = self.results.get(timeout=0.1)
            except Exception:  # queue.Empty: look after the workers
                self.watch(outstanding)
                continue
            outstanding.pop((start, stop), None)
            self.tally.merge(tally)
            self.worker_peaks[wid] = max([self.worker_peaks[wid], *tally.peak_by_reader.values()])
            done += stop - start
            while done * 10 >= (told + 1) * args.inputs:
                told += 1
                print(f"  {done:,} inputs ({told * 10}%), {self.tally.total('traceback')} tracebacks, "
                      f"{self.tally.total('hang')} hangs, {len(self.tally.findings)} findings, "
                      f"{done / (time.perf_counter() - began):.0f}/s", file=sys.stderr, flush=True)
            self.watch(outstanding)
        for _ in self.processes:
            self.tasks.put(None)
        for process in self.processes:
            process.join(timeout=30)
        return self.summary(time.perf_counter() - began)

    def watch(self, outstanding: dict[tuple[int, int], None]) -> None:
        """Kill a worker grown ``--guard-mb`` past its start or stuck past three timeouts; record its input; go on."""
        for wid, process in enumerate(self.processes):
            i = self.current[wid]
            rss = _status_mib(process.pid, b"VmRSS") if process.is_alive() else 0.0
            self.worker_peaks[wid] = max(self.worker_peaks[wid], rss)
            over = i >= 0 and self.base[wid] > 0 and rss > self.base[wid] + self.args.guard_mb
            stuck = i >= 0 and time.monotonic() - self.since[wid] > 3 * self.args.timeout
            if process.is_alive() and not over and not stuck:
                continue
            if process.is_alive():
                process.kill()
            process.join()
            if i < 0:  # not on an input: starting up failed, and would fail again
                raise SystemExit(f"a fuzz worker stopped outside any input (exit {process.exitcode}); "
                                 "run --replay 0 to see why")
            self.killed += 1
            kind = "killed: over --guard-mb" if over else (
                "killed: stuck" if stuck else f"worker died (exit {process.exitcode})")
            if i >= 0:
                reader = READERS[i % len(READERS)]
                self.tally.counts[reader, "memory" if over else "hang" if stuck else "crash"] += 1
                self.tally.findings.append({"input": i, "reader": reader, "kind": kind, "peak_mib": round(rss, 1)})
                chunk = next((c for c in outstanding if c[0] <= i < c[1]), None)
                if chunk is not None:  # the rest of its chunk is read again by whichever worker is free
                    outstanding.pop(chunk)
                    for part in ((chunk[0], i), (i + 1, chunk[1])):
                        if part[0] < part[1]:
                            outstanding[part] = None
                            self.tasks.put(part)
            self.current[wid] = -1
            self.start(wid)

    def summary(self, elapsed: float) -> dict[str, Any]:
        t = self.tally
        n = sum(t.counts.values())
        rate = n / elapsed if elapsed else 0.0
        return {
            "inputs": n, "first": self.args.first, "workers": self.args.workers, "seconds": round(elapsed, 1),
            "inputs_per_second": round(rate, 1),
            "inputs_per_second_per_worker": round(rate / self.args.workers, 1),
            "projected_minutes_for_1M": round(1_000_000 / rate / 60, 1) if rate else None,
            # CPU seconds of the workers' loops (generating, writing, reading, measuring) and of the readers alone:
            # what a quiet machine's wall clock would show, measured on a busy one too
            "worker_cpu_seconds": round(t.loop_cpu, 1),
            "inputs_per_worker_cpu_second": round(n / t.loop_cpu, 1) if t.loop_cpu else None,
            "reader_cpu_seconds": round(sum(t.cpu.values()), 1),
            "ok": t.total("ok"), "refused_in_one_line": t.total("refused"), "tracebacks": t.total("traceback"),
            "hangs": t.total("hang"), "out_of_memory": t.total("memory"), "crashes": t.total("crash"),
            "multi_line_messages": sum(f["kind"] == "multi-line message" for f in t.findings),
            "over_max_mb": sum(f["kind"] == "over --max-mb" for f in t.findings),
            "workers_killed": self.killed, "through_public_api": t.full,
            "memory_per_input_measured": Memory().per_input,
            "peak_mib_per_input": round(max(t.peak_by_reader.values(), default=0.0), 1),
            "peak_mib_per_worker": [round(p, 1) for p in self.worker_peaks],
            "heaviest_inputs": [{"input": i, "reader": r, "peak_mib": mb, "grew_mib": round(grew, 1)}
                                for grew, i, r, mb in sorted(t.heaviest)[::-1]],
            "slowest_inputs": [{"input": i, "reader": r, "seconds": s, "peak_mib": mb}
                               for s, i, r, mb in sorted(t.slowest)[::-1]],
            "readers": t.by_reader(),
            "tracebacks_by_reader": {r: row["traceback"] for r, row in t.by_reader().items() if row["traceback"]},
            "findings": t.findings[:50],
        }


def replay(i: int, full_every: int, timeout: float) -> None:
    """Input ``i`` again, through the same path as in a run, with its traceback and its peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        reader = Reader(Path(tmp))
        memory = Memory()
        name, data = generate(i, reader.seed)
        kept = Path(tempfile.mkdtemp()) / f"{i}-{name}.input"
        kept.write_bytes(data)
        print(f"input {i}: {name}, {len(data):,} bytes (kept at {kept})", flush=True)
        memory.reset()
        began = time.perf_counter()
        _, outcome, why, _ = reader.read(i, full_every, timeout)
        print(f"{outcome} in {time.perf_counter() - began:.2f} s, peak {memory.peak_mib():.0f} MiB "
              f"(per input: {memory.per_input})")
        if why:
            print(why)
        reader.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds one input may take before it is a hang")
    parser.add_argument("--full-every", type=int, default=200, help="every n-th input goes through the public API")
    parser.add_argument("--first", type=int, default=0, help="number of the first input (to split a run)")
    parser.add_argument("--out", default="fuzz-findings", help="where failing inputs are saved")
    parser.add_argument("--max-mb", type=int, default=1024, help="an input whose peak RSS passes this is a finding")
    parser.add_argument("--guard-mb", type=int, default=3072,
                        help="a worker may map, and hold resident, this much more than at its start")
    parser.add_argument("--top", type=int, default=10, help="how many heaviest and slowest inputs to name")
    parser.add_argument("--nice", type=int, default=0, help="niceness added in the workers")
    parser.add_argument("--replay", type=int, default=None, help="regenerate input i and read it, with traceback")
    args = parser.parse_args()
    if args.replay is not None:
        replay(args.replay, args.full_every, args.timeout)
        return
    figures = Run(args).go()
    print(_table(figures), file=sys.stderr)
    print(json.dumps(figures, indent=2))


def _table(figures: dict[str, Any]) -> str:
    """The per-reader counts as a text table, for a note; the JSON on standard output has everything."""
    head = ("reader", "inputs", "imported", "refused", "traceback", "over time", "memory", "crashed", "peak MiB",
            "cpu ms")
    keys = ("inputs", "imported", "refused_in_one_line", "traceback", "over_time", "out_of_memory", "crashed",
            "peak_mib", "mean_cpu_ms")
    rows = [head] + [(name, *(f"{row[k]:,}" for k in keys)) for name, row in figures["readers"].items()]
    widths = [max(len(r[c]) for r in rows) for c in range(len(head))]
    lines = ["  ".join(cell.rjust(w) if c else cell.ljust(w) for c, (cell, w) in enumerate(zip(r, widths, strict=True)))
             for r in rows]
    return "\n".join([
        *lines,
        f"{figures['inputs']:,} inputs in {figures['seconds']:,} s ({figures['inputs_per_second']}/s on "
        f"{figures['workers']} workers; {figures['inputs_per_worker_cpu_second']} per worker CPU second); "
        f"{figures['tracebacks']} tracebacks, {figures['hangs']} hangs, {figures['out_of_memory']} out of memory, "
        f"{figures['crashes']} crashes; peak {figures['peak_mib_per_input']:.0f} MiB per input, "
        f"{max(figures['peak_mib_per_worker'], default=0):.0f} MiB per worker",
    ])


if __name__ == "__main__":
    main()
