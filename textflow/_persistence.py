"""Saving and loading fitted estimators: joblib payload, metadata, SHA-256, atomic writes.

A textflow model file is::

    b"TEXTFLOW-MODEL\\n"           magic line
    8 bytes, big-endian            length of the header
    header                         UTF-8 JSON: versions, creation time, classes,
                                   payload size and SHA-256
    payload                        ``joblib.dump`` of the estimator

The checksum is verified before a single byte of the payload is unpickled.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import sys
import tempfile
import warnings
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from pathlib import Path

from ._paths import check_output_path

MAGIC = b"TEXTFLOW-MODEL\n"
FORMAT_VERSION = 1
_HEADER_LENGTH_BYTES = 8
_MAX_HEADER_BYTES = 1 << 24
_LIBRARIES = ("textflow", "scikit-learn", "numpy", "scipy", "joblib", "nltk", "gensim", "keras")


class ModelFileError(ValueError):
    """A model file is not a textflow model, or is truncated, altered or unreadable.

    The message names the file and what is wrong with it; nothing was unpickled.

    Examples
    --------
    >>> import os, tempfile
    >>> from textflow import ModelFileError, load
    >>> path = os.path.join(tempfile.mkdtemp(), "notes.txt")
    >>> with open(path, "w") as file:
    ...     _ = file.write("not a model")
    >>> try:
    ...     load(path)
    ... except ModelFileError as error:
    ...     print(str(error).split(": ", 1)[1])
    not a textflow model file (wrong magic bytes)
    """


class VersionMismatchWarning(UserWarning):
    """A model was saved with library versions other than the ones loading it.

    The message names each library with the saved and the installed version.
    Turn it into an error where exact reproducibility matters.

    Examples
    --------
    >>> import warnings
    >>> from textflow import VersionMismatchWarning
    >>> warnings.simplefilter("error", VersionMismatchWarning)  # refuse mismatched models
    >>> warnings.resetwarnings()
    """


def library_versions() -> dict:
    """Versions of Python and the libraries a textflow model can depend on.

    Libraries that are not installed are left out. Nothing is imported: versions
    come from the installed distributions' metadata, except the Keras backend,
    which is reported only when Keras is already imported.
    """
    versions = {"python": platform.python_version()}
    for name in _LIBRARIES:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            continue
    keras = sys.modules.get("keras")
    if keras is not None and "keras" in versions:
        versions["keras_backend"] = keras.backend.backend()
    return versions


def _describe(estimator) -> dict:
    classes = getattr(estimator, "classes_", None)
    steps = getattr(estimator, "steps", None)
    return {
        "estimator": f"{type(estimator).__module__}.{type(estimator).__qualname__}",
        "steps": [[name, type(step).__name__] for name, step in steps] if steps else None,
        "classes": None if classes is None else _json_ready(list(classes)),
        "has_predict_proba": hasattr(estimator, "predict_proba"),
    }


def _json_ready(values):
    return [value.item() if hasattr(value, "item") else value for value in values]


def _compress_argument(compress):
    if compress in (None, False):
        return 0
    if compress is True:
        return 3
    return compress


#: Header fields that ``metadata`` may not use: they describe the file itself.
RESERVED_METADATA = ("format", "format_version", "created", "versions", "estimator", "steps",
                     "classes", "compress", "payload_bytes", "sha256", "metadata")  # fmt: skip


def save(estimator, path, *, compress=None, metadata=None, allow_unfitted=False) -> dict:
    """Save a fitted estimator or pipeline with metadata and a SHA-256 checksum.

    The file is written to a temporary file in the destination folder, flushed to
    disk, and renamed over ``path``: a save interrupted at any point leaves the
    previous file intact.

    Parameters
    ----------
    estimator : object
        Any picklable object, usually a fitted estimator or :class:`~sklearn.pipeline.Pipeline`.
    path : str or os.PathLike
        Destination file (the usual suffix is ``.joblib``).
    compress : None, bool, int, str or tuple, default=None
        Passed to :func:`joblib.dump`: ``None`` stores uncompressed (fastest to
        load), ``True`` means zlib level 3, an int is a zlib level, a string or
        ``(method, level)`` names another joblib compressor (``"lzma"``, ``"gzip"``...).
    metadata : dict, default=None
        Extra JSON-serialisable information stored in the header (training data,
        scores...), returned by :func:`read_info`. Its keys may not be the header's own
        (``sha256``, ``created``, ...: :data:`RESERVED_METADATA`).
    allow_unfitted : bool, default=False
        Save an estimator that was never fitted (a template to train elsewhere).
        By default that is refused: a model file is for predicting.

    Returns
    -------
    info : dict
        The header written to the file; ``info["sha256"]`` is the payload's checksum,
        to pin with ``load(path, expected_sha256=...)``.

    See Also
    --------
    load : Verify and load a saved model.
    read_info : Read a model's metadata without unpickling it.

    Examples
    --------
    >>> import tempfile, os
    >>> from textflow import load, save
    >>> from textflow.models import make_tfidf_nb_pipeline
    >>> model = make_tfidf_nb_pipeline(min_df=1).fit(["good film", "bad film"], [1, 0])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.joblib")
    >>> info = save(model, path)
    >>> info["classes"], len(info["sha256"])
    ([0, 1], 64)
    >>> load(path, expected_sha256=info["sha256"]).predict(["a good film"])
    array([1])
    """
    path = Path(path)
    check_output_path(path)
    metadata = dict(metadata or {})
    clashes = sorted(set(metadata) & set(RESERVED_METADATA))
    if clashes:
        raise ValueError(f"metadata may not use the header's own keys {clashes}: they "
                         "describe the file (rename them, e.g. 'training_sha256')")  # fmt: skip
    if not allow_unfitted:
        check_fitted_model(estimator, what="save")
    buffer = io.BytesIO()
    import joblib

    joblib.dump(estimator, buffer, compress=_compress_argument(compress))
    payload = buffer.getbuffer()
    header = {
        "format": "textflow-model",
        "format_version": FORMAT_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": library_versions(),
        **_describe(estimator),
        "compress": compress if isinstance(compress, (str, int, type(None))) else str(compress),
        "payload_bytes": len(payload),
        "sha256": hashlib.sha256(payload).hexdigest(),
        "metadata": metadata,
    }
    header_bytes = json.dumps(header, sort_keys=True).encode("utf-8")
    _write_atomically(
        path,
        [MAGIC, len(header_bytes).to_bytes(_HEADER_LENGTH_BYTES, "big"), header_bytes, payload],
    )
    return header


class UnfittedModelError(ValueError):
    """A model that was never fitted where a fitted one is needed (saving, scoring).

    Examples
    --------
    >>> from textflow import save
    >>> from textflow.models import make_tfidf_nb_pipeline
    >>> try:
    ...     save(make_tfidf_nb_pipeline(), "never-written.joblib")
    ... except ValueError as error:
    ...     print(str(error).split(";")[0])
    the Pipeline was never fitted (its final step, MultinomialNB, is not)
    """


def check_fitted_model(model, *, what):
    """Raise :class:`UnfittedModelError` unless ``model`` (its final step, for a
    pipeline) is fitted."""
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    from ._pipelines import final_estimator

    final = final_estimator(model)
    if not hasattr(final, "fit"):
        return
    try:
        check_is_fitted(final)
    except NotFittedError:
        pass
    except TypeError:  # not an estimator scikit-learn can check: trust it
        return
    else:
        return
    name = type(model).__name__
    detail = "" if final is model else f" (its final step, {type(final).__name__}, is not)"
    hint = ("fit it first, or pass allow_unfitted=True to save a template" if what == "save"
            else "train it first (textflow train), then use the file")  # fmt: skip
    raise UnfittedModelError(f"the {name} was never fitted{detail}; {hint}")


def _write_atomically(path: Path, parts) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            for part in parts:
                file.write(part)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    try:
        directory = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles
        return
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _read_header(file, path) -> dict:
    magic = file.read(len(MAGIC))
    if magic != MAGIC:
        if magic[:2] in (b"\x80\x02", b"\x80\x03", b"\x80\x04", b"\x80\x05", b"x\x9c"):
            raise ModelFileError(
                f"{path}: this is a plain pickle/joblib file, not a textflow model file; "
                "load it with joblib.load (it carries no checksum)"
            )
        raise ModelFileError(f"{path}: not a textflow model file (wrong magic bytes)")
    length_bytes = file.read(_HEADER_LENGTH_BYTES)
    if len(length_bytes) < _HEADER_LENGTH_BYTES:
        raise ModelFileError(f"{path}: truncated: the file ends inside its header")
    length = int.from_bytes(length_bytes, "big")
    if length > _MAX_HEADER_BYTES:
        raise ModelFileError(f"{path}: corrupted header (claims {length} bytes)")
    raw = file.read(length)
    if len(raw) < length:
        raise ModelFileError(f"{path}: truncated: the file ends inside its header")
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelFileError(f"{path}: corrupted header ({error})") from None
    if not isinstance(header, dict) or not {"sha256", "payload_bytes"} <= header.keys():
        raise ModelFileError(f"{path}: corrupted header (checksum or size missing)")
    if header.get("format_version", 0) > FORMAT_VERSION:
        raise ModelFileError(
            f"{path}: saved by a newer textflow (file format {header['format_version']}); "
            "upgrade textflow to load it"
        )
    return header


def read_info(path) -> dict:
    """Read a saved model's metadata without loading (unpickling) the model.

    Parameters
    ----------
    path : str or os.PathLike
        A file written by :func:`save`.

    Returns
    -------
    info : dict
        ``created``, ``versions`` (Python, textflow, scikit-learn, keras and its
        backend, gensim, nltk...), ``estimator``, ``steps``, ``classes``,
        ``payload_bytes``, ``sha256``, ``compress``, ``metadata`` and ``file_bytes``.

    Examples
    --------
    >>> import tempfile, os
    >>> from textflow import read_info, save
    >>> from sklearn.dummy import DummyClassifier
    >>> path = os.path.join(tempfile.mkdtemp(), "dummy.joblib")
    >>> _ = save(DummyClassifier().fit([[0], [1]], ["no", "yes"]), path)
    >>> info = read_info(path)
    >>> info["estimator"], info["classes"]
    ('sklearn.dummy.DummyClassifier', ['no', 'yes'])
    """
    with _open(path) as file:
        info = _read_header(file, path)
    info["file_bytes"] = Path(path).stat().st_size
    return info


def _open(path):
    if Path(path).is_dir():
        raise ModelFileError(f"{path}: is a folder, not a model file")
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: no such model file") from None
    except OSError as error:
        raise ModelFileError(f"{path}: cannot be read ({error.strerror or error})") from None


def load(path, *, expected_sha256=None, check_versions=True):
    """Load a model saved by :func:`save`, after verifying its checksum.

    .. warning::
       Loading a model unpickles it, and unpickling runs code chosen by whoever
       wrote the file. Only load files you trust; pin the checksum you expect
       with ``expected_sha256`` when a file travels between machines.

    Parameters
    ----------
    path : str or os.PathLike
        A file written by :func:`save`.
    expected_sha256 : str, default=None
        Refuse the file, before unpickling anything, unless this SHA-256 (hex) is
        its payload's (as returned by :func:`save` and shown by ``textflow
        info``) or the whole file's (as ``sha256sum`` prints it).
    check_versions : bool, default=True
        Warn with :class:`VersionMismatchWarning` when the file was saved with other
        versions of Python or of the libraries than the ones now installed.

    Returns
    -------
    estimator : object
        The saved object.

    Raises
    ------
    ModelFileError
        The file is not a textflow model, is truncated, or its payload does not
        match the recorded (or the expected) checksum. Nothing has been unpickled.

    Examples
    --------
    See :func:`save`.
    """
    with _open(path) as file:
        header = _read_header(file, path)
        payload = file.read(header["payload_bytes"] + 1)
    size = header["payload_bytes"]
    if len(payload) < size:
        raise ModelFileError(f"{path}: truncated: {len(payload)} of {size} payload bytes present")
    if len(payload) > size:
        raise ModelFileError(f"{path}: unexpected bytes after the payload (file altered?)")
    digest = hashlib.sha256(payload).hexdigest()
    if digest != header["sha256"]:
        raise ModelFileError(
            f"{path}: checksum mismatch: the payload was altered or corrupted "
            f"(SHA-256 {digest}, header says {header['sha256']})"
        )
    if expected_sha256 is not None:
        expected = str(expected_sha256).strip().lower()
        if expected not in (digest, _file_sha256(path)):
            raise ModelFileError(
                f"{path}: SHA-256 {digest} is not the expected {expected}; the file is not "
                "the one you trust, so it was not loaded"
            )
    if check_versions:
        _warn_on_version_mismatch(path, header.get("versions", {}))
    import joblib

    try:
        return joblib.load(io.BytesIO(payload))
    except ModuleNotFoundError as error:
        saved_with = header.get("versions", {}).get(error.name)
        note = f" (saved with {error.name} {saved_with})" if saved_with else ""
        raise ModuleNotFoundError(
            f"{path}: the model needs the module {error.name!r}{note}; install it "
            "(pip install 'textflow[all]' has every optional dependency)",
            name=error.name,
        ) from error


def _file_sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _warn_on_version_mismatch(path, saved: dict) -> None:
    current = library_versions()
    differences = [
        f"{name} {version} (now {current[name]})"
        for name, version in saved.items()
        if name in current and current[name] != version
    ]
    if differences:
        warnings.warn(
            f"{path} was saved with " + ", ".join(differences) + "; results may differ",
            VersionMismatchWarning,
            stacklevel=3,
        )
