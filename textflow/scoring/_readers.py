"""Stream documents out of CSV/TSV, JSON Lines, Parquet and plain-text files in chunks.

Every record in the input becomes exactly one entry of a chunk: either its text,
or an error message saying why it cannot be scored (missing text, undecodable
bytes, a malformed line), with its line number.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import re
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("csv", "tsv", "jsonl", "parquet", "text")
_SUFFIXES = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".txt": "text",
    ".text": "text",
}
_UNDECODABLE = re.compile("[\udc80-\udcff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_FIELD_SIZE_LIMIT = min(sys.maxsize, 2**31 - 1)  # a review can exceed csv's 128 kB default


class InputFormatError(ValueError):
    """An input or output cannot be read or written as asked (unknown format, missing column).

    Examples
    --------
    >>> import io
    >>> from sklearn.dummy import DummyClassifier
    >>> from textflow import score
    >>> from textflow.scoring import InputFormatError
    >>> model = DummyClassifier().fit([[0]], ["pos"])
    >>> try:
    ...     score(model, io.BytesIO(b"body\\nhello\\n"), "-", input_format="csv")
    ... except InputFormatError as error:
    ...     print(error)
    no column 'text' in the input; its columns are 'body'
    """


@dataclass
class Chunk:
    """Consecutive records: row numbers (1-based), lines, ids, texts and errors.

    ``texts[i]`` is ``None`` exactly when ``errors[i]`` says why record ``i``
    cannot be scored.
    """

    rows: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    ids: list = field(default_factory=list)
    texts: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def add(self, row, line, id_, text, error=None):
        self.rows.append(row)
        self.lines.append(line)
        self.ids.append(id_)
        self.texts.append(None if error else text)
        self.errors.append(error)

    def __len__(self):
        return len(self.rows)


def infer_format(path, default=None) -> str:
    """The format named by a file's suffix (``.gz`` is looked through)."""
    if path is None or str(path) == "-":
        if default is None:
            raise InputFormatError("reading standard input needs an explicit format")
        return default
    suffixes = [suffix.lower() for suffix in Path(str(path)).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    if suffixes and suffixes[-1] in _SUFFIXES:
        return _SUFFIXES[suffixes[-1]]
    if default is not None:
        return default
    raise InputFormatError(
        f"{path}: cannot tell the format from the file name; name one of {', '.join(FORMATS)}"
    )


def guess_stdin_format(text_column, stream=None) -> str:
    """``"text"`` for standard input without a named format, unless it starts with a header.

    A first line that names ``text_column`` as a CSV or TSV field would otherwise be
    scored as a document: that is refused, asking for an explicit format.
    """
    stream = stream if stream is not None else sys.stdin.buffer
    peek = getattr(stream, "peek", None)
    head = peek(1 << 16) if peek is not None else b""
    first = head.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", "replace").lstrip("\ufeff")
    for delimiter, name in ((",", "csv"), ("\t", "tsv")):
        fields = next(csv.reader([first], delimiter=delimiter), [])
        if len(fields) > 1 and text_column in fields:
            raise InputFormatError(
                f"standard input starts with a {name.upper()} header naming the column "
                f"{text_column!r}; pass --format {name} (input_format={name!r}), or "
                "--format text to score every line as a document"
            )
    return "text"


def open_binary(source):
    """A binary stream for a path, ``"-"`` (standard input) or an open file."""
    if hasattr(source, "read"):
        return getattr(source, "buffer", source)
    if str(source) == "-":
        return sys.stdin.buffer
    path = Path(source)
    if not path.is_file():
        raise FileNotFoundError(f"{source}: no such input file")
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")
    return open(path, "rb")


def read_chunks(
    source,
    *,
    format=None,
    text_column="text",
    id_column=None,
    chunk_size=10_000,
    encoding="utf-8",
):
    """Yield :class:`Chunk` objects of at most ``chunk_size`` records, in input order.

    A file that cannot be read at all (not gzip, truncated, not Parquet) raises
    :class:`InputFormatError` naming it; a record that cannot be read becomes an
    error entry of its chunk.
    """
    format = format or infer_format(source)
    check_read_options(format, chunk_size=chunk_size, encoding=encoding, id_column=id_column)
    name = getattr(source, "name", None) if hasattr(source, "read") else source
    name = "standard input" if name in (None, "-") else str(name)
    try:
        if format == "parquet":
            yield from _parquet_chunks(source, text_column, id_column, chunk_size)
        else:
            yield from _stream_chunks(source, format, text_column, id_column, chunk_size,
                                      encoding)  # fmt: skip
    except (EOFError, OSError, zlib.error) as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise InputFormatError(f"{name}: cannot be read: {_reason(error)}") from None
    except ImportError:
        raise
    except Exception as error:
        if type(error).__module__.startswith("pyarrow"):
            raise InputFormatError(f"{name}: not a readable Parquet file ({error})") from None
        raise


def check_read_options(format, *, chunk_size=10_000, encoding="utf-8", id_column=None):
    """Refuse reading options that cannot work, before any input is read."""
    if format not in FORMATS:
        raise InputFormatError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise InputFormatError(f"the chunk size must be a whole number >= 1, got {chunk_size!r}")
    try:
        codecs.lookup(encoding)
    except (LookupError, TypeError):
        raise InputFormatError(f"unknown text encoding {encoding!r}") from None
    if id_column is not None and format == "text":
        raise InputFormatError(
            f"plain-text input has no columns, so there is no id column {id_column!r}; "
            "drop the id column option or give CSV/TSV/JSON Lines/Parquet input"
        )


def _reason(error) -> str:
    if isinstance(error, gzip.BadGzipFile):
        return "it is not a gzip file"
    if isinstance(error, EOFError):
        return "the compressed data ends early (truncated file?)"
    return str(error) or type(error).__name__


def _stream_chunks(source, format, text_column, id_column, chunk_size, encoding):
    reader = {"csv": _csv_records, "tsv": _csv_records, "jsonl": _jsonl_records}.get(
        format, _text_records
    )
    stream = open_binary(source)
    records = reader(stream, format, text_column, id_column, encoding)
    try:
        chunk = Chunk()
        for row, record in enumerate(records, start=1):
            chunk.add(row, *record)
            if len(chunk) >= chunk_size:
                yield chunk
                chunk = Chunk()
        if len(chunk):
            yield chunk
    finally:
        records.close()
        if stream is not sys.stdin.buffer and not hasattr(source, "read"):
            stream.close()


def _decoder(encoding):
    return "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding


def _decode_line(raw: bytes, encoding: str, first: bool):
    try:
        return raw.decode(_decoder(encoding) if first else encoding), None
    except UnicodeDecodeError as error:
        return None, f"undecodable bytes (not valid {encoding}) at byte {error.start}"


def _strip_newline(raw: bytes) -> bytes:
    if raw.endswith(b"\n"):
        raw = raw[:-1]
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    return raw


def _text_records(stream, format, text_column, id_column, encoding):
    for number, raw in enumerate(stream, start=1):
        text, error = _decode_line(_strip_newline(raw), encoding, number == 1)
        yield number, None, text, error


def _jsonl_records(stream, format, text_column, id_column, encoding):
    for number, raw in enumerate(stream, start=1):
        line, error = _decode_line(_strip_newline(raw), encoding, number == 1)
        if error:
            yield number, None, None, error
            continue
        if not line.strip():
            yield number, None, None, "empty line (no JSON object)"
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as decode_error:
            yield number, None, None, f"malformed JSON: {decode_error.msg}"
            continue
        if not isinstance(record, dict):
            yield number, None, None, f"expected a JSON object, got {type(record).__name__}"
            continue
        id_ = record.get(id_column) if id_column else None
        if isinstance(id_, str) and _SURROGATE.search(id_):
            yield number, None, None, "the id is not valid Unicode (a lone surrogate escape)"
            continue
        yield number, id_, *_check_text(record.get(text_column), text_column)


def _check_text(value, text_column):
    if value is None or value == "":
        return None, f"missing text (no {text_column!r} value)"
    if not isinstance(value, str):
        return None, f"text must be a string, got {type(value).__name__}"
    if _SURROGATE.search(value):
        return None, "the text is not valid Unicode (a lone surrogate escape)"
    return value, None


def _csv_records(stream, format, text_column, id_column, encoding):
    wrapper = io.TextIOWrapper(
        stream, encoding=_decoder(encoding), errors="surrogateescape", newline=""
    )
    previous_limit = csv.field_size_limit(_FIELD_SIZE_LIMIT)
    try:
        reader = csv.reader(wrapper, delimiter="\t" if format == "tsv" else ",", strict=True)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise InputFormatError(f"malformed {format.upper()} header: {error}") from None
        text_index, id_index = _column_positions(header, text_column, id_column, encoding)
        yield from _csv_rows(reader, header, text_index, id_index, format, text_column, encoding)
    finally:
        csv.field_size_limit(previous_limit)
        wrapper.detach()


def _csv_rows(reader, header, text_index, id_index, format, text_column, encoding):
    start_line = reader.line_num + 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield start_line, None, None, f"malformed {format.upper()} line: {error}"
            start_line = reader.line_num + 1
            continue
        line, start_line = start_line, reader.line_num + 1
        if fields:
            yield line, *_csv_fields(fields, header, text_index, id_index, text_column, encoding)


def _column_positions(header, text_column, id_column, encoding):
    if any(_UNDECODABLE.search(name) for name in header):
        raise InputFormatError(f"the header is not valid {encoding}")
    positions = []
    for name in (text_column, id_column):
        if name is None:
            positions.append(None)
        elif header.count(name) > 1:
            where = [i + 1 for i, column in enumerate(header) if column == name]
            raise InputFormatError(
                f"the header names the column {name!r} {len(where)} times (columns "
                f"{', '.join(map(str, where))}): rename the duplicates so it is clear which "
                "one to read"
            )
        elif name in header:
            positions.append(header.index(name))
        else:
            raise InputFormatError(
                f"no column {name!r} in the input; its columns are {', '.join(map(repr, header))}"
            )
    return positions


def _csv_fields(fields, header, text_index, id_index, text_column, encoding):
    id_ = fields[id_index] if id_index is not None and id_index < len(fields) else None
    if len(fields) != len(header):
        return (
            id_,
            None,
            f"malformed line: {len(fields)} fields where the header has {len(header)}",
        )
    text = fields[text_index]
    if _UNDECODABLE.search(text) or (id_ is not None and _UNDECODABLE.search(id_)):
        return id_, None, f"undecodable bytes (not valid {encoding})"
    return id_, *_check_text(text, text_column)


def _parquet_chunks(source, text_column, id_column, chunk_size):
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputFormatError("reading Parquet needs pyarrow: pip install pyarrow") from None
    if hasattr(source, "read") or str(source) == "-":
        raise InputFormatError("Parquet input must be a file (it cannot be streamed from stdin)")
    parquet = pq.ParquetFile(source)
    names = parquet.schema_arrow.names
    columns = [name for name in (text_column, id_column) if name is not None]
    for name in columns:
        if name not in names:
            raise InputFormatError(
                f"no column {name!r} in the input; its columns are {', '.join(map(repr, names))}"
            )
    row = 0
    for batch in parquet.iter_batches(batch_size=chunk_size, columns=columns):
        chunk = Chunk()
        texts = batch.column(text_column).to_pylist()
        ids = batch.column(id_column).to_pylist() if id_column else [None] * len(texts)
        for id_, value in zip(ids, texts):
            row += 1
            chunk.add(row, None, id_, *_check_text(value, text_column))
        yield chunk
