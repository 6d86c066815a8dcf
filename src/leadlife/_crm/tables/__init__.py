"""Plain tables in: any CSV, Parquet file or dataframe, read through a mapping given as data."""
