"""Batch scoring: stream a file through a fitted pipeline, one output row per input row."""

from __future__ import annotations

import os
import pickle
import sys
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

from .._paths import check_output_path
from .._pipelines import final_estimator, split_final_step
from .._validation import InvalidDocumentError
from ._readers import (
    FORMATS,
    InputFormatError,
    check_read_options,
    guess_stdin_format,
    infer_format,
    read_chunks,
)
from ._writers import make_writer

ON_ERROR = ("fail", "skip-and-report")


class ScoringError(ValueError):
    """A record cannot be scored and ``on_error="fail"``: names the line and why.

    Examples
    --------
    >>> import io
    >>> from sklearn.dummy import DummyClassifier
    >>> from textflow import ScoringError, score
    >>> model = DummyClassifier().fit([[0]], ["pos"])
    >>> source = io.BytesIO(b'{"text": "fine"}\\n{"oops"}\\n')
    >>> try:
    ...     score(model, source, "-", input_format="jsonl")
    ... except ScoringError as error:
    ...     print(error)
    line 2 (row 2): malformed JSON: ...
    """


@dataclass
class ScoreSummary:
    """What a scoring run did: rows read, scored and reported as errors.

    Attributes
    ----------
    rows, scored, errors : int
        Records read, records scored, records reported as unscorable
        (``rows == scored + errors``).
    seconds : float
        Wall-clock time of the run.
    output, errors_output : str
        Where the rows and the list of unscorable records went.

    Examples
    --------
    >>> from textflow import ScoreSummary
    >>> summary = ScoreSummary(rows=1000, scored=998, errors=2, seconds=0.5, output="out.csv")
    >>> print(summary)
    1,000 rows: 998 scored, 2 errors in 0.5 s (2,000 docs/s) -> out.csv
    """

    rows: int
    scored: int
    errors: int
    seconds: float
    output: str
    errors_output: str | None = None

    @property
    def docs_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else float("inf")

    def __str__(self):
        text = (
            f"{self.rows:,} rows: {self.scored:,} scored, {self.errors:,} errors "
            f"in {self.seconds:.1f} s ({self.docs_per_second:,.0f} docs/s) -> {self.output}"
        )
        if self.errors_output and self.errors:
            text += f"; errors listed in {self.errors_output}"
        return text


def output_columns(model, *, id_column=None, proba=True, on_error="fail"):
    """The columns a scoring run writes for ``model``."""
    final = final_estimator(model)
    columns = [id_column or "row", getattr(final, "prediction_column", "label")]
    if proba and hasattr(final, "predict_proba") and hasattr(final, "classes_"):
        columns += [f"proba_{label}" for label in final.classes_]
    if on_error == "skip-and-report":
        columns.append("error")
    return columns


def predict_texts(model, texts, proba=True):
    """Labels (and class probabilities) for ``texts``, transforming them only once.

    For a pipeline, the steps before the classifier run once and both ``predict``
    and ``predict_proba`` of the classifier reuse their output.
    """
    head, final = split_final_step(model)
    features = head.transform(texts) if head is not None else texts
    labels = final.predict(features)
    probabilities = None
    if proba and hasattr(final, "predict_proba") and hasattr(final, "classes_"):
        probabilities = final.predict_proba(features)
    return labels, probabilities


def score_chunk(model, chunk, *, proba=True, on_error="fail", id_column=None):
    """Score one :class:`Chunk`; return the output table (a dict of column lists)."""
    errors = list(chunk.errors)
    if on_error == "fail":
        _raise_first_error(chunk, errors)
    positions = [i for i, error in enumerate(errors) if error is None]
    while True:
        texts = [chunk.texts[i] for i in positions]
        try:
            labels, probabilities = predict_texts(model, texts, proba) if texts else ([], None)
            break
        except InvalidDocumentError as error:
            if error.index is None:
                raise
            errors[positions.pop(error.index)] = f"rejected by the model: {error}"
            if on_error == "fail":
                _raise_first_error(chunk, errors)
    columns = output_columns(model, id_column=id_column, proba=proba, on_error=on_error)
    return _assemble(columns, chunk, errors, positions, labels, probabilities, id_column)


def _raise_first_error(chunk, errors):
    for i, error in enumerate(errors):
        if error is not None:
            row = f"row {chunk.rows[i]}"
            where = row if chunk.lines[i] is None else f"line {chunk.lines[i]} ({row})"
            raise ScoringError(
                f"{where}: {error}; "
                "use on_error='skip-and-report' (--on-error skip-and-report) to go on"
            )


