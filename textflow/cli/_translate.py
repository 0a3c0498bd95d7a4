"""``textflow translate``: translate every row of a file with a saved translator."""

from __future__ import annotations

from .._pipelines import final_estimator
from ._options import add_row_file_arguments, positive_int
from ._rows import run_on_rows
from ._trust import add_sha256_argument


def cmd_translate(args) -> int:
    from ..scoring import score

    def run(model):
        final = final_estimator(model)
        if args.beam_width is not None:
            final.set_params(beam_width=args.beam_width)
        if args.max_output_length is not None:
            final.set_params(max_output_length=args.max_output_length)
        return score(model, args.input, args.output, input_format=args.format,
                     output_format=args.output_format, text_column=args.text_column,
                     id_column=args.id_column, chunk_size=args.chunk_size,
                     on_error=args.on_error, errors_output=args.errors, proba=False,
                     encoding=args.encoding, progress=False if args.quiet else None)  # fmt: skip

    return run_on_rows(args, task="translation", what="a translator",
                       hint="train one with Seq2SeqTranslator", run=run)  # fmt: skip


def add_translate_parser(commands):
    from ..scoring._readers import FORMATS

    parser = commands.add_parser(
        "translate", help="translate every row of a file with a saved translator",
        description="Write one row per input row: its id (or row number) and its "
        "translation. Rows that cannot be translated (no text, undecodable bytes) stop the "
        "run, or are written with their error (--on-error skip-and-report).",
    )  # fmt: skip
    add_row_file_arguments(parser, model_help="a translator saved by textflow",
                           output_formats=FORMATS,
                           output_format_help="default: from the output's suffix, else the "
                           "input's")  # fmt: skip
    parser.add_argument("--beam-width", type=positive_int,
                        help="beam search hypotheses (default: the model's)")  # fmt: skip
    parser.add_argument("--max-output-length", type=positive_int,
                        help="most tokens per translation (default: the model's)")  # fmt: skip
    parser.add_argument("--errors", metavar="FILE", help="also list failed rows in this CSV")
    add_sha256_argument(parser)
    parser.set_defaults(func=cmd_translate, scheduler=None)
