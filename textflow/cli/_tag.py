"""``textflow tag``: tag every sentence of a file with a saved tagger."""

from __future__ import annotations

from ..scoring._tag import TAG_FORMATS
from ._options import add_row_file_arguments
from ._rows import run_on_rows
from ._trust import add_sha256_argument


def cmd_tag(args) -> int:
    from ..scoring import tag

    def run(model):
        return tag(model, args.input, args.output, input_format=args.format,
                   output_format=args.output_format, text_column=args.text_column,
                   id_column=args.id_column, chunk_size=args.chunk_size,
                   on_error=args.on_error, encoding=args.encoding)  # fmt: skip

    return run_on_rows(args, task="tagging", what="a sequence tagger",
                       hint="train one with RNNTagger", run=run)  # fmt: skip


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
    parser.set_defaults(func=cmd_tag, scheduler=None, errors=None)
