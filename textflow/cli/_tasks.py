"""``train`` and ``evaluate`` for taggers, forecasters, translators and transcribers: their
data (files in the formats their users have, or the shipped datasets), held-out scores and
reports."""

from __future__ import annotations

import json
import sys
import time

import numpy as np

from .._pipelines import final_estimator, split_final_step
from ._errors import UserError

#: Shipped datasets by task: name -> (task, description).
TASK_DATASETS = {
    "conll2003-ner": ("tagging", "CoNLL-2003 English named entities (research use only)"),
    "conll2003-pos": ("tagging", "CoNLL-2003 English parts of speech"),
    "turkish-web": ("tagging", "Turkish UD web treebank, universal parts of speech"),
    "turkish-wiki": ("tagging", "Turkish UD Wikipedia treebank, universal parts of speech"),
    "de-en": ("translation", "German-English example sentences of the Ding dictionary"),
    "asterisk-en": ("transcription", "Asterisk's recorded English prompts and transcripts"),
    **{name: ("forecasting", f"the {name} series") for name in (
        "airline", "co2", "sunspots", "taylor", "shampoo", "pbs", "uschange", "solar")},
}  # fmt: skip


def dataset_task(name):
    return TASK_DATASETS.get(name, ("classification", ""))[0]


def _split_tail(items, fraction):
    """``(head, tail)``: the last ``fraction`` of ``items`` held out (at least one item)."""
    if not fraction:
        return items, None
    cut = len(items) - max(1, round(len(items) * fraction))
    if cut < 1:
        raise UserError(f"--test-size {fraction} leaves nothing to train on")
    return items[:cut], items[cut:]


# --- tagging --------------------------------------------------------------------------------


def load_tagged_data(args, split):
    """``(sentences, tags, description)`` of ``--data`` or the ``split`` of ``--dataset``."""
    from ..datasets import DataFileError, read_tagged

    if args.dataset:
        if args.dataset.startswith("conll2003"):
            from ..datasets import load_conll2003

            tags = args.dataset.split("-", 1)[1]
            X, y = load_conll2003(split, tags=tags, return_X_y=True)
        else:
            from ..datasets import load_turkish_ud

            X, y = load_turkish_ud(args.dataset.split("-", 1)[1], split, return_X_y=True)
        return X, y, f"dataset {args.dataset} ({split})"
    if not args.data:
        raise UserError("name the tagged sentences with --data FILE or --dataset NAME")
    fmt = args.format if args.format in ("conll", "jsonl") else None
    try:
        data = read_tagged(args.data, word_column=args.word_column,
                           tag_column=args.tag_column, format=fmt)  # fmt: skip
    except DataFileError as error:
        raise UserError(str(error)) from None
    return data.data, data.target, str(args.data)


def _tagger_score(truth, predicted):
    from ..metrics import entity_f1, is_entity_scheme, token_accuracy

    predicted = [list(tags) for tags in predicted]
    tags = sorted({tag for row in truth for tag in row})
    scores = {"token_accuracy": token_accuracy(truth, predicted)}
    if is_entity_scheme(tags):
        scores["entity_f1"] = entity_f1(truth, predicted)
    return scores


def _fit_with_validation(pipeline, X, y, validation):
    """Fit, handing held-out data to a final estimator whose ``fit`` takes it."""
    import inspect

    head, final = split_final_step(pipeline)
    params = {}
    if validation is not None and "validation_data" in inspect.signature(final.fit).parameters:
        name = pipeline.steps[-1][0] if hasattr(pipeline, "steps") else None
        if head is not None:
            validation = (head.fit(X).transform(validation[0]), validation[1])
        params = {f"{name}__validation_data" if name else "validation_data": validation}
    pipeline.fit(X, y, **params)
    return pipeline


def train_with_holdout(pipeline, X, y, held_out, *, unit, description, source, score):
    """Fit (handing ``held_out`` to the final estimator for early stopping), then print
    and return ``score(truth, predictions)`` of the held-out part, prefixed ``holdout_``."""
    print(f"training {description} on {len(X):,} {unit} from {source}")
    start = time.perf_counter()
    try:
        _fit_with_validation(pipeline, X, y, held_out)
    except ValueError as error:
        raise UserError(f"training on {len(X):,} {unit} failed: {error}") from None
    scores = {"fit_seconds": round(time.perf_counter() - start, 2)}
    print(f"fitted in {scores['fit_seconds']:.1f} s")
    if held_out is not None:
        for name, value in score(held_out[1], pipeline.predict(held_out[0])).items():
            scores[f"holdout_{name}"] = value
            print(f"held-out {name.replace('_', ' ')} {value:.4f} on {len(held_out[0]):,} "
                  f"{unit}")  # fmt: skip
    return scores, {unit: len(X), "trained_on": source}


