"""Write the demo site's files: access log, Search Console export, post exports, backlinks and the truth.

>>> from pathlib import Path
>>> import tempfile
>>> files = generate(Path(tempfile.mkdtemp()), n_pages=30, days=60, target_log_lines=5_000)
>>> files.access_log.name, sorted(files.posts)[:2]
('access.log.gz', ['facebook', 'instagram'])
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from socialseo.demo.bots import CENSOR_DAYS, RECRAWL_HOURS, bot_hits
from socialseo.demo.exports import (
    write_backlinks,
    write_json,
    write_search_console,
)
from socialseo.demo.logfile import malformed_count, write_log
from socialseo.demo.platforms import expected_pages
from socialseo.demo.post_exports import write_platform_exports
from socialseo.demo.search_console import search_console_rows
from socialseo.demo.sessions import Clock, expected_lines_per_session, render_sessions
from socialseo.demo.truth import log_truth, search_console_truth, utc_offset_text
from socialseo.demo.visits import expected_mix, plan_sessions
from socialseo.demo.world import World, WorldConfig, simulate_world
from socialseo.store.warehouse import file_sha256

BOT_SHARE = 0.20
"""Share of log lines the sizing aims to give to bots; the bots then fill the log up to the requested size."""
_STREAM_VISITS, _STREAM_HITS, _STREAM_BOTS, _STREAM_MALFORMED, _STREAM_GSC = range(20, 25)


@dataclass(frozen=True)
class GeneratedFiles:
    """Paths of everything ``generate`` wrote."""

    out_dir: Path
    access_log: Path
    search_console: Path
    posts: dict[str, Path]
    backlinks: Path
    truth: Path

    def all(self) -> list[Path]:
        """Every file, truth last."""
        return [self.access_log, self.search_console, *self.posts.values(), self.backlinks, self.truth]


def log_scale(world: World, target_log_lines: int) -> float:
    """Factor on every channel's sessions that makes the human lines about their share of the target."""
    per_unit = sum(
        n * expected_lines_per_session(expected_pages(bounce, stop))
        for n, bounce, stop in expected_mix(world)
    )
    return (target_log_lines * (1.0 - BOT_SHARE)) / per_unit if per_unit > 0 else 1.0


def generate(
    out_dir: Path,
    seed: int = 7,
    *,
    n_pages: int = 200,
    days: int = 180,
    target_log_lines: int = 300_000,
    plant_recrawls: bool = True,
) -> GeneratedFiles:
    """Simulate a site and write its files to ``out_dir`` (created if missing). Same seed, same bytes.

    ``plant_recrawls=False`` writes the same site without the Googlebot fetches planted after posts (its truth
    then lists no recrawled page): the null the crawl chain's coverage is checked against.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    config = WorldConfig(seed=seed, n_pages=n_pages, days=days)
    world = simulate_world(config)
    clock = Clock(config.start, config.days, utc_offset_text(config.utc_offset_minutes))

    scale = log_scale(world, target_log_lines)
    plan = plan_sessions(world, scale, config.rng(_STREAM_VISITS))
    human = render_sessions(world, plan, clock, config.rng(_STREAM_HITS))
    n_malformed = malformed_count(target_log_lines)
    budget = max(target_log_lines - len(human.lines) - n_malformed, len(human.lines) // 10)
    bots = bot_hits(world, budget, clock, config.rng(_STREAM_BOTS), plant_recrawls=plant_recrawls)
    access_log = out_dir / "access.log.gz"
    stats = write_log(
        access_log,
        human.times + bots.times,
        human.lines + bots.lines,
        n_malformed,
        config.rng(_STREAM_MALFORMED),
    )

    gsc_rows = search_console_rows(world, config.rng(_STREAM_GSC))
    search_console = out_dir / "search_console.csv"
    write_search_console(gsc_rows, search_console)
    posts = write_platform_exports(world.posts, out_dir)
    backlinks = out_dir / "backlinks.csv"
    write_backlinks(world.backlinks, backlinks)

    truth = dict(world.truth)
    truth["access_log"] = log_truth(
        human.tally, bots.by_bot, stats, scale, clock_offset=config.utc_offset_minutes
    )
    truth["search_console"] = search_console_truth(gsc_rows)
    truth["backlinks"] = {"rows": len(world.backlinks), "followed": int((world.backlinks["rel"] == "").sum())}
    truth["shares"] = {"preview_fetches": dict(sorted(bots.previews.items()))}
    truth["crawl_chain"] = {"recrawl_hours": RECRAWL_HOURS, "censor_days": CENSOR_DAYS,
                            "latency_change_hours": bots.recrawl.expected,
                            "realised_latency_change_hours": bots.recrawl.realised}
    files = GeneratedFiles(
        out_dir=out_dir,
        access_log=access_log,
        search_console=search_console,
        posts=posts,
        backlinks=backlinks,
        truth=out_dir / "truth.json",
    )
    truth["files"] = {path.name: file_sha256(path) for path in files.all()[:-1]}
    write_json(truth, files.truth)
    return files
