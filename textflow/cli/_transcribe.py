"""``textflow transcribe``: transcribe every recording of a folder with a saved transcriber."""

from __future__ import annotations

import sys

from .._paths import check_output_path
from ._errors import UserError
from ._options import positive_int
from ._trust import add_sha256_argument, load_model_of_kind


def cmd_transcribe(args) -> int:
    from ..scoring import transcribe
    from ..scoring._transcribe import audio_files

    check_output_path(args.output)
    if args.errors is not None:
        check_output_path(args.errors)
    try:
        audio_files(args.audio)  # before the model loads: a wrong folder fails at once
    except FileNotFoundError as error:
        raise UserError(str(error)) from None
    model = load_model_of_kind(args, "transcription", "a transcriber",
                               "train one with textflow.speech.CTCTranscriber")  # fmt: skip
    if args.beam_width is not None:
        from .._pipelines import final_estimator

        final_estimator(model).set_params(beam_width=args.beam_width)
    summary = transcribe(model, args.audio, args.output, output_format=args.output_format,
                         chunk_size=args.chunk_size, on_error=args.on_error,
                         errors_output=args.errors,
                         progress=False if args.quiet else None)  # fmt: skip
    if not args.quiet:
        print(summary, file=sys.stderr)
    return 0


def add_transcribe_parser(commands):
    from ..scoring._readers import FORMATS

    parser = commands.add_parser(
        "transcribe", help="transcribe every recording of a folder with a saved transcriber",
        description="Write one row per recording: its path (inside the folder) and its "
        "transcript. Audio files (WAV, FLAC, OGG, MP3...) are found recursively, in sorted "
        "order. Recordings that cannot be read stop the run, or are written with their "
        "error (--on-error skip-and-report).",
    )  # fmt: skip
    parser.add_argument("model", metavar="MODEL", help="a transcriber saved by textflow")
    parser.add_argument("audio", metavar="AUDIO", nargs="+",
                        help="a folder of recordings, or audio files")  # fmt: skip
    parser.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    parser.add_argument("--output-format", choices=FORMATS,
                        help="default: from the output's suffix, else csv")  # fmt: skip
    parser.add_argument("--beam-width", type=positive_int,
                        help="CTC beam width, 1 for greedy (default: the model's)")  # fmt: skip
    parser.add_argument("--chunk-size", type=positive_int, default=64,
                        help="recordings at a time (default: %(default)s)")  # fmt: skip
    parser.add_argument("--on-error", choices=("fail", "skip-and-report"), default="fail")
    parser.add_argument("--errors", metavar="FILE", help="also list failed recordings in this CSV")
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary")
    add_sha256_argument(parser)
    parser.set_defaults(func=cmd_transcribe, scheduler=None)