def _held_out_tail(X, y, fraction):
    if not fraction:
        return X, y, None
    (X, X_test), (y, y_test) = _split_tail(X, fraction), _split_tail(y, fraction)
    return X, y, (X_test, y_test)


def train_tagger(args, pipeline, description):
    X, y, source = load_tagged_data(args, "train")
    if args.dataset:
        held_out = load_tagged_data(args, "valid")[:2]
    else:
        X, y, held_out = _held_out_tail(X, y, args.test_size)
    return train_with_holdout(pipeline, X, y, held_out, unit="sentences",
                              description=description, source=source,
                              score=_tagger_score)  # fmt: skip


def evaluate_tagger(args, model):
    from ..metrics import entity_classification_report

    X, y, source = load_tagged_data(args, "test")
    start = time.perf_counter()
    predicted = [list(tags) for tags in model.predict(X)]
    seconds = time.perf_counter() - start
    report = {"sentences": len(X), "tokens": sum(map(len, X)), **_tagger_score(y, predicted),
              "tokens_per_second": sum(map(len, X)) / seconds if seconds else None}  # fmt: skip
    if "entity_f1" in report:
        report["metric"] = "seqeval entity F1, default (conlleval-compatible) mode, IOB tags"
        per_type = entity_classification_report(y, predicted, output_dict=True)
        report["per_type"] = {name: {k: float(v) for k, v in row.items()}
                              for name, row in per_type.items()}  # fmt: skip
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        headline = f"entity F1 {report['entity_f1']:.4f}, " if "entity_f1" in report else ""
        print(
            f"{source}: {len(X):,} sentences, {headline}token accuracy "
            f"{report['token_accuracy']:.4f}"
        )
        if "entity_f1" in report:
            print(entity_classification_report(y, predicted))
    if args.plot:
        _plot(args.plot, "entity_f1", {"model": (y, predicted)}) if "entity_f1" in report else \
            _no_plot(args.plot, "per-type F1 needs entity tags (IOB)")  # fmt: skip
    return 0


# --- translation ----------------------------------------------------------------------------


def load_pairs_data(args, split):
    from ..datasets import DataFileError, read_pairs

    if args.dataset:
        from ..datasets import load_de_en

        try:
            pairs = load_de_en(return_X_y=True)
        except FileNotFoundError as error:
            raise UserError(str(error)) from None
        sources, targets = pairs
        rng = np.random.default_rng(args.seed)  # the same 1,000 held-out pairs each time
        order = rng.permutation(len(sources))
        chosen = order[:1000] if split == "test" else order[1000:]
        return ([sources[i] for i in chosen], [targets[i] for i in chosen],
                f"dataset {args.dataset} ({split})")  # fmt: skip
    if not args.data:
        raise UserError("name the sentence pairs with --data FILE or --dataset NAME")
    try:
        data = read_pairs(
            args.data,
            source_column=args.source_column,
            target_column=args.target_column,
            header=not args.no_header,
        )
    except DataFileError as error:
        raise UserError(str(error)) from None
    return data.data, data.target, str(args.data)


def _translation_scores(references, hypotheses):
    from ..metrics import corpus_bleu, corpus_chrf

    return {"bleu": corpus_bleu(references, hypotheses),
            "chrf": corpus_chrf(references, hypotheses)}  # fmt: skip


def train_translator(args, pipeline, description):
    X, y, source = load_pairs_data(args, "train")
    X, y, held_out = _held_out_tail(X, y, args.test_size)
    return train_with_holdout(pipeline, X, y, held_out, unit="pairs", description=description,
                              source=source, score=_translation_scores)  # fmt: skip


def evaluate_translator(args, model):
    X, y, source = load_pairs_data(args, "test")
    start = time.perf_counter()
    hypotheses = model.predict(X)
    seconds = time.perf_counter() - start
    report = {"pairs": len(X), **_translation_scores(y, hypotheses),
              "metric": "sacrebleu corpus BLEU and chrF, default settings (13a tokenization)",
              "sentences_per_second": len(X) / seconds if seconds else None}  # fmt: skip
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{source}: {len(X):,} pairs, BLEU {report['bleu']:.2f}, chrF {report['chrf']:.2f}")
    if args.plot:
        translator = final_estimator(model)
        source_tokens, target_tokens, weights = translator.attention_weights(X[:1])[0]
        if weights is None:
            _no_plot(args.plot, "the translator has no attention to draw")
        else:
            _plot(args.plot, "attention", source_tokens, target_tokens, weights)
    return 0


# --- transcription ----------------------------------------------------------------------------


