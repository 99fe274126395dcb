"""Host-level PageRank on Spark, for link graphs the size of a Common Crawl host graph.

The single-machine :func:`socialseo.analysis.pagerank.pagerank` handles millions of edges in seconds; this job is
for the graphs that do not fit in memory. Page links are collapsed to host links (``a.example.com`` ->
``b.example.org``, each pair once, links within a host dropped: a host does not vote for itself), then the same
power iteration runs as DataFrame joins: damping 0.85, the rank of hosts without out-links shared evenly, stop
when the L1 change is below ``n * tol`` or after ``max_iter`` rounds. The lineage is cut every round so the
plan does not grow with the iterations.

    spark-submit -m socialseo.spark.host_pagerank edges.parquet ranks.parquet
"""

from __future__ import annotations

import sys
from typing import Any

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F


def host_edges(edges: DataFrame, src: str = "src", dst: str = "dst") -> DataFrame:
    """Distinct (src_host, dst_host) pairs of different hosts, from URL columns ``src`` and ``dst``."""
    host = lambda c: F.lower(F.expr(f"parse_url({c}, 'HOST')"))  # noqa: E731
    return (edges.select(host(src).alias("src"), host(dst).alias("dst"))
            .where("src IS NOT NULL AND dst IS NOT NULL AND src <> dst").distinct())


def pagerank(edges: DataFrame, *, alpha: float = 0.85, tol: float = 1e-6, max_iter: int = 100) -> DataFrame:
    """PageRank of every node in an edge DataFrame (``src``, ``dst``; duplicates count once): ``node, rank``."""
    spark = edges.sparkSession
    edges = edges.select("src", "dst").distinct().cache()
    nodes = edges.select(F.col("src").alias("node")).union(edges.select(F.col("dst").alias("node"))).distinct()
    n = nodes.count()
    if n == 0:
        return spark.createDataFrame([], "node string, rank double")
    out_degree = edges.groupBy("src").agg(F.count("*").alias("degree"))
    weighted = edges.join(out_degree, "src").select("src", "dst", (1.0 / F.col("degree")).alias("w")).cache()
    has_out = out_degree.select(F.col("src").alias("node"), F.lit(True).alias("has_out"))
    ranks = nodes.join(has_out, "node", "left").select(
        "node", F.coalesce("has_out", F.lit(False)).alias("has_out"), F.lit(1.0 / n).alias("rank")).cache()
    dangling_mass = float(ranks.where(~F.col("has_out")).count()) / n
    for _ in range(max_iter):
        contributions = weighted.join(ranks.select(F.col("node").alias("src"), "rank"), "src").groupBy("dst").agg(
            F.sum(F.col("w") * F.col("rank")).alias("incoming"))
        new = ranks.join(contributions.withColumnRenamed("dst", "node"), "node", "left").select(
            "node", "has_out", "rank",
            (F.lit(alpha) * (F.coalesce("incoming", F.lit(0.0)) + F.lit(dangling_mass / n))
             + F.lit((1 - alpha) / n)).alias("new_rank"))
        # one job per round: cut the lineage, and read the change and next round's dangling mass together
        new = new.localCheckpoint()
        row = new.agg(F.sum(F.abs(F.col("new_rank") - F.col("rank"))),
                      F.sum(F.when(~F.col("has_out"), F.col("new_rank")).otherwise(0.0))).first()
        change, dangling_mass = (float(row[0] or 0.0), float(row[1] or 0.0)) if row else (0.0, 0.0)
        ranks = new.select("node", "has_out", F.col("new_rank").alias("rank"))
        if change < n * tol:
            break
    total_row = ranks.agg(F.sum("rank")).first()
    total = float(total_row[0]) if total_row else 1.0
    return ranks.select("node", (F.col("rank") / total).alias("rank"))


def main(argv: list[str] | None = None) -> int:
    """``host_pagerank EDGES.parquet OUT.parquet``: page-level edges with ``src``/``dst`` URL columns in."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: host_pagerank EDGES.parquet OUT.parquet", file=sys.stderr)
        return 2
    spark = SparkSession.builder.appName("socialseo-host-pagerank").getOrCreate()
    ranks: Any = pagerank(host_edges(spark.read.parquet(args[0])))
    ranks.write.mode("overwrite").parquet(args[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
