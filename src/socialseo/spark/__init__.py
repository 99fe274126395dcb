"""PySpark jobs: the single-machine readers run on a cluster's executors, for inputs that do not fit one machine.

``python -m socialseo.spark.backlinks_job LISTING OUTPUT --site HOST`` (or through ``spark-submit``) finds social
backlinks in WARC/WAT archives; ``socialseo ingest backlinks-parquet OUTPUT`` loads what it wrote.
``socialseo.spark.host_pagerank`` computes host-level PageRank for link graphs too large for one machine.
PySpark is an optional dependency (the ``spark`` extra).
"""
