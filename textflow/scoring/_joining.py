"""Join scored parts into one file, in input order, naming each row's input file."""

from __future__ import annotations

import csv
import json
import shutil


def join_parts(parts, names, target, output_format):
    """Concatenate ``parts``; with several, prepend a ``file`` column holding ``names``."""
    if len(parts) == 1 and output_format != "parquet":
        shutil.copyfile(parts[0], target)
        return
    if output_format in ("csv", "tsv"):
        _join_delimited(parts, names, target, "\t" if output_format == "tsv" else ",")
    elif output_format == "jsonl":
        _join_json_lines(parts, names, target)
    elif output_format == "parquet":
        _join_parquet(parts, names, target)
    else:
        with open(target, "wb") as out:
            for part in parts:
                with open(part, "rb") as file:
                    shutil.copyfileobj(file, out)


def _join_delimited(parts, names, target, delimiter):
    with open(target, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        for index, (part, name) in enumerate(zip(parts, names)):
            with open(part, encoding="utf-8", newline="") as file:
                rows = csv.reader(file, delimiter=delimiter)
                header = next(rows)
                if index == 0:
                    writer.writerow(["file", *header])
                writer.writerows([name, *row] for row in rows)


def _join_json_lines(parts, names, target):
    with open(target, "w", encoding="utf-8") as out:
        for part, name in zip(parts, names):
            prefix = '{"file": ' + json.dumps(name, ensure_ascii=False) + ", "
            with open(part, encoding="utf-8") as file:
                out.writelines(prefix + line[1:] for line in file)


def _join_parquet(parts, names, target):
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    try:
        for part, name in zip(parts, names):
            table = pq.read_table(part)
            table = table.add_column(0, "file", pa.array([name] * table.num_rows, pa.string()))
            if writer is None:
                writer = pq.ParquetWriter(target, table.schema)
            writer.write_table(table.cast(writer.schema))
    finally:
        if writer is not None:
            writer.close()
