"""Pinning model files by checksum: ``--sha256 HEX`` or ``--sha256 @TRUSTED-FILE``."""

from __future__ import annotations

import re
from pathlib import Path

from ._errors import UserError

_HEX = re.compile(r"[0-9a-fA-F]{64}")


def add_sha256_argument(parser):
    parser.add_argument(
        "--sha256",
        metavar="HEX|@FILE",
        help="refuse the model unless its SHA-256 is this; @FILE reads the trusted checksum "
        "for MODEL from a file in sha256sum's format (HEX  NAME per line)",
    )


def expected_sha256(args):
    """The checksum the model must have, or ``None`` when none was given."""
    value = args.sha256
    if value is None:
        return None
    if not value.startswith("@"):
        if not _HEX.fullmatch(value.strip()):
            raise UserError(f"--sha256 expects 64 hexadecimal digits or @FILE, got {value!r}")
        return value.strip().lower()
    return trusted_checksum(Path(value[1:]), Path(args.model))


def trusted_checksum(listing: Path, model: Path) -> str:
    """The checksum listed for ``model`` (matched by file name) in a trusted listing."""
    try:
        lines = listing.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise UserError(f"cannot read the trusted checksums {listing}: {error.strerror}") from None
    for line in lines:
        digest, _, name = line.strip().partition(" ")
        name = name.strip().lstrip("*")
        if _HEX.fullmatch(digest) and (name == str(model) or Path(name).name == model.name):
            return digest.lower()
    raise UserError(f"{listing} lists no trusted checksum for {model.name}")


def load_model_of_kind(args, task, what, hint):
    """Load ``args.model`` (pinned by ``--sha256``) and refuse it unless it does ``task``
    (one of :data:`textflow._pipelines.TASKS`)."""
    from .._pipelines import final_estimator, task_of

    model = load_fitted_model(args)
    if task_of(model) != task:
        name = type(final_estimator(model)).__name__
        raise UserError(f"{args.model} is not {what} (it is a {name}); {hint}")
    return model


def load_fitted_model(args):
    """Load ``args.model`` (pinned by ``--sha256``), refusing a model never fitted."""
    from .._persistence import check_fitted_model, load

    model = load(args.model, expected_sha256=expected_sha256(args))
    check_fitted_model(model, what="use")
    return model


#: The command that uses a model of each task, for one-line refusals.
COMMAND_FOR_TASK = {
    "language-model": "textflow generate / complete (and evaluate for its perplexity)",
    "tagging": "textflow tag",
    "forecasting": "textflow forecast",
    "translation": "textflow translate",
    "transcription": "textflow transcribe",
    "classification": "textflow score",
}


def refuse_tasks(args, model, refused, command):
    """A one-line error when ``model``'s task is one of ``refused``, naming the command
    that does take it."""
    from .._pipelines import final_estimator, task_of

    task = task_of(model)
    if task in refused:
        name = type(final_estimator(model)).__name__
        raise UserError(f"{args.model} is a {task} model ({name}); `textflow {command}` cannot "
                        f"use it: use {COMMAND_FOR_TASK[task]}")  # fmt: skip
