"""Reads tables revsim wrote as CSV and as Parquet with pandas and checks they hold the same values.

Usage: python pandas_parquet.py CSV PARQUET [CSV PARQUET ...]   (tests/salib.rs writes them)
Each Parquet file is read with pd.read_parquet (pyarrow), each CSV file with pd.read_csv; the
Parquet DATE columns (datetime.date) are compared as ISO text, empty CSV fields with nulls.
Exits 1 naming the first table that differs.
"""
import datetime
import sys

import numpy as np
import pandas as pd

args = sys.argv[1:]
if not args or len(args) % 2:
    sys.exit(__doc__)
failed = []
for csv_path, parquet_path in zip(args[::2], args[1::2]):
    csv = pd.read_csv(csv_path)
    parquet = pd.read_parquet(parquet_path, engine="pyarrow")
    for column in parquet.columns:
        values = parquet[column].dropna()
        if len(values) and all(isinstance(v, datetime.date) for v in values):
            parquet[column] = parquet[column].map(
                lambda v: v.isoformat() if isinstance(v, datetime.date) else np.nan
            )
    try:
        if len(csv) == 0:
            raise AssertionError("the CSV table is empty")
        pd.testing.assert_frame_equal(csv, parquet, check_dtype=False, check_exact=True)
        ints = [c for c in ["run", "point", "replicate", "seed", "step"] if c in parquet]
        assert all(parquet[c].dtype == np.int64 for c in ints), parquet.dtypes
    except AssertionError as error:
        failed.append(f"{parquet_path} differs from {csv_path}: {error}")
        continue
    print(f"{parquet_path}: {len(parquet)} rows x {len(parquet.columns)} columns, as the CSV")
if failed:
    sys.exit("\n".join(failed))