def _assemble(columns, chunk, errors, positions, labels, probabilities, id_column):
    size = len(chunk)
    table = {columns[0]: chunk.ids if id_column else chunk.rows}
    label_column = [None] * size
    for position, label in zip(positions, np.asarray(labels).tolist()):
        label_column[position] = label
    table[columns[1]] = label_column
    probability_columns = [name for name in columns if name.startswith("proba_")]
    for k, name in enumerate(probability_columns):
        values = [None] * size
        if probabilities is not None:
            for position, value in zip(positions, probabilities[:, k].tolist()):
                values[position] = value
        table[name] = values
    if "error" in columns:
        table["error"] = [
            error if error is None or line is None else f"line {line}: {error}"
            for line, error in zip(chunk.lines, errors)
        ]
    table["_line"] = chunk.lines
    table["_row"] = chunk.rows
    table["_error"] = errors
    return table


def _load_model(model):
    if isinstance(model, (str, os.PathLike)):
        from .._persistence import load

        return load(model)
    return model


_WORKER_MODEL = None


def _init_worker(model_bytes):
    global _WORKER_MODEL
    _WORKER_MODEL = pickle.loads(model_bytes)


def _score_in_worker(chunk, options):
    return score_chunk(_WORKER_MODEL, chunk, **options)


def _scored_tables(model, chunks, n_jobs, options):
    if n_jobs in (None, 1):
        for chunk in chunks:
            yield score_chunk(model, chunk, **options)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from joblib import effective_n_jobs

    workers = effective_n_jobs(n_jobs)
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["textflow.scoring._score", "sklearn.pipeline"])
    else:  # pragma: no cover - platforms without forkserver
        context = multiprocessing.get_context("spawn")
    model_bytes = pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)
    with ProcessPoolExecutor(workers, context, _init_worker, (model_bytes,)) as pool:
        pending = deque()
        for chunk in chunks:
            pending.append(pool.submit(_score_in_worker, chunk, options))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _progress_bar(progress, total=None):
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    return tqdm(total=total, unit=" docs", unit_scale=True, desc="scoring", file=sys.stderr)


def score(
    model,
    source,
    output="-",
    *,
    input_format=None,
    output_format=None,
    text_column="text",
    id_column=None,
    chunk_size=10_000,
    n_jobs=None,
    on_error="fail",
    errors_output=None,
    proba=True,
    encoding="utf-8",
    progress=None,
    scheduler=None,
):
    """Score a file of documents with a fitted pipeline, streaming it in chunks.

    Every input record gives exactly one output row, in input order, holding its
    id (``id_column``) or row number, the predicted ``label`` and, where the model
    has ``predict_proba``, one ``proba_<class>`` column per class. Records that
    cannot be scored (missing text, undecodable bytes, a malformed line) stop the
    run with their line number (``on_error="fail"``), or are written with an empty
    label and an ``error`` message (``on_error="skip-and-report"``) and counted
    in the summary. Nothing is dropped silently.

    Parameters
    ----------
    model : estimator or path
        A fitted pipeline, or the path of a file written by :func:`textflow.save`.
    source : path, "-" or file object
        CSV, TSV, JSON Lines, Parquet, or plain text with one document per line;
        ``.gz`` files are decompressed on the fly; ``"-"`` reads standard input.
        With ``scheduler``, also a list of paths or a glob pattern.
    output : path, "-" or None, default="-"
        Where to write the scored rows; ``"-"`` writes to standard output. With
        ``scheduler``, a folder receives one file per input partition, unless the
        path has a file suffix, in which case the parts are joined into that file.
    input_format, output_format : {"csv", "tsv", "jsonl", "parquet", "text"}, default=None
        Inferred from the file suffixes; the output defaults to the input's
        format. A ``text`` output holds one label per line.
    text_column : str, default="text"
        The column (or JSON key) holding the documents; ignored for plain text.
    id_column : str, default=None
        A column to copy to the output as the row's identifier; by default the
        output's first column is ``row``, the 1-based record number.
    chunk_size : int, default=10_000
        Records read, scored and written at a time: memory stays flat whatever
        the input's size.
    n_jobs : int, default=None
        Processes scoring chunks in parallel (each loads the model once); ``None``
        or 1 scores in this process, -1 uses every core.
    on_error : {"fail", "skip-and-report"}, default="fail"
        What to do with a record that cannot be scored.
    errors_output : path, default=None
        Also write the unscorable records (line, row, id, error) as CSV here.
    proba : bool, default=True
        Write class probabilities when the model has ``predict_proba``.
    encoding : str, default="utf-8"
        The input's text encoding (a UTF-8 byte-order mark is skipped).
    progress : bool, default=None
        Show a progress bar on standard error; by default only on a terminal.
    scheduler : str or distributed.Client, default=None
        Score on a Dask cluster: a scheduler address (``"tcp://host:8786"``),
        ``"local"`` / ``"local:N"`` for a local cluster of N worker processes, or
        a ``Client``. See :func:`textflow.scoring.score_on_dask`.

    Returns
    -------
    summary : ScoreSummary
        Rows read, scored and reported, time taken and where the output went.

    Raises
    ------
    ScoringError
        A record cannot be scored and ``on_error="fail"``.

    Examples
    --------
    >>> import os, tempfile
    >>> from textflow import score
    >>> from textflow.models import make_tfidf_nb_pipeline
    >>> model = make_tfidf_nb_pipeline(min_df=1).fit(["good film", "bad film"], ["pos", "neg"])
    >>> folder = tempfile.mkdtemp()
    >>> reviews = os.path.join(folder, "reviews.txt")
    >>> with open(reviews, "w") as file:
    ...     _ = file.write("a good film\\nso bad\\n")
    >>> summary = score(model, reviews, os.path.join(folder, "scored.csv"), proba=False)
    >>> summary.rows, summary.errors
    (2, 0)
    >>> print(open(os.path.join(folder, "scored.csv")).read().strip())
    row,label
    1,pos
    2,neg
    """
    if on_error not in ON_ERROR:
        raise ValueError(f"on_error must be one of {ON_ERROR}, got {on_error!r}")
    if scheduler is not None:
        from ._dask import score_on_dask

        options = dict(input_format=input_format, output_format=output_format,
                       text_column=text_column, id_column=id_column, chunk_size=chunk_size,
                       on_error=on_error, errors_output=errors_output, proba=proba,
                       encoding=encoding)  # fmt: skip
        return score_on_dask(model, source, output, scheduler=scheduler, **options)
    start = time.perf_counter()
    model = _load_model(model)
    stdin = not hasattr(source, "read") and str(source) == "-"
    if input_format is None:
        input_format = guess_stdin_format(text_column) if stdin else infer_format(source)
    output_format = output_format or infer_format(output, default=input_format)
    if output_format not in FORMATS:
        raise InputFormatError(f"unknown output format {output_format!r}")
    check_read_options(input_format, chunk_size=chunk_size, encoding=encoding,
                       id_column=id_column)  # fmt: skip
    check_output_path(output)
    if errors_output is not None:
        check_output_path(errors_output)
    elif on_error == "skip-and-report" and output_format == "text":
        errors_output = "-"  # a text output has no error column: reasons go to stderr
    chunks = read_chunks(
        source,
        format=input_format,
        text_column=text_column,
        id_column=id_column,
        chunk_size=chunk_size,
        encoding=encoding,
    )
    options = {"proba": proba, "on_error": on_error, "id_column": id_column}
    columns = output_columns(model, **options)
    with _partial_file(output) as target:
        counts = _write_tables(
            _scored_tables(model, chunks, n_jobs, options),
            partial(make_writer, output_format, target, columns),
            errors_output,
            _progress_bar(progress),
        )
    return ScoreSummary(
        rows=counts[0],
        scored=counts[0] - counts[1],
        errors=counts[1],
        seconds=time.perf_counter() - start,
        output="<stdout>" if output in (None, "-") else str(output),
        errors_output=None if errors_output is None else str(errors_output),
    )