def load_recordings_data(args, split):
    """``(paths, transcripts, description)`` of ``--data`` (an audio and a transcript
    column; relative paths are read from the data file's folder) or ``--dataset``."""
    from pathlib import Path

    from ..datasets import DataFileError, read_pairs

    if args.dataset:
        from ..datasets import load_asterisk_prompts

        try:
            paths, transcripts = load_asterisk_prompts(return_X_y=True)
        except FileNotFoundError as error:
            raise UserError(str(error)) from None
        from ..speech import split_by_transcript

        train, test = split_by_transcript(transcripts, 0.15, args.seed)
        chosen = test if split == "test" else train
        return ([paths[i] for i in chosen], [transcripts[i] for i in chosen],
                f"dataset {args.dataset} ({split})")  # fmt: skip
    if not args.data:
        raise UserError("name the recordings with --data FILE (audio paths and transcripts) "
                        "or --dataset asterisk-en")  # fmt: skip
    try:
        data = read_pairs(args.data, source_column=args.audio_column,
                          target_column=args.transcript_column,
                          header=not args.no_header)  # fmt: skip
    except DataFileError as error:
        raise UserError(str(error)) from None
    folder = Path(args.data).resolve().parent
    paths = [str(folder / path) if not Path(path).is_absolute() else path for path in data.data]
    missing = [path for path in paths if not Path(path).is_file()]
    if missing:
        raise UserError(f"{args.data}: {len(missing)} of {len(paths)} recordings are missing, "
                        f"the first {missing[0]}")  # fmt: skip
    return paths, data.target, str(args.data)


def _transcription_scores(references, hypotheses):
    from ..metrics import character_error_rate, word_error_rate
    from ..speech import normalize_transcript

    references = [normalize_transcript(r) for r in references]
    hypotheses = [normalize_transcript(h) for h in hypotheses]
    return {"wer": word_error_rate(references, hypotheses),
            "cer": character_error_rate(references, hypotheses)}  # fmt: skip


def train_transcriber(args, pipeline, description):
    X, y, source = load_recordings_data(args, "train")
    held_out = None
    if args.test_size and not args.dataset:
        from ..speech import split_by_transcript

        train, test = split_by_transcript(y, args.test_size, args.seed)
        if not train:
            raise UserError(f"--test-size {args.test_size} leaves nothing to train on")
        X, y, held_out = ([X[i] for i in train], [y[i] for i in train],
                          ([X[i] for i in test], [y[i] for i in test]))  # fmt: skip
    return train_with_holdout(pipeline, X, y, held_out, unit="recordings",
                              description=description, source=source,
                              score=_transcription_scores)  # fmt: skip


def evaluate_transcriber(args, model):
    X, y, source = load_recordings_data(args, "test")
    start = time.perf_counter()
    heard = model.predict(X)
    seconds = time.perf_counter() - start
    report = {"recordings": len(X), **_transcription_scores(y, heard),
              "metric": "word and character error rates of the normalised transcripts "
              "(lower case, punctuation as a word break; jiwer's alignment)",
              "recordings_per_second": len(X) / seconds if seconds else None}  # fmt: skip
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{source}: {len(X):,} recordings, WER {report['wer']:.3f}, "
              f"CER {report['cer']:.3f}")  # fmt: skip
    return 0


# --- forecasting ----------------------------------------------------------------------------


def load_series_data(args):
    """``(y, X, period, horizon, description)`` of ``--data`` or ``--dataset``."""
    from ..datasets import DataFileError, read_series

    if args.dataset:
        from ..datasets import load_series

        data = load_series(args.dataset)
        return data.y, data.X, data.period, data.horizon, f"dataset {args.dataset}"
    if not args.data:
        raise UserError("name the series with --data FILE (and --value-column) or --dataset")
    if not args.value_column:
        raise UserError("--value-column names the column to forecast")
    try:
        data = read_series(args.data, value_column=args.value_column,
                           time_column=args.time_column,
                           exogenous_columns=args.exogenous_column or ())  # fmt: skip
    except DataFileError as error:
        raise UserError(str(error)) from None
    return data.y, data.X, None, None, str(args.data)


def _forecast_scores(model, y_train, y_test, X_test, period, coverage):
    from ..metrics import mase, smape

    kwargs = {} if X_test is None else {"X": X_test}
    forecast = np.asarray(model.predict(len(y_test), **kwargs), dtype=float)
    actual = np.asarray(y_test, dtype=float)
    scores = {"mase": mase(actual, forecast, np.asarray(y_train, float), period=period),
              "smape": smape(actual, forecast), "horizon": len(actual)}  # fmt: skip
    bounds = None
    if hasattr(model, "predict_interval") and len(actual) <= getattr(model, "horizon", 0):
        try:
            bounds = np.asarray(model.predict_interval(len(actual), coverage=coverage, **kwargs),
                                dtype=float)  # fmt: skip
        except ValueError:
            bounds = None
    if bounds is not None:
        inside = (bounds[:, 0] <= actual) & (actual <= bounds[:, 1])
        scores.update(coverage=coverage, interval_coverage=float(inside.mean()))
    return scores, forecast, bounds


