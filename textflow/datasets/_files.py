"""Readers for the files users have: tagged sentences (CoNLL columns, JSON Lines), sentence
pairs (TSV/CSV/JSON Lines), and series (CSV with a time column).

Every reader names the file and the line of the first problem, and keeps every record:
nothing is skipped but what the format itself marks as no data (comments, document
separators).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from pathlib import Path

from sklearn.utils import Bunch

_CONLLU_RANGE = re.compile(r"\d+-\d+|\d+\.\d+")


class DataFileError(ValueError):
    """A data file that cannot be read as asked: the message names the file and line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from textflow.datasets import DataFileError, read_tagged
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "bad.conll"
    >>> _ = path.write_text("Paris B-LOC\\nlonely\\n")
    >>> try:
    ...     read_tagged(path)
    ... except DataFileError as error:
    ...     print(str(error).split(": ", 1)[1])
    line 2: 1 column where the lines before have 2
    """


def _open_text(path):
    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"{path}: no such file")
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path), encoding="utf-8")
    return open(path, encoding="utf-8", newline="")


def _base_suffix(path):
    suffixes = [s.lower() for s in Path(path).suffixes]
    return suffixes[-2] if suffixes and suffixes[-1] == ".gz" and len(suffixes) > 1 else (
        suffixes[-1] if suffixes else "")  # fmt: skip


def read_tagged(path, *, word_column=0, tag_column=-1, format=None):
    """Sentences and their tags from a CoNLL-style column file or JSON Lines.

    Parameters
    ----------
    path : str or Path
        ``.jsonl``: one sentence a line, ``{"tokens": [...], "tags": [...]}``. Anything
        else: whitespace-separated columns, one token a line, a blank line between
        sentences; ``-DOCSTART-`` lines and ``#`` comment lines (CoNLL-U) are skipped,
        as are CoNLL-U multi-word ranges (ids like ``3-4``). ``.gz`` is read compressed.
    word_column, tag_column : int, default=0, -1
        The columns of the word and of its tag (negative counts from the end: the last
        column by default). CoNLL-2003: 0 and 3 (NER) or 1 (POS); CoNLL-U: 1 and 3 (UPOS).
    format : {"conll", "jsonl"} or None, default=None
        ``None``: JSON Lines for ``.jsonl``, else columns.

    Returns
    -------
    Bunch
        ``data`` (token lists), ``target`` (tag lists of the same lengths).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from textflow.datasets import read_tagged
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "train.conll"
    >>> _ = path.write_text("Angela B-PER\\nMerkel I-PER\\n\\nParis B-LOC\\n")
    >>> data = read_tagged(path)
    >>> data.data, data.target
    ([['Angela', 'Merkel'], ['Paris']], [['B-PER', 'I-PER'], ['B-LOC']])
    """
    format = format or ("jsonl" if _base_suffix(path) == ".jsonl" else "conll")
    if format not in ("conll", "jsonl"):
        raise ValueError(f"format must be 'conll' or 'jsonl'; got {format!r}")
    sentences, tags = [], []
    with _open_text(path) as handle:
        if format == "jsonl":
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                tokens, row = _json_tagged(path, number, line)
                sentences.append(tokens)
                tags.append(row)
        else:
            tokens, row, width = [], [], None
            for number, line in enumerate(handle, start=1):
                fields = line.split()
                if not fields:
                    if tokens:
                        sentences.append(tokens)
                        tags.append(row)
                    tokens, row = [], []
                    continue
                if fields[0] == "-DOCSTART-" or fields[0].startswith("#"):
                    continue
                if len(fields) == 10 and _CONLLU_RANGE.fullmatch(fields[0]):
                    continue  # a CoNLL-U multi-word range or empty node (3-4, 5.1)
                width = width or len(fields)
                if len(fields) != width:
                    raise DataFileError(f"{path}: line {number}: {len(fields)} column"
                                        f"{'s' * (len(fields) != 1)} where the lines before "
                                        f"have {width}")  # fmt: skip
                try:
                    tokens.append(fields[word_column])
                    row.append(fields[tag_column])
                except IndexError:
                    raise DataFileError(
                        f"{path}: line {number}: the word is column {word_column} and the "
                        f"tag column {tag_column}, but the line has {len(fields)}"
                    ) from None
            if tokens:
                sentences.append(tokens)
                tags.append(row)
    if not sentences:
        raise DataFileError(f"{path}: no sentence in the file")
    return Bunch(data=sentences, target=tags)


def _json_tagged(path, number, line):
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise DataFileError(f"{path}: line {number}: malformed JSON: {error.msg}") from None
    if not isinstance(record, dict) or "tokens" not in record or "tags" not in record:
        raise DataFileError(f'{path}: line {number}: expected {{"tokens": [...], "tags": '
                            "[...]}")  # fmt: skip
    tokens, tags = record["tokens"], record["tags"]
    if not isinstance(tokens, list) or not isinstance(tags, list):
        raise DataFileError(f"{path}: line {number}: tokens and tags must be lists")
    if len(tokens) != len(tags):
        raise DataFileError(f"{path}: line {number}: {len(tokens)} tokens but {len(tags)} "
                            "tags")  # fmt: skip
    if not all(isinstance(t, str) for t in tokens + tags):
        raise DataFileError(f"{path}: line {number}: tokens and tags must be strings")
    return tokens, tags


def _table_rows(path, columns, header):
    """``(line, {column: value})`` of a CSV/TSV/JSON Lines file, for ``columns`` (names,
    or 0-based indexes without a header)."""
    suffix = _base_suffix(path)
    with _open_text(path) as handle:
        if suffix == ".jsonl":
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise DataFileError(f"{path}: line {number}: malformed JSON: "
                                        f"{error.msg}") from None  # fmt: skip
                missing = [c for c in columns if not isinstance(record, dict) or c not in record]
                if missing:
                    raise DataFileError(f"{path}: line {number}: no {missing[0]!r} key")
                yield number, {c: record[c] for c in columns}
            return
        reader = csv.reader(handle, delimiter="\t" if suffix in (".tsv", ".txt") else ",")
        if header:
            names = next(reader, None)
            if names is None:
                raise DataFileError(f"{path}: the file is empty")
            for column in columns:
                if names.count(column) > 1:
                    raise DataFileError(f"{path}: the header names the column {column!r} "
                                        "twice")  # fmt: skip
                if column not in names:
                    raise DataFileError(f"{path}: no column {column!r}; the header has "
                                        f"{', '.join(map(repr, names))}")  # fmt: skip
            positions = {c: names.index(c) for c in columns}
        else:
            positions = {}
            for column in columns:
                try:
                    positions[column] = int(column)
                except ValueError:
                    raise DataFileError(
                        f"{path}: without a header, columns are numbers "
                        f"(0 for the first); got {column!r}"
                    ) from None
        for number, row in enumerate(reader, start=2 if header else 1):
            if not any(cell.strip() for cell in row):
                continue
            try:
                yield number, {c: row[i] for c, i in positions.items()}
            except IndexError:
                raise DataFileError(
                    f"{path}: line {number}: {len(row)} fields, fewer than the columns asked for"
                ) from None


def read_pairs(path, *, source_column="source", target_column="target", header=True):
    """Sentence pairs (a source and its translation) from a TSV, CSV or JSON Lines file.

    Parameters
    ----------
    path : str or Path
        ``.tsv`` (or ``.txt``): tab-separated; ``.csv``: comma-separated; ``.jsonl``:
        one object a line. ``.gz`` is read compressed.
    source_column, target_column : str, default="source", "target"
        Column names (keys in JSON Lines), or 0-based positions with ``header=False``.
    header : bool, default=True
        Whether a CSV/TSV file starts with a header row (Tatoeba's ``spa.tsv`` does not:
        ``header=False, source_column="1", target_column="0"`` reads Spanish to English).

    Returns
    -------
    Bunch
        ``data`` (source strings), ``target`` (their translations). A blank line is no
        pair; a pair with an empty side is an error naming its line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from textflow.datasets import read_pairs
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "pairs.tsv"
    >>> _ = path.write_text("de\\ten\\nein Hund\\ta dog\\n")
    >>> read_pairs(path, source_column="de", target_column="en").target
    ['a dog']
    """
    sources, targets = [], []
    for number, row in _table_rows(path, [source_column, target_column], header):
        source, target = row[source_column], row[target_column]
        for side, text in (("source", source), ("target", target)):
            if not isinstance(text, str) or not text.strip():
                raise DataFileError(f"{path}: line {number}: the {side} is empty")
        sources.append(source)
        targets.append(target)
    if not sources:
        raise DataFileError(f"{path}: no pair in the file")
    return Bunch(data=sources, target=targets)


def read_series(path, *, value_column, time_column=None, exogenous_columns=()):
    """A series (and its regressors) from a CSV file with a header.

    Parameters
    ----------
    path : str or Path
    value_column : str
        The column to forecast.
    time_column : str or None, default=None
        A column of times (dates): they become the series' index, which must be sorted
        and regular (the forecasters read its period). ``None``: positions.
    exogenous_columns : list of str, default=()
        Columns of regressors (known in advance: calendars, promotions...).

    Returns
    -------
    Bunch
        ``y`` (a pandas Series), ``X`` (a DataFrame of the regressors, or None).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from textflow.datasets import read_series
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "sales.csv"
    >>> _ = path.write_text("month,sales\\n2020-01,3\\n2020-02,5\\n2020-03,4\\n")
    >>> data = read_series(path, time_column="month", value_column="sales")
    >>> data.y.tolist(), str(data.y.index.freq)
    ([3.0, 5.0, 4.0], '<MonthBegin>')
    """
    import pandas as pd

    columns = [c for c in (time_column, value_column, *exogenous_columns) if c is not None]
    rows = list(_table_rows(path, columns, header=True))
    if not rows:
        raise DataFileError(f"{path}: no values in the file")
    values = {}
    for column in [value_column, *exogenous_columns]:
        numbers = []
        for number, row in rows:
            try:
                numbers.append(float(row[column]))
            except (TypeError, ValueError):
                raise DataFileError(
                    f"{path}: line {number}, column {column!r}: {row[column]!r} is not a number"
                ) from None
        values[column] = numbers
    index = None
    if time_column is not None:
        times = pd.to_datetime(pd.Series([row[time_column] for _, row in rows]),
                               errors="coerce", format="mixed")  # fmt: skip
        if times.isna().any():
            number = rows[int(times.isna().to_numpy().argmax())][0]
            raise DataFileError(f"{path}: line {number}, column {time_column!r}: not a time")
        from ..series._checks import infer_frequency

        index = pd.DatetimeIndex(times)
        freq = infer_frequency(index)
        if freq is not None:
            index = pd.DatetimeIndex(index, freq=freq)
    y = pd.Series(values[value_column], index=index, name=value_column)
    X = None
    if exogenous_columns:
        X = pd.DataFrame({c: values[c] for c in exogenous_columns}, index=index)
    return Bunch(y=y, X=X)
