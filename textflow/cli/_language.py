"""Language models on the command line: training on unlabelled text, ``generate``, ``complete``."""

from __future__ import annotations

import math
import time
from functools import partial

from .._pipelines import final_estimator, split_final_step, task_of, transform_with_head
from ..scoring._readers import read_chunks
from ._errors import UserError
from ._options import positive_int
from ._trust import add_sha256_argument, load_model_of_kind


def is_language_model(model) -> bool:
    return task_of(model) == "language-model"


def split_pipeline(model):
    """``(prepare, lm)``: ``prepare(texts)`` runs the steps before the language model."""
    return partial(transform_with_head, model), final_estimator(model)


def load_texts(args):
    """``(train, validation, test, description)`` of unlabelled documents."""
    if args.dataset in ("ptb", "wikitext2"):
        from ..datasets import load_ptb, load_wikitext2

        loader = load_ptb if args.dataset == "ptb" else load_wikitext2
        data = loader(return_text=True)
        return (data.train, data.valid, data.test,
                f"dataset {args.dataset} (train; valid for early stopping)")  # fmt: skip
    if args.dataset:
        raise UserError(f"--dataset {args.dataset} is not text for a language model; it "
                        "trains on --dataset ptb, wikitext2 or --data FILE")  # fmt: skip
    if not args.data:
        raise UserError("name the text with --data FILE or --dataset ptb")
    texts, skipped = [], 0
    chunks = read_chunks(args.data, format=args.format, text_column=args.text_column,
                         chunk_size=50_000, encoding=args.encoding)  # fmt: skip
    for chunk in chunks:
        for line, text, error in zip(chunk.lines, chunk.texts, chunk.errors):
            if error is not None and "missing text" not in error:
                if args.on_error == "fail":
                    raise UserError(f"{args.data}: line {line}: {error} "
                                    "(--on-error skip-and-report leaves it out)")  # fmt: skip
                skipped += 1
                continue
            texts.append(text or "")  # an empty line is an empty document: it keeps its <eos>
    if not any(texts):
        raise UserError(f"{args.data}: no text")
    validation = None
    if getattr(args, "test_size", 0):
        cut = len(texts) - max(1, round(len(texts) * args.test_size))
        texts, validation = texts[:cut], texts[cut:]
    return texts, validation, None, f"{args.data} ({skipped} rows skipped)"


def fit_language_model(pipeline, train, validation):
    """Fit the preparing steps, then the language model with prepared validation text."""
    head, lm = split_final_step(pipeline)
    if head is not None:
        train = head.fit_transform(train)
        validation = head.transform(validation) if validation is not None else None
    lm.fit(train, validation_data=validation)
    return pipeline


def train_language_model(args, pipeline, description):
    """The ``train`` command for a pipeline that ends in a language model."""
    from .._persistence import save

    train, validation, test, source = load_texts(args)
    print(f"training {description} on {len(train):,} documents from {source}")
    start = time.perf_counter()
    try:
        fit_language_model(pipeline, train, validation)
    except ValueError as error:
        raise UserError(f"training on {len(train):,} documents failed: {error}") from None
    prepare, lm = split_pipeline(pipeline)
    scores = {"fit_seconds": round(time.perf_counter() - start, 2), "epochs": lm.n_iter_,
              "vocabulary": lm.vocab_size_}  # fmt: skip
    print(f"fitted in {scores['fit_seconds']:.1f} s ({lm.n_iter_} epochs)")
    for name, texts in (("validation", validation), ("test", test)):
        if texts is not None:
            scores[f"{name}_perplexity"] = round(lm.perplexity(prepare(texts)), 2)
            print(f"{name} perplexity {scores[f'{name}_perplexity']:.2f}")
    info = save(pipeline, args.output, compress=args.compress,
                metadata={"trained_on": source, "pipeline": description,
                          "documents": len(train), **scores})  # fmt: skip
    print(f"saved to {args.output} ({info['payload_bytes'] / 1e6:.1f} MB, "
          f"sha256 {info['sha256']})")  # fmt: skip
    return 0