def train_forecaster(args, pipeline, description):
    y, X, period, horizon, source = load_series_data(args)
    forecaster = final_estimator(pipeline)
    if args.horizon is not None and "horizon" in forecaster.get_params():
        forecaster.set_params(horizon=args.horizon)
    elif horizon is not None and "horizon" in forecaster.get_params() and not _set_by_user(args):
        forecaster.set_params(horizon=horizon)
    y_test = X_test = None
    if args.test_size:
        cut = len(y) - max(1, round(len(y) * args.test_size))
        y, y_test = y.iloc[:cut], y.iloc[cut:]
        if X is not None:
            X, X_test = X.iloc[:cut], X.iloc[cut:]
    print(f"training {description} on {len(y):,} values from {source}")
    start = time.perf_counter()
    try:
        forecaster.fit(y, X) if X is not None else forecaster.fit(y)
    except ValueError as error:
        raise UserError(f"training on {len(y):,} values failed: {error}") from None
    scores = {"fit_seconds": round(time.perf_counter() - start, 2),
              "period": int(getattr(forecaster, "period_", period or 1))}  # fmt: skip
    print(f"fitted in {scores['fit_seconds']:.1f} s (period {scores['period']})")
    if y_test is not None:
        steps = min(len(y_test), getattr(forecaster, "horizon", len(y_test)))  # one block
        y_test = y_test.iloc[:steps]
        X_test = None if X_test is None else X_test.iloc[:steps]
        held, _, _ = _forecast_scores(forecaster, y, y_test, X_test, scores["period"], 0.9)
        for name in ("mase", "smape", "interval_coverage"):
            if name in held:
                scores[f"holdout_{name}"] = held[name]
                print(f"held-out {name.replace('_', ' ')} {held[name]:.4f} over {len(y_test)} "
                      "steps")  # fmt: skip
    return scores, {"values": len(y), "trained_on": source}, forecaster


def _set_by_user(args):
    return any(key.split("=")[0].endswith("horizon") for key in args.set or [])


def evaluate_forecaster(args, model):
    y, X, period, _, source = load_series_data(args)
    seen = getattr(model, "n_observations_", None)
    if seen is None or seen >= len(y):
        raise UserError(
            f"{source} has {len(y)} values; the forecaster was fitted on {seen}: "
            "evaluate it on the series continued past the values it was fitted on"
        )
    steps = min(len(y) - seen, args.horizon or getattr(model, "horizon", len(y) - seen))
    y_train, y_test = y.iloc[:seen], y.iloc[seen : seen + steps]
    X_test = None if X is None else X.iloc[seen : seen + steps]
    period = int(getattr(model, "period_", period or 1))
    report, forecast, bounds = _forecast_scores(model, y_train, y_test, X_test, period,
                                                args.coverage)  # fmt: skip
    report = {
        "source": source,
        "period": period,
        **report,
        "metric": "MASE (in-sample seasonal-naive scale, the model's period) and sMAPE",
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        cover = (f", {report['interval_coverage']:.0%} inside the {args.coverage:.0%} intervals"
                 if "interval_coverage" in report else "")  # fmt: skip
        print(
            f"{source}: {steps} steps after the {seen} fitted on, MASE {report['mase']:.4f}, "
            f"sMAPE {report['smape']:.2f}{cover}"
        )
    if args.plot:
        import pandas as pd

        lower = upper = None
        if bounds is not None:
            lower, upper = bounds[:, 0], bounds[:, 1]
        _plot(
            args.plot,
            "forecast",
            y_train,
            pd.Series(forecast, index=y_test.index),
            actual=y_test,
            lower=lower,
            upper=upper,
            last=4 * steps,
        )
    return 0


# --- figures --------------------------------------------------------------------------------


def _plot(path, kind, *data, **options):
    try:
        import matplotlib

        matplotlib.use("Agg")
        from .. import plot
    except ImportError:
        raise UserError("--plot needs matplotlib: pip install 'textflow[plot]'") from None
    draw = {"entity_f1": plot.plot_entity_f1, "attention": plot.plot_attention,
            "forecast": plot.plot_forecast}[kind]  # fmt: skip
    axes = draw(*data, **options)
    axes.figure.savefig(path, dpi=120, bbox_inches="tight")
    print(f"figure written to {path}")


def _no_plot(path, why):
    print(f"note: no figure written to {path}: {why}", file=sys.stderr)
