"""Batch transcription: every recording of a folder through a fitted transcriber, one
output row per recording (its path and transcript)."""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path

from .._paths import check_output_path
from ._readers import FORMATS, Chunk, InputFormatError, infer_format
from ._score import (
    ON_ERROR,
    ScoreSummary,
    _load_model,
    _partial_file,
    _progress_bar,
    _scored_tables,
    _write_tables,
    output_columns,
)
from ._writers import make_writer

#: The file suffixes a folder is searched for (what soundfile and audioread read).
AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".opus", ".mp3", ".aiff", ".aif", ".au")


def audio_files(source):
    """``(id, path)`` of every recording: a folder's audio files (searched recursively,
    sorted, each named by its path inside the folder), one audio file, or a list of
    them (named as given)."""
    sources = [source] if isinstance(source, (str, Path)) else list(source)
    found = []
    for item in sources:
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*")
                           if p.suffix.lower() in AUDIO_SUFFIXES and p.is_file())  # fmt: skip
            found += [(p.relative_to(path).as_posix(), str(p)) for p in files]
        elif path.is_file():
            found.append((str(item), str(path)))
        else:
            raise FileNotFoundError(f"no audio file or folder at {path}")
    if not found:
        raise FileNotFoundError(
            f"no recordings in {', '.join(map(str, sources)) or 'the input'} (searched for "
            f"{', '.join(AUDIO_SUFFIXES)})"
        )
    return found


def _chunks(files, chunk_size):
    for start in range(0, len(files), chunk_size):
        chunk = Chunk()
        for row, (name, path) in enumerate(files[start : start + chunk_size], start + 1):
            chunk.add(row, None, name, path)
        yield chunk


def transcribe(model, source, output="-", *, output_format=None, chunk_size=64,
               on_error="fail", errors_output=None, progress=None):  # fmt: skip
    """Transcribe recordings with a fitted transcriber, streaming them in chunks.

    Parameters
    ----------
    model : estimator, Pipeline or path
        A transcriber (:class:`~textflow.speech.CTCTranscriber`) after the steps that
        turn recordings into frames (:class:`~textflow.speech.AudioFeatures`), or the
        path of one saved by :func:`textflow.save` / ``joblib.dump``.
    source : path or list of paths
        A folder (its audio files, searched recursively), an audio file, or several.
    output : path or "-", default="-"
        Where the rows go: ``path`` (inside the folder) and ``transcript``.
    output_format : str, default=None
        One of :data:`FORMATS`; by default from the output's suffix, else CSV.
    chunk_size : int, default=64
        Recordings read and transcribed at a time.
    on_error : {"fail", "skip-and-report"}, default="fail"
        What to do with a recording that cannot be read.
    errors_output : path, default=None
        Also write the recordings that failed (row, path, error) as CSV here.
    progress : bool, default=None
        Show a progress bar on standard error; by default only on a terminal.

    Returns
    -------
    summary : ScoreSummary

    Examples
    --------
    >>> import numpy as np, soundfile, tempfile, os
    >>> from textflow.scoring import transcribe
    >>> class Echo:  # stands in for a fitted AudioFeatures + CTCTranscriber pipeline
    ...     prediction_column = "transcript"
    ...     def predict(self, paths):
    ...         return [f"{soundfile.info(p).duration:.1f} seconds" for p in paths]
    >>> folder = tempfile.mkdtemp()
    >>> for name, seconds in [("a.wav", 1.0), ("b.wav", 0.5)]:
    ...     soundfile.write(os.path.join(folder, name), np.zeros(int(8000 * seconds)), 8000)
    >>> summary = transcribe(Echo(), folder, os.path.join(folder, "out.csv"))
    >>> print(open(os.path.join(folder, "out.csv")).read().strip())
    path,transcript
    a.wav,1.0 seconds
    b.wav,0.5 seconds
    """
    if on_error not in ON_ERROR:
        raise ValueError(f"on_error must be one of {ON_ERROR}, got {on_error!r}")
    if not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    start = time.perf_counter()
    model = _load_model(model)
    output_format = output_format or infer_format(output, default="csv")
    if output_format not in FORMATS:
        raise InputFormatError(f"unknown output format {output_format!r}")
    check_output_path(output)
    if errors_output is not None:
        check_output_path(errors_output)
    elif on_error == "skip-and-report" and output_format == "text":
        errors_output = "-"
    files = audio_files(source)
    options = {"proba": False, "on_error": on_error, "id_column": "path"}
    columns = output_columns(model, **options)
    with _partial_file(output) as target:
        rows, errors = _write_tables(
            _scored_tables(model, _chunks(files, chunk_size), None, options),
            partial(make_writer, output_format, target, columns),
            errors_output,
            _progress_bar(progress, total=len(files)),
        )
    return ScoreSummary(
        rows=rows, scored=rows - errors, errors=errors, seconds=time.perf_counter() - start,
        output="<stdout>" if output in (None, "-") else str(output),
        errors_output=None if errors_output is None else str(errors_output),
    )  # fmt: skip
