"""Direct link equity: PageRank over the site's link graph, with and without social links passing equity.

Links from social platforms are almost all ``nofollow`` or ``ugc``: search engines say they pass no ranking
signal. PageRank is computed twice over the same graph (internal links from the crawl plus external backlinks):
once with followed links only (what links pass) and once treating social nofollow/ugc links as followed (what they
would be worth if they passed equity). The difference per page is the most social links could do directly.

The computation is sparse-matrix power iteration (SciPy CSR), the same iteration and stopping rule as
``networkx.pagerank``: damping 0.85, dangling pages share their rank evenly, stop when the L1 change is below
``n * tol``. Duplicate edges count once, as in a networkx ``DiGraph``.
"""

from __future__ import annotations

import duckdb
import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp

from socialseo.analysis.impact.panel import table_exists

EDGE_COLUMNS = ("src", "dst", "followed", "is_social")


def pagerank_arrays(src: npt.NDArray[np.int64], dst: npt.NDArray[np.int64], n: int, *, alpha: float = 0.85,
                    tol: float = 1e-6, max_iter: int = 100) -> npt.NDArray[np.float64]:
    """PageRank of nodes ``0..n-1`` from integer edge arrays. The building block for large graphs."""
    if n == 0:
        return np.zeros(0)
    # Build transition^T in CSR directly: one sort of the edge keys by (dst, src) both drops duplicate links (a
    # link counts once however often it is repeated) and yields the row order, so SciPy never converts formats.
    keys = np.sort(dst.astype(np.int64) * n + src.astype(np.int64))
    keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])] if len(keys) else keys  # np.unique: 100x slower
    rows, cols = np.divmod(keys, n)
    out_degree = np.bincount(cols, minlength=n).astype(np.float64)
    dangling = out_degree == 0
    inv = np.divide(1.0, out_degree, out=np.zeros(n), where=~dangling)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))])
    transition_t = sp.csr_array((inv[cols], cols, indptr), shape=(n, n))
    rank = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        previous = rank
        rank = alpha * (transition_t @ rank + previous[dangling].sum() / n) + (1 - alpha) / n
        if np.abs(rank - previous).sum() < n * tol:
            break
    return np.asarray(rank / rank.sum(), dtype=np.float64)


def pagerank(edges: pd.DataFrame, *, alpha: float = 0.85, tol: float = 1e-6) -> pd.Series:
    """PageRank of every node named in ``edges`` (columns ``src``, ``dst``), indexed by node name."""
    codes, names = pd.factorize(pd.concat([edges["src"], edges["dst"]], ignore_index=True), sort=True)
    m = len(edges)
    rank = pagerank_arrays(codes[:m].astype(np.int64), codes[m:].astype(np.int64), len(names), alpha=alpha, tol=tol)
    return pd.Series(rank, index=pd.Index(names, name="node"), name="pagerank")


def link_equity(edges: pd.DataFrame, own_pages: set[str] | None = None) -> pd.DataFrame:
    """Per page: PageRank with followed links only, and if social links were followed too.

    ``edges`` has ``src, dst, followed, is_social``. Every node keeps its place in both graphs (nodes with no
    followed link are still pages), so the two columns are comparable. ``own_pages`` limits the rows returned.
    """
    if edges.empty:
        return pd.DataFrame(columns=["page", "pagerank_followed", "pagerank_social_followed", "social_gain",
                                     "social_inlinks", "followed_inlinks"])
    nodes = pd.Index(pd.unique(pd.concat([edges["src"], edges["dst"]], ignore_index=True)))
    src = nodes.get_indexer(pd.Index(edges["src"])).astype(np.int64)
    dst = nodes.get_indexer(pd.Index(edges["dst"])).astype(np.int64)
    followed = edges["followed"].fillna(False).astype(bool).to_numpy()
    counts_social = edges["is_social"].fillna(False).astype(bool).to_numpy()
    if_followed = followed | counts_social
    n = len(nodes)
    scale = float(n)  # ranks times n: 1.0 is an average page, easier to read than 1e-6
    base = pagerank_arrays(src[followed], dst[followed], n) * scale
    what_if = pagerank_arrays(src[if_followed], dst[if_followed], n) * scale
    social_in = np.bincount(dst[counts_social & ~followed], minlength=n)
    followed_in = np.bincount(dst[followed], minlength=n)
    out = pd.DataFrame({
        "page": nodes, "pagerank_followed": base, "pagerank_social_followed": what_if,
        "social_gain": what_if - base, "social_inlinks": social_in, "followed_inlinks": followed_in,
    })
    if own_pages is not None:
        out = out[out["page"].isin(own_pages)]
    return out.sort_values("pagerank_followed", ascending=False, ignore_index=True)


def load_link_graph(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Edges from ``backlinks`` and, when the crawler has filled it, the site's internal links.

    Backlinks point at the page key (``target_page``) so that they meet internal links on the same node name.
    A link is social when its source is on a social platform.
    """
    parts = []
    if table_exists(con, "backlinks"):
        parts.append(con.execute(
            "SELECT source_url AS src, coalesce(target_page, target_url) AS dst, is_followed AS followed, "
            "source_platform IS NOT NULL AS is_social FROM backlinks WHERE NOT lost"
        ).df())
    for table in ("page_links", "crawl_links", "links"):
        if not table_exists(con, table):
            continue
        cols = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]).fetchall()}
        src = next((c for c in ("source_page", "from_page", "source_url", "src") if c in cols), None)
        dst = next((c for c in ("target_page", "to_page", "target_url", "dst") if c in cols), None)
        if src is None or dst is None:
            continue
        followed = "is_followed" if "is_followed" in cols else (
            "NOT coalesce(rel, '') SIMILAR TO '.*(nofollow|ugc|sponsored).*'" if "rel" in cols else "true")
        parts.append(con.execute(
            f"SELECT {src} AS src, {dst} AS dst, {followed} AS followed, false AS is_social FROM {table} "
            f"WHERE {src} IS NOT NULL AND {dst} IS NOT NULL"
        ).df())
        break
    if not parts:
        return pd.DataFrame(columns=list(EDGE_COLUMNS))
    return pd.concat(parts, ignore_index=True)[list(EDGE_COLUMNS)]
