"""PageRank against networkx, on random graphs and on the real Hollins web graph, and the social what-if."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from tests.conftest import shared_sample

from socialseo.analysis.pagerank import link_equity, load_link_graph, pagerank
from socialseo.store.warehouse import Warehouse


def _networkx(edges: pd.DataFrame, nodes: list[object]) -> pd.Series:
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(zip(edges["src"], edges["dst"], strict=True))
    return pd.Series(nx.pagerank(graph, alpha=0.85, tol=1e-12, max_iter=1000))


@pytest.mark.parametrize(("nodes", "links", "seed"), [(10, 25, 0), (200, 800, 1), (1000, 2500, 2)])
def test_matches_networkx_on_random_graphs_with_dangling_pages_and_duplicates(nodes: int, links: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    edges = pd.DataFrame({"src": rng.integers(0, nodes, links), "dst": rng.integers(0, nodes, links)})
    ours = pagerank(edges, tol=1e-12)
    ref = _networkx(edges, list(ours.index))
    assert np.abs(ours.to_numpy() - ref.reindex(ours.index).to_numpy()).max() < 1e-6


def test_matches_networkx_on_the_hollins_web_graph() -> None:
    path = shared_sample("hollins-webgraph", "hollins.dat")
    edges = pd.read_csv(path, sep=r"\s+").rename(columns={"start": "src", "end": "dst"})
    ours = pagerank(edges, tol=1e-12)
    ref = _networkx(edges, list(ours.index))
    assert len(ours) > 5000
    assert np.abs(ours.to_numpy() - ref.reindex(ours.index).to_numpy()).max() < 1e-6


def test_social_nofollow_links_are_worth_nothing_followed_and_something_if_they_passed_equity() -> None:
    edges = pd.DataFrame({
        "src": ["/", "/", "/a", "https://x.com/post/1", "https://reddit.com/r/x/1", "https://blog.example.org/p"],
        "dst": ["/a", "/b", "/", "/b", "/b", "/a"],
        "followed": [True, True, True, False, False, True],
        "is_social": [False, False, False, True, True, False],
    })
    table = link_equity(edges).set_index("page")
    assert table.loc["/b", "social_inlinks"] == 2 and table.loc["/b", "followed_inlinks"] == 1
    assert table.loc["/b", "social_gain"] > 0
    assert table.loc["/a", "social_gain"] < 0, "rank is shared: a gain for /b is a loss elsewhere"
    assert np.isclose(table["pagerank_followed"].sum(), len(table))


def test_link_graph_loader_reads_backlinks_from_the_warehouse(warehouse: Warehouse) -> None:
    warehouse.con.execute(
        "INSERT INTO backlinks (source_url, source_platform, target_url, target_page, is_followed, found_by) VALUES "
        "('https://x.com/a/status/1', 'x', 'https://www.example.com/b/', '/b', false, 'export'), "
        "('https://news.example.org/', NULL, 'https://www.example.com/', '/', true, 'export')"
    )
    edges = load_link_graph(warehouse.con)
    assert sorted(edges["dst"]) == ["/", "/b"]
    assert edges.set_index("dst").loc["/b", "is_social"]
    assert not link_equity(edges).empty
