"""The ``textflow`` command line: demo, train, evaluate, score, info, generate, complete,
tag, translate, transcribe, forecast, install-wordnet.

One module per command family; the model-kind checks (``_trust``), argument types
(``_options``) and the per-row runner of ``tag`` and ``translate`` (``_rows``) are shared.

Exit codes: 0 success; 1 a record could not be scored (``--on-error fail``);
2 a usage or input error (bad arguments, missing or corrupted files, unknown
columns); 130 interrupted. Errors go to standard error, without a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from functools import partial

from ._errors import UserError

__all__ = ["UserError", "build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: ``textflow COMMAND: error: ...``, exit 2."""

    def error(self, message):
        hint = f" (see {self.prog} --help)"
        self.exit(2, f"{self.prog}: error: {' '.join(message.split())}{hint}\n")


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__
    from ._demo import add_demo_parsers
    from ._forecast import add_forecast_parser
    from ._language import add_language_parsers
    from ._score import add_score_parser
    from ._tag import add_tag_parser
    from ._train import add_train_parser
    from ._transcribe import add_transcribe_parser
    from ._translate import add_translate_parser

    parser = _Parser(
        prog="textflow",
        description="Classic NLP pipelines as scikit-learn estimators.",
        epilog="Exit codes: 0 done, 1 a row could not be scored, 2 usage or input error.",
    )
    parser.add_argument("--version", action="version", version=f"textflow {__version__}")
    parser.add_argument("--verbose", action="store_true",
                        help="show the compilers' own messages (jax/XLA), which are hidden "
                        "by default (or set TEXTFLOW_VERBOSE=1)")  # fmt: skip
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    add_demo_parsers(commands)
    add_train_parser(commands)
    add_score_parser(commands)
    add_language_parsers(commands)
    add_tag_parser(commands)
    add_forecast_parser(commands)
    add_translate_parser(commands)
    add_transcribe_parser(commands)
    return parser


def main(argv=None) -> int:
    from .._persistence import ModelFileError, UnfittedModelError
    from .._validation import InvalidDocumentError
    from ..models._presets import ConfigError
    from ..scoring import InputFormatError, ScoringError

    args = build_parser().parse_args(argv)
    _quiet_unless(args.verbose or os.environ.get("TEXTFLOW_VERBOSE") not in (None, "", "0"))
    previous_showwarning = warnings.showwarning
    warnings.showwarning = partial(_show_warning, args.command)
    user_errors = (UserError, ModelFileError, InputFormatError, ConfigError,
                   InvalidDocumentError, UnfittedModelError, OSError)  # fmt: skip
    try:
        return args.func(args)
    except ScoringError as error:
        _report(args, error)
        return 1
    except BrokenPipeError:
        sys.stderr.close()
        return 1
    except user_errors as error:
        _report(args, error)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        warnings.showwarning = previous_showwarning


def _quiet_unless(verbose):
    """Hide the compilers' C++ log lines ("Constant folding an instruction is taking > 1s",
    which read as crashes), unless asked for; the user's own setting wins."""
    if not verbose:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def _show_warning(command, message, category, filename, lineno, file=None, line=None):
    """A warning as one line, ``textflow COMMAND: warning: ...``, not a source excerpt."""
    text = " ".join(str(message).split())
    print(f"textflow {command}: warning: {text}", file=file or sys.stderr)


def _report(args, error):
    message = " ".join(str(error).split()) or type(error).__name__  # always one line
    print(f"textflow {args.command}: error: {message}", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
