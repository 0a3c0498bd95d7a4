"""``textflow tag``: tag every sentence of a file with a saved tagger."""

from __future__ import annotations

import sys

from .._paths import check_output_path
from ..scoring._readers import check_read_options, infer_format
from ..scoring._tag import TAG_FORMATS
from ._options import add_row_file_arguments
from ._trust import add_sha256_argument, load_model_of_kind


def is_tagger(model) -> bool:
    final = model.steps[-1][1] if hasattr(model, "steps") else model
    return all(hasattr(final, name) for name in ("predict_proba", "classes_", "characters_"))


def cmd_tag(args) -> int:
    from ..scoring import tag

    if args.format is not None or args.input != "-":
        check_read_options(args.format or infer_format(args.input), chunk_size=args.chunk_size,
                           encoding=args.encoding, id_column=args.id_column)  # fmt: skip
    check_output_path(args.output)
    model = load_model_of_kind(args, is_tagger, "a sequence tagger", "train one with RNNTagger")
    summary = tag(model, args.input, args.output, input_format=args.format,
                  output_format=args.output_format, text_column=args.text_column,
                  id_column=args.id_column, chunk_size=args.chunk_size,
                  on_error=args.on_error, encoding=args.encoding)  # fmt: skip
    if not args.quiet:
        print(summary, file=sys.stderr)
    return 0


def add_tag_parser(commands):
    parser = commands.add_parser(
        "tag", help="tag every sentence of a file with a saved tagger",
        description="Write one record per input row: the row (or its id), its tokens and "
        "their tags, as JSON Lines or CoNLL columns. Rows that cannot be tagged stop the "
        "run, or are written with their error (--on-error skip-and-report).",
    )  # fmt: skip
    add_row_file_arguments(parser, model_help="a tagger saved by textflow",
                           output_formats=TAG_FORMATS,
                           output_format_help="jsonl (default) or conll (default for a "
                           ".conll output)")  # fmt: skip
    add_sha256_argument(parser)
    parser.set_defaults(func=cmd_tag)
