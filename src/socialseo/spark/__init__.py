"""PySpark jobs: the same analyses for data that does not fit one machine. PySpark is an optional dependency."""