def evaluate_language_model(args, model):
    """The ``evaluate`` command for a language model: perplexity of the text."""
    import json

    train, _, test, source = load_texts(args)
    if test is not None:
        texts, source = test, f"dataset {args.dataset} (test)"
    else:
        texts = train
    prepare, lm = split_pipeline(model)
    start = time.perf_counter()
    nll = -lm.score(prepare(texts))
    report = {"documents": len(texts), "perplexity": math.exp(nll),
              "mean_negative_log_likelihood": nll,
              "seconds": time.perf_counter() - start}  # fmt: skip
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{source}: {len(texts):,} documents, perplexity {report['perplexity']:.2f}")
    return 0


def _load_language_model(args):
    model = load_model_of_kind(args, "language-model", "a language model",
                               "train one with --preset lm")  # fmt: skip
    return split_pipeline(model)


def _context(prepare, text):
    tokens = prepare([text])[0]
    return list(tokens) if not isinstance(tokens, str) else tokens


def cmd_generate(args) -> int:
    from ..models._decoding import check_sampling

    try:
        check_sampling(args.temperature, args.top_k, args.top_p)
    except ValueError as error:
        raise UserError(str(error)) from None
    prepare, lm = _load_language_model(args)
    context = _context(prepare, args.prompt) if args.prompt else ""
    for sample in range(args.samples):
        seed = None if args.seed is None else args.seed + sample
        text = lm.generate(context, args.max_words, temperature=args.temperature,
                           top_k=args.top_k, top_p=args.top_p, random_state=seed)  # fmt: skip
        print(f"{args.prompt} {text}".strip() if args.show_prompt else text)
        if args.samples > 1 and sample < args.samples - 1:
            print()
    return 0


def cmd_complete(args) -> int:
    prepare, lm = _load_language_model(args)
    context = _context(prepare, args.prefix)
    if args.candidates:
        for word, probability in lm.predict_next(context, k=args.candidates):
            print(f"{probability:8.4f}  {word}")
        return 0
    print(lm.complete(context, max_words=args.max_words, beam_width=args.beam_width))
    return 0


def _probability(text: str) -> float:
    import argparse

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    return value


def add_language_parsers(commands):
    generate = commands.add_parser(
        "generate", help="sample text from a language model",
        description="Sample a continuation of --prompt (or new sentences) from a model "
        "trained with --preset lm. Sentence ends are written as line breaks.",
    )  # fmt: skip
    generate.add_argument("model", metavar="MODEL", help="a language model file")
    generate.add_argument("--prompt", default="", help="the start of the text")
    generate.add_argument("--max-words", type=positive_int, default=50, help="default: 50")
    generate.add_argument("--temperature", type=_probability, default=1.0,
                          help="below 1 sharper, above 1 more varied (default: 1.0)")  # fmt: skip
    generate.add_argument("--top-k", type=positive_int, default=None,
                          help="sample among the K likeliest words only")  # fmt: skip
    generate.add_argument("--top-p", type=_probability, default=None,
                          help="nucleus sampling: the likeliest words that make up P")  # fmt: skip
    generate.add_argument("--samples", type=positive_int, default=1, help="how many texts")
    generate.add_argument("--seed", type=int, default=None, help="reproducible samples")
    generate.add_argument("--show-prompt", action="store_true", help="print the prompt too")
    add_sha256_argument(generate)
    generate.set_defaults(func=cmd_generate)

    complete = commands.add_parser(
        "complete", help="autocomplete a prefix with a language model",
        description="Print the most likely continuation of PREFIX up to the end of the "
        "sentence, or (--candidates K) the K likeliest next words with probabilities.",
    )  # fmt: skip
    complete.add_argument("model", metavar="MODEL", help="a language model file")
    complete.add_argument("prefix", metavar="PREFIX", help="the words typed so far")
    complete.add_argument("--max-words", type=positive_int, default=10, help="default: 10")
    complete.add_argument("--beam-width", type=positive_int, default=1,
                          help="1: greedy; more: beam search (default: 1)")  # fmt: skip
    complete.add_argument("--candidates", type=positive_int, default=None, metavar="K",
                          help="print the K likeliest next words instead")  # fmt: skip
    add_sha256_argument(complete)
    complete.set_defaults(func=cmd_complete)
