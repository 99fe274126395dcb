"""A synthetic site with a planted, known truth: the demo data and the yardstick for every analysis.

``simulate_world`` draws a site in memory (fast, for validation runs over many seeds); ``generate`` also
writes the files a real site would hand over: an access log, a Search Console export, post exports, backlinks,
and ``truth.json`` with everything that was planted and counted. See ``docs/demo-data.md``.
"""

from socialseo.demo.generate import GeneratedFiles, generate
from socialseo.demo.world import DemoConfigError, World, WorldConfig, simulate_world

__all__ = ["DemoConfigError", "GeneratedFiles", "World", "WorldConfig", "generate", "simulate_world"]