@contextmanager
def _partial_file(output):
    """Write next to ``output`` and rename on success: a failed run leaves no partial file."""
    if output is None or str(output) == "-" or hasattr(output, "write"):
        yield output
        return
    path = Path(output)
    partial = path.with_name(f".partial.{path.name}")
    try:
        yield partial
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _write_tables(tables, open_writer, errors_output, bar):
    """Write every table; the output is opened with the first one, so a run that
    fails before any row was scored writes nothing, not even a header."""
    rows = errors = 0
    writer = error_log = None
    try:
        for table in tables:
            writer = writer or open_writer()
            writer.write(table)
            failed = [i for i, error in enumerate(table["_error"]) if error is not None]
            if failed and errors_output is not None:
                error_log = error_log or _ErrorLog(errors_output)
                error_log.write(table, failed)
            rows += len(table["_row"])
            errors += len(failed)
            if bar is not None:
                bar.update(len(table["_row"]))
        writer = writer or open_writer()
        error_log = error_log or (_ErrorLog(errors_output) if errors_output else None)
    finally:
        for opened in (writer, error_log, bar):
            if opened is not None:
                opened.close()
    return rows, errors


class _ErrorLog:
    def __init__(self, path):
        import csv

        self.owned = str(path) != "-"
        self.file = (
            open(Path(path), "w", encoding="utf-8", newline="") if self.owned else sys.stderr
        )
        self.csv = csv.writer(self.file, lineterminator="\n")
        self.csv.writerow(["line", "row", "id", "error"])

    def write(self, table, failed):
        first = next(iter(table))
        ids = table[first] if first != "row" else [None] * len(table["_row"])
        self.csv.writerows(
            (table["_line"][i], table["_row"][i], ids[i], table["_error"][i]) for i in failed
        )

    def close(self):
        if self.owned:
            self.file.close()
        else:
            self.file.flush()
