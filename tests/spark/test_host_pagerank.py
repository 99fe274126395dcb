"""The Spark host-level PageRank gives the single-machine answer on a graph small enough to check."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import pytest

from socialseo.analysis.pagerank import pagerank as local_pagerank

pytestmark = pytest.mark.spark
pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Spark needs Java on the PATH", allow_module_level=True)

from pyspark.sql import SparkSession  # noqa: E402

from socialseo.spark.host_pagerank import host_edges, pagerank  # noqa: E402


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    session = (SparkSession.builder.master("local[2]").appName("socialseo-tests")
               .config("spark.sql.shuffle.partitions", "2").config("spark.ui.enabled", "false").getOrCreate())
    yield session
    session.stop()


def _edges(seed: int, hosts: int, links: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    names = [f"h{i}.example.org" if i % 3 else f"WWW.Site{i}.com" for i in range(hosts)]
    src = rng.integers(0, hosts, links)
    dst = rng.integers(0, hosts, links)
    return pd.DataFrame({
        "src": [f"https://{names[s]}/page/{k}" for k, s in enumerate(src)],
        "dst": [f"http://{names[d]}/x?y={k}" for k, d in enumerate(dst)],
    })


def test_host_graph_pagerank_matches_the_single_machine_pagerank(spark: SparkSession) -> None:
    pages = _edges(3, 60, 400)
    ranks = pagerank(host_edges(spark.createDataFrame(pages)), tol=1e-6).toPandas().set_index("node")["rank"]
    hosts = pd.DataFrame({"src": pages["src"].map(lambda u: urlsplit(u).hostname),
                          "dst": pages["dst"].map(lambda u: urlsplit(u).hostname)})
    hosts = hosts[hosts["src"] != hosts["dst"]]
    expected = local_pagerank(hosts, tol=1e-6)
    assert set(ranks.index) == set(expected.index)
    assert np.abs(ranks.reindex(expected.index).to_numpy() - expected.to_numpy()).max() < 1e-5
    assert "www.site3.com" in ranks.index, "hosts are lower-cased"


def test_an_empty_graph_gives_no_ranks(spark: SparkSession) -> None:
    empty = spark.createDataFrame([], "src string, dst string")
    assert pagerank(host_edges(empty)).count() == 0
