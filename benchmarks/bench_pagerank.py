"""PageRank throughput: socialseo (SciPy CSR power iteration) against networkit and networkx, same graph, one run.

    python benchmarks/bench_pagerank.py [--nodes 1000000] [--edges 5000000] [--nx-edges 500000]

The graph is random with a heavy-tailed in-degree (a few pages get most links, like a real site). socialseo and
networkit run on the full graph; networkx, which needs minutes there, runs on a prefix of ``--nx-edges`` edges,
and the ratio compares edges per second. Every timing starts from the integer edge arrays and includes building
the engine's own graph, since that is most of the cost. All use damping 0.85 and the same stopping rule.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import numpy as np

from socialseo.analysis.pagerank import pagerank_arrays


def _networkit() -> object:
    try:
        import networkit
    except ImportError:  # the peer is a benchmark-only dependency
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "networkit"], check=True)
        import networkit
    return networkit


def graph(nodes: int, edges: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    src = rng.integers(0, nodes, edges, dtype=np.int64)
    dst = np.minimum((rng.pareto(1.2, edges) * nodes / 50).astype(np.int64), nodes - 1)
    return src, rng.permutation(nodes)[dst]


def time_ours(src: np.ndarray, dst: np.ndarray, n: int) -> tuple[float, np.ndarray]:
    start = time.perf_counter()
    rank = pagerank_arrays(src, dst, n, tol=1e-6)
    return time.perf_counter() - start, rank


def time_networkit(src: np.ndarray, dst: np.ndarray, n: int) -> tuple[float, np.ndarray]:
    nk = _networkit()
    start = time.perf_counter()
    g = nk.Graph(n, weighted=False, directed=True)  # type: ignore[attr-defined]
    g.addEdges((src.astype(np.uint64), dst.astype(np.uint64)))
    g.removeMultiEdges()
    built = time.perf_counter()
    pr = nk.centrality.PageRank(g, damp=0.85, tol=1e-6,  # type: ignore[attr-defined]
                                distributeSinks=nk.centrality.SinkHandling.DistributeSinks)  # type: ignore[attr-defined]
    pr.norm = nk.centrality.Norm.L1_NORM  # type: ignore[attr-defined]
    pr.run()
    scores = np.asarray(pr.scores())
    print(f"  networkit: building the graph {built - start:.2f} s, PageRank {time.perf_counter() - built:.2f} s")
    return time.perf_counter() - start, scores / scores.sum()


def time_networkx(src: np.ndarray, dst: np.ndarray, n: int) -> tuple[float, dict[int, float]]:
    import networkx as nx

    start = time.perf_counter()
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))
    rank = nx.pagerank(g, alpha=0.85, tol=1e-6)
    return time.perf_counter() - start, rank


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--edges", type=int, default=5_000_000)
    parser.add_argument("--nx-edges", type=int, default=500_000)
    args = parser.parse_args()
    src, dst = graph(args.nodes, args.edges)
    t_ours, ours = time_ours(src, dst, args.nodes)
    t_nk, nk_rank = time_networkit(src, dst, args.nodes)
    m = args.nx_edges
    sub_n = int(max(src[:m].max(), dst[:m].max())) + 1
    t_nx, nx_rank = time_networkx(src[:m], dst[:m], sub_n)
    t_ours_small, ours_small = time_ours(src[:m], dst[:m], sub_n)
    nx_diff = np.abs(ours_small - np.array([nx_rank[i] for i in range(sub_n)])).max()
    rate = {"socialseo": args.edges / t_ours, "networkit": args.edges / t_nk, "networkx": m / t_nx}
    print(f"graph: {args.nodes:,} nodes, {args.edges:,} edges (networkx: first {m:,} edges)")
    print(f"socialseo (SciPy CSR): {t_ours:7.2f} s  {rate['socialseo'] / 1e6:6.2f} M edges/s")
    print(f"networkit PageRank   : {t_nk:7.2f} s  {rate['networkit'] / 1e6:6.2f} M edges/s")
    print(f"networkx pagerank    : {t_nx:7.2f} s  {rate['networkx'] / 1e6:6.3f} M edges/s "
          f"(socialseo on the same {m:,} edges: {t_ours_small:.2f} s, max rank difference {nx_diff:.2e})")
    print(f"ratio socialseo / networkx edges/s: {rate['socialseo'] / rate['networkx']:.0f}x")
    print(f"ratio socialseo / networkit edges/s: {rate['socialseo'] / rate['networkit']:.2f}x "
          f"(max rank difference {np.abs(ours - nk_rank).max():.2e})")


if __name__ == "__main__":
    main()
