"""Write scored rows as CSV/TSV, JSON Lines, Parquet or plain text, one chunk at a time."""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from pathlib import Path

from ._readers import InputFormatError


def open_text_output(target):
    """A text stream for a path (``.gz`` compresses) or ``"-"`` (standard output)."""
    if target is None or str(target) == "-":
        return sys.stdout, False
    path = Path(target)
    if path.suffix.lower() == ".gz":
        return io.TextIOWrapper(gzip.open(path, "wb"), encoding="utf-8", newline=""), True
    return open(path, "w", encoding="utf-8", newline=""), True


class _TextStreamWriter:
    def __init__(self, target, columns):
        self.columns = columns
        self.stream, self._owned = open_text_output(target)

    def close(self):
        if self._owned:
            self.stream.close()
        else:
            self.stream.flush()


class CSVWriter(_TextStreamWriter):
    def __init__(self, target, columns, delimiter=","):
        super().__init__(target, columns)
        self._csv = csv.writer(self.stream, delimiter=delimiter, lineterminator="\n")
        self._csv.writerow(columns)

    def write(self, table):
        self._csv.writerows(zip(*(table[name] for name in self.columns)))


class JSONLinesWriter(_TextStreamWriter):
    def write(self, table):
        names = self.columns
        dumps = json.dumps
        self.stream.writelines(
            dumps(dict(zip(names, values)), ensure_ascii=False) + "\n"
            for values in zip(*(table[name] for name in names))
        )


class TextWriter(_TextStreamWriter):
    """One prediction per line, in input order (an empty line for an error)."""

    def write(self, table):
        self.stream.writelines(
            ("" if label is None else str(label)) + "\n" for label in table[self.columns[1]]
        )


class ParquetWriter:
    def __init__(self, target, columns):
        if target is None or str(target) == "-":
            raise InputFormatError("Parquet output must be a file, not standard output")
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise InputFormatError("writing Parquet needs pyarrow: pip install pyarrow") from None
        self.target, self.columns, self._writer = target, columns, None

    def write(self, table):
        import pyarrow as pa
        import pyarrow.parquet as pq

        arrow = pa.table({name: table[name] for name in self.columns})
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.target, arrow.schema)
        elif arrow.schema != self._writer.schema:
            arrow = arrow.cast(self._writer.schema)
        self._writer.write_table(arrow)

    def close(self):
        if self._writer is None:
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.table({name: [] for name in self.columns}), self.target)
        else:
            self._writer.close()


def make_writer(format, target, columns):
    """A writer with ``write(table)`` (a dict of equal-length column lists) and ``close()``."""
    if format == "csv":
        return CSVWriter(target, columns)
    if format == "tsv":
        return CSVWriter(target, columns, delimiter="\t")
    if format == "jsonl":
        return JSONLinesWriter(target, columns)
    if format == "parquet":
        return ParquetWriter(target, columns)
    if format == "text":
        return TextWriter(target, columns)
    raise InputFormatError(f"unknown output format {format!r}")
