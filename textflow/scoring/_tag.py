"""Tag a file of sentences with a fitted tagger, streaming it: one record per input row."""

from __future__ import annotations

import json
import time

from .._paths import check_output_path
from .._pipelines import split_preprocessing
from .._validation import InvalidDocumentError
from ._readers import check_read_options, guess_stdin_format, infer_format, read_chunks
from ._score import ON_ERROR, ScoreSummary, ScoringError, _partial_file
from ._writers import open_text_output

TAG_FORMATS = ("jsonl", "conll")


def _split_model(model):
    """``(tokenize, tagger)``: the pipeline's leading text and token steps, or whitespace
    splitting, and the rest (a tagger, or features and a CRF)."""
    preprocessing, tagger = split_preprocessing(model)
    if preprocessing is not None:
        return preprocessing.transform, tagger
    return _split_on_whitespace, tagger


def _split_on_whitespace(texts):
    return [text.split() for text in texts]


def tag(model, source, output="-", *, input_format=None, output_format=None,
        text_column="text", id_column=None, chunk_size=1000, on_error="fail",
        encoding="utf-8"):  # fmt: skip
    """Tag every sentence of a file; one output record per input row, in order.

    Each row's text is tokenized by the leading text and token steps of ``model``
    (a ``Pipeline`` such as ``Tokenizer`` -> ``RNNTagger``), or split on whitespace
    for a bare tagger (or a feature-CRF pipeline), and tagged.

    Parameters
    ----------
    model : estimator or path
        A fitted tagger or pipeline ending in one, or a file written by
        :func:`textflow.save`.
    source : path, "-" or file object
        Plain text (one sentence per line; an empty line is an empty sentence),
        CSV/TSV, JSON Lines or Parquet.
    output : path or "-", default="-"
    output_format : {"jsonl", "conll"}, default=None
        JSON Lines (``row`` or the id, ``tokens``, ``tags``, ``error``), or CoNLL
        columns (``token<TAB>tag``, a blank line after each sentence, ``# row N``
        before it). By default from the output's suffix (``.conll``), else JSON Lines.
    on_error : {"fail", "skip-and-report"}, default="fail"
        A row that cannot be tagged stops the run, or is written with its error
        (JSON Lines: ``"error"``; CoNLL: a ``# error:`` line and no tokens).

    Returns
    -------
    ScoreSummary
    """
    from .._persistence import load

    if on_error not in ON_ERROR:
        raise ValueError(f"on_error must be one of {ON_ERROR}, got {on_error!r}")
    stdin = not hasattr(source, "read") and str(source) == "-"
    if input_format is None:
        input_format = guess_stdin_format(text_column) if stdin else infer_format(source)
    if output_format is None:
        suffix = str(output).lower()
        output_format = "conll" if suffix.endswith((".conll", ".conll.gz")) else "jsonl"
    if output_format not in TAG_FORMATS:
        raise ValueError(f"output_format must be one of {TAG_FORMATS}, got {output_format!r}")
    check_read_options(input_format, chunk_size=chunk_size, encoding=encoding,
                       id_column=id_column)  # fmt: skip
    check_output_path(output)
    if not hasattr(model, "predict"):
        model = load(model)
    tokenize, tagger = _split_model(model)
    start, rows, errors = time.perf_counter(), 0, 0
    chunks = read_chunks(
        source, format=input_format, text_column=text_column, id_column=id_column,
        chunk_size=chunk_size, encoding=encoding,
    )  # fmt: skip
    with _partial_file(output) as target:
        stream, owned = open_text_output(target)
        try:
            for chunk in chunks:
                if input_format == "text":  # an empty line is an empty sentence
                    _empty_lines_are_sentences(chunk)
                for record in _tag_chunk(chunk, tokenize, tagger, on_error):
                    rows += 1
                    errors += record["error"] is not None
                    if id_column:
                        record = {"id": record.pop("_id"), **record}
                    else:
                        record.pop("_id")
                    stream.write(_render(record, output_format))
        finally:
            if owned:
                stream.close()
            else:
                stream.flush()
    return ScoreSummary(rows=rows, scored=rows - errors, errors=errors,
                        seconds=time.perf_counter() - start,
                        output="<stdout>" if output in (None, "-") else str(output))  # fmt: skip


def _empty_lines_are_sentences(chunk):
    for i, error in enumerate(chunk.errors):
        if error is not None and error.startswith("missing text"):
            chunk.errors[i], chunk.texts[i] = None, ""


def _tag_chunk(chunk, tokenize, tagger, on_error):
    records = [{"row": row, "_id": id_, "tokens": None, "tags": None, "error": error}
               for row, id_, error in zip(chunk.rows, chunk.ids, chunk.errors)]  # fmt: skip
    for record, line in zip(records, chunk.lines):
        if record["error"] and on_error == "fail":
            where = f"line {line} (row {record['row']})" if line else f"row {record['row']}"
            raise ScoringError(f"{where}: {record['error']}; use --on-error skip-and-report "
                               "to go on")  # fmt: skip
    good = [i for i, record in enumerate(records) if record["error"] is None]
    texts = [chunk.texts[i] for i in good]
    try:
        sentences = [list(tokens) for tokens in tokenize(texts)] if texts else []
    except InvalidDocumentError as error:  # pragma: no cover - texts are checked str
        raise ScoringError(str(error)) from None
    tags = tagger.predict(sentences) if sentences else []
    for i, tokens, row_tags in zip(good, sentences, tags):
        records[i]["tokens"], records[i]["tags"] = tokens, list(row_tags)
    return records


def _render(record, output_format):
    if output_format == "jsonl":
        return json.dumps(record, ensure_ascii=False) + "\n"
    key = "id" if "id" in record else "row"
    head = f"# {key} {record[key]}\n"
    if record["error"] is not None:
        return head + f"# error: {record['error']}\n\n"
    lines = "".join(f"{token}\t{tag}\n" for token, tag in zip(record["tokens"], record["tags"]))
    return head + lines + "\n"
