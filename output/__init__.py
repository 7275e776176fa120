"""output: write Parquet, CSV and DuckDB, metadata, and publish a release atomically."""
