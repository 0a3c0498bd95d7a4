"""What the commands that write one record per input row share (``tag``, ``translate``)."""

from __future__ import annotations

import sys

from ._score import check_score_options
from ._trust import load_model_of_kind


def run_on_rows(args, *, task, what, hint, run) -> int:
    """Check the input and output before the model loads, refuse a model that does not do
    ``task``, then ``run(model)`` and print the summary it returns (unless ``--quiet``)."""
    check_score_options(args)
    model = load_model_of_kind(args, task, what, hint)
    summary = run(model)
    if not args.quiet:
        print(summary, file=sys.stderr)
    return 0
