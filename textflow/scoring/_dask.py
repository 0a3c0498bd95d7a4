"""Batch scoring on a Dask cluster: one task per input file, the model scattered once.

Each input file is one partition. Workers read it with the same readers as the
local scorer and write one output part, so a part is byte-for-byte what
:func:`textflow.score` writes for that file, errors included. A part is written
under a temporary name and renamed when complete: a task re-run after a worker
dies overwrites its own part, and every row is written exactly once.
"""

from __future__ import annotations

import glob
import os
import shutil
import time
from pathlib import Path

from ._readers import _SUFFIXES, InputFormatError, infer_format
from ._score import ScoreSummary, _load_model, score


def _client(scheduler):
    """``(client, owned)`` for an address, ``"local[:N]"`` or a ``Client``.

    ``owned`` is a callable closing what was created here (nothing for a given ``Client``).
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ImportError(
            "scoring on Dask needs dask.distributed: pip install 'textflow[dask]'"
        ) from None
    if isinstance(scheduler, Client):
        return scheduler, lambda: None
    if not isinstance(scheduler, str):
        raise TypeError(
            f"scheduler must be an address, 'local[:N]' or a Client, got {scheduler!r}"
        )
    if scheduler == "local" or scheduler.startswith("local:"):
        workers = int(scheduler.partition(":")[2] or os.cpu_count() or 1)
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=None,
        )  # fmt: skip
        client = Client(cluster)
        return client, lambda: (client.close(), cluster.close())
    client = Client(scheduler)
    return client, client.close


def expand_sources(source) -> list[str]:
    """A path, a glob pattern or a list of either -> a sorted list of existing files."""
    items = [source] if isinstance(source, (str, os.PathLike)) else list(source)
    paths = []
    for item in items:
        item = str(item)
        matches = sorted(glob.glob(item)) if glob.has_magic(item) else [item]
        if not matches:
            raise FileNotFoundError(f"{item}: no file matches")
        for match in matches:
            if not Path(match).is_file():
                raise FileNotFoundError(f"{match}: no such input file")
            paths.append(match)
    return paths


def _score_partition(model, path, part, options):
    """Score one file into ``part`` (written under a temporary name, then renamed)."""
    part = Path(part)
    temporary = part.with_name(f".{part.name}.{os.getpid()}.tmp")
    errors_part = options.pop("errors_output", None)
    summary = score(model, path, temporary, errors_output=errors_part, progress=False, **options)
    os.replace(temporary, part)
    return {"rows": summary.rows, "errors": summary.errors, "part": str(part)}


def _part_name(index, path, output_format):
    suffix = {value: key for key, value in reversed(_SUFFIXES.items())}[output_format]
    return f"part-{index:05d}-{Path(path).name.split('.')[0]}{suffix}"


def score_on_dask(
    model,
    source,
    output,
    *,
    scheduler,
    input_format=None,
    output_format=None,
    text_column="text",
    id_column=None,
    chunk_size=10_000,
    on_error="fail",
    errors_output=None,
    proba=True,
    encoding="utf-8",
):
    """Score one or many files on a Dask cluster; see :func:`textflow.score`.

    The fitted model is scattered to every worker once (``broadcast=True``); each
    file is a task that reads, scores and writes its own part. ``output`` is a
    folder of parts (``part-00000-<name>.csv``...), or, when it has a file
    suffix, a single file that joins the parts in input order (with a leading
    ``file`` column when there are several inputs).
    """
    if output is None or str(output) == "-":
        raise InputFormatError("scoring on Dask writes files: name an output folder or file")
    start = time.perf_counter()
    paths = expand_sources(source)
    input_format = input_format or infer_format(paths[0])
    output_format = output_format or infer_format(output, default=input_format)
    output = Path(output)
    single_file = bool(output.suffix)
    folder = output.with_name(f".{output.name}.parts") if single_file else output
    folder.mkdir(parents=True, exist_ok=True)
    options = {
        "input_format": input_format,
        "output_format": output_format,
        "text_column": text_column,
        "id_column": id_column,
        "chunk_size": chunk_size,
        "on_error": on_error,
        "proba": proba,
        "encoding": encoding,
    }
    parts = [folder / _part_name(i, path, output_format) for i, path in enumerate(paths)]
    client, close = _client(scheduler)
    try:
        model_future = client.scatter(_load_model(model), broadcast=True, hash=False)
        futures = [
            client.submit(
                _score_partition,
                model_future,
                path,
                str(part),
                {**options, "errors_output": _errors_part(errors_output, part)},
                pure=False,
                key=f"textflow-score-{i}-{os.urandom(4).hex()}",
            )
            for i, (path, part) in enumerate(zip(paths, parts))
        ]
        results = client.gather(futures)
    finally:
        close()
    if errors_output is not None:
        _join_error_parts(parts, paths, errors_output)
    if single_file:
        _join_parts(parts, paths, output, output_format)
        shutil.rmtree(folder)
    rows = sum(result["rows"] for result in results)
    errors = sum(result["errors"] for result in results)
    return ScoreSummary(
        rows=rows,
        scored=rows - errors,
        errors=errors,
        seconds=time.perf_counter() - start,
        output=str(output),
        errors_output=None if errors_output is None else str(errors_output),
    )


def _errors_part(errors_output, part):
    return None if errors_output is None else str(part) + ".errors.csv"


def _join_parts(parts, paths, output, output_format):
    """Concatenate the parts in input order into ``output``, atomically."""
    from ._joining import join_parts

    temporary = output.with_name(f".partial.{output.name}")
    try:
        join_parts(parts, [Path(p).name for p in paths], temporary, output_format)
        os.replace(temporary, output)
    finally:
        temporary.unlink(missing_ok=True)


def _join_error_parts(parts, paths, errors_output):
    import csv

    with open(errors_output, "w", encoding="utf-8", newline="") as target:
        writer = csv.writer(target, lineterminator="\n")
        writer.writerow(["file", "line", "row", "id", "error"])
        for part, path in zip(parts, paths):
            listed = Path(str(part) + ".errors.csv")
            if listed.exists():
                with open(listed, encoding="utf-8", newline="") as file:
                    rows = csv.reader(file)
                    next(rows, None)
                    writer.writerows([Path(path).name, *row] for row in rows)
                listed.unlink()
