"""Speech: CTC decoding, error rates, the audio front-end, the datasets, the transcriber,
and frame sequences as recurrent input."""

import itertools
import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV

from textflow import BaselineWarning, InvalidDocumentError, RNNClassifier
from textflow.metrics import character_error_rate, word_error_rate
from textflow.models._decoding import ctc_beam_search, ctc_greedy

soundfile = pytest.importorskip("soundfile")
pytest.importorskip("librosa")

from textflow.speech import (  # noqa: E402 - after the optional imports' skips
    AudioFeatures,
    AudioReader,
    CTCTranscriber,
    normalize_transcript,
    split_by_transcript,
)

# --- CTC decoding --------------------------------------------------------------------


def test_greedy_decoding_merges_repeats_and_drops_blanks():
    best = [1, 1, 0, 1, 2, 2, 0, 0, 3]  # a a _ a b b _ _ c -> a a b c
    log_probs = np.log(np.full((len(best), 4), 0.1))
    log_probs[np.arange(len(best)), best] = np.log(0.7)
    assert ctc_greedy(log_probs) == [1, 1, 2, 3]
    assert ctc_greedy(log_probs[:, [3, 1, 2, 0]], blank=3) == [1, 1, 2, 0]


def _labelling_probabilities(log_probs, blank=0):
    """Every labelling's probability, summed over all its paths (brute force)."""
    totals = {}
    for path in itertools.product(range(log_probs.shape[1]), repeat=len(log_probs)):
        merged = [k for i, k in enumerate(path) if k != blank and (i == 0 or path[i - 1] != k)]
        score = np.exp(sum(log_probs[t, k] for t, k in enumerate(path)))
        totals[tuple(merged)] = totals.get(tuple(merged), 0.0) + score
    return totals


def test_beam_search_finds_the_labelling_greedy_misses():
    # Greedy reads blank-blank (0.36); "a" is worth 0.64 over its three paths.
    log_probs = np.log(np.array([[0.6, 0.4], [0.6, 0.4]]))
    assert ctc_greedy(log_probs) == []
    assert ctc_beam_search(log_probs, beam_width=4) == [1]


@pytest.mark.parametrize("seed", range(5))
def test_wide_beam_search_returns_the_most_probable_labelling(seed):
    rng = np.random.default_rng(seed)
    logits = rng.normal(scale=1.5, size=(5, 3))
    log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    totals = _labelling_probabilities(log_probs)
    best = max(totals, key=totals.get)
    assert tuple(ctc_beam_search(log_probs, beam_width=64, prune=-np.inf)) == best


# --- error rates and transcripts ---------------------------------------------------------


def test_word_and_character_error_rates():
    assert word_error_rate(["a b c", "d"], ["a x c", ""]) == pytest.approx(2 / 4)
    assert word_error_rate(["a b c", ""], ["a b c", "x y"]) == pytest.approx(2 / 3)
    assert character_error_rate(["abc"], ["abd"]) == pytest.approx(1 / 3)
    assert character_error_rate(["abc"], [""]) == 1.0
    with pytest.raises(ValueError, match="all are empty"):
        word_error_rate([""], ["x"])


def test_transcripts_are_normalised_as_heard():
    assert normalize_transcript("Press 1, then #.") == "press 1 then"
    assert normalize_transcript("Don't  hang_up!") == "don't hang up"
    assert normalize_transcript("") == ""


def test_held_out_recordings_never_share_a_transcript_with_training():
    texts = [f"Prompt {i % 40}." if i % 3 else f"prompt {i % 40}" for i in range(200)]
    train, test = split_by_transcript(texts, test_size=0.2, random_state=1)
    assert sorted(train + test) == list(range(200))
    heard = {normalize_transcript(texts[i]) for i in train}
    assert not heard & {normalize_transcript(texts[i]) for i in test}
    assert len({normalize_transcript(texts[i]) for i in test}) == 8  # 20 % of 40
    assert split_by_transcript(texts, 0.2, 1) == (train, test)  # seeded


# --- the audio front-end ---------------------------------------------------------------------


def _noise(seconds, rate, seed=0):
    return np.random.default_rng(seed).normal(scale=0.1, size=int(seconds * rate)).astype("f4")


def test_audio_features_shapes_follow_the_settings():
    second = (_noise(1, 16000), 16000)
    assert AudioFeatures().fit_transform([second])[0].shape == (101, 39)
    assert AudioFeatures(deltas=0).transform([second])[0].shape == (101, 13)
    frames = AudioFeatures(features="log-mel", n_mels=20, deltas=1, hop_length=0.02)
    assert frames.transform([second])[0].shape == (51, 40)
    normalized = AudioFeatures().transform([second])[0]
    np.testing.assert_allclose(normalized.mean(axis=0), 0, atol=1e-4)
    np.testing.assert_allclose(normalized.std(axis=0), 1, atol=1e-3)
    raw = AudioFeatures(normalize=False).transform([second])[0]
    assert np.abs(raw.mean(axis=0)).max() > 1
    short = AudioFeatures().transform([(_noise(0.004, 16000), 16000)])[0]  # under one window
    assert short.shape[1] == 39 and np.all(np.isfinite(short))


def test_audio_from_files_equals_audio_from_arrays(tmp_path):
    waveform = _noise(0.5, 8000)
    path = tmp_path / "one.wav"
    soundfile.write(path, waveform, 8000, subtype="FLOAT")
    stereo = tmp_path / "two.wav"
    soundfile.write(stereo, np.column_stack([waveform, waveform]), 8000, subtype="FLOAT")
    features = AudioFeatures(sample_rate=8000)
    from_file, from_stereo, from_array = features.transform([path, str(stereo),
                                                             (waveform, 8000)])  # fmt: skip
    np.testing.assert_allclose(from_file, from_array, atol=1e-4)
    np.testing.assert_allclose(from_stereo, from_array, atol=1e-4)
    resampled = AudioReader(sample_rate=16000).transform([path])[0]
    assert len(resampled) == 8000
    assert len(AudioReader(sample_rate=None).transform([path])[0]) == 4000


def test_audio_steps_name_the_bad_recording(tmp_path):
    good = (_noise(0.1, 8000), 8000)
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"not audio at all")
    reader = AudioReader()
    with pytest.raises(InvalidDocumentError, match="Recording 1: no audio file") as error:
        reader.transform([good, tmp_path / "missing.wav"])
    assert error.value.index == 1  # the scoring machinery skips and reports it by this
    with pytest.raises(InvalidDocumentError, match="Recording 1: no audio file"):
        reader.transform([good, tmp_path / "missing.wav"])
    with pytest.raises(ValueError, match=r"Recording 1 \(.*broken.wav\) cannot be read"):
        reader.transform([good, broken])
    with pytest.raises(ValueError, match="Recording 2: the sample rate"):
        reader.transform([good, good, (good[0], 0)])
    with pytest.raises(ValueError, match="Recording 1 holds NaN"):
        reader.transform([good, (np.array([0.0, np.nan], "f4"), 8000)])
    with pytest.raises(ValueError, match="Recording 0 is a bare waveform"):
        AudioReader(sample_rate=None).transform([good[0]])
    with pytest.raises(ValueError, match="wrap it in a list"):
        reader.transform(str(broken))
    with pytest.raises(ValueError, match="is dict"):
        reader.transform([{}])


def test_pcm_integers_read_as_unit_range():
    pcm = (np.sin(np.arange(800) / 5) * 32767).astype(np.int16)
    waveform = AudioReader(sample_rate=8000).transform([(pcm, 8000)])[0]
    assert waveform.dtype == np.float32 and 0.99 < np.abs(waveform).max() <= 1.0


# --- datasets -------------------------------------------------------------------------


def test_spoken_digits_and_japanese_vowels_load_whole():
    from textflow.datasets import load_japanese_vowels, load_spoken_digits

    digits = load_spoken_digits()
    assert len(digits.data) == 3000 and np.bincount(digits.target).tolist() == [300] * 10
    assert {x.shape[1] for x in digits.data} == {13}
    train, test = load_japanese_vowels("train"), load_japanese_vowels("test")
    assert (len(train.data), len(test.data)) == (270, 370)
    assert {x.shape[1] for x in train.data} == {12} and len(set(train.target)) == 9
    assert 7 <= min(len(x) for x in test.data) and max(len(x) for x in test.data) <= 29


def _asterisk_or_skip(kind="all"):
    from textflow.datasets import load_asterisk_prompts

    try:
        return load_asterisk_prompts(kind)
    except FileNotFoundError:
        pytest.skip("Debian's asterisk-core-sounds-en(-wav) packages are not installed")


def test_asterisk_prompts_pair_recordings_with_transcripts():
    prompts = _asterisk_or_skip()
    assert len(prompts.data) == len(prompts.target) == 563
    words = _asterisk_or_skip("words")
    assert len(words.data) + len(_asterisk_or_skip("sentences").data) == 563
    spoken = dict(zip(words.data, words.target))
    zero = next(path for path in spoken if path.endswith("digits/0.wav"))
    assert spoken[zero] == "zero"
    assert not any(text.startswith("[") for text in prompts.target)


@pytest.mark.slow
def test_asterisk_recordings_give_frames_at_their_duration():
    words = _asterisk_or_skip("words")
    paths = words.data[:5]
    frames = AudioFeatures(sample_rate=8000).transform(paths)
    for path, frame in zip(paths, frames):
        seconds = soundfile.info(path).duration
        assert abs(len(frame) - seconds * 100) <= 2 and frame.shape[1] == 39


# --- the transcriber ------------------------------------------------------------------

SOUND_OF = {c: i for i, c in enumerate("abc ")}


def _say(text, rng):
    """A made-up voice: 4 noisy frames per character, each near its own one-hot."""
    return np.concatenate([
        np.eye(4, dtype="f4")[[SOUND_OF[c]] * 4] + rng.normal(0, 0.1, (4, 4)).astype("f4")
        for c in text
    ])  # fmt: skip


@pytest.fixture(scope="module")
def spoken():
    rng = np.random.default_rng(0)
    texts = ["ab", "ba", "abc", "cab", "bca", "a b"] * 4
    return [_say(t, rng) for t in texts], texts


@pytest.fixture(scope="module")
def transcriber(spoken):
    X, y = spoken
    model = CTCTranscriber(units=16, num_layers=1, epochs=40, batch_size=24, learning_rate=0.03,
                           early_stopping=False, random_state=0)  # fmt: skip
    return model.fit(X, y)


def test_transcriber_learns_to_spell(transcriber, spoken):
    X, y = spoken
    assert transcriber.alphabet_ == ["", " ", "a", "b", "c"]
    assert transcriber.predict(X[:6]) == y[:6]
    assert transcriber.score(X, y) == 1.0
    assert transcriber.best_score_ < transcriber.baseline_score_
    log_probs = transcriber.predict_log_proba(X[:2])
    assert [p.shape for p in log_probs] == [(len(X[0]) // 2, 5), (len(X[1]) // 2, 5)]
    np.testing.assert_allclose(np.exp(log_probs[0]).sum(axis=1), 1, rtol=1e-5)
    greedy = clone(transcriber).set_params(beam_width=1)
    greedy.__dict__.update({k: v for k, v in vars(transcriber).items() if k.endswith("_")})
    assert greedy.predict(X[:6]) == y[:6]


def test_transcriber_survives_pickling_and_keeps_its_order(transcriber, spoken):
    X, _ = spoken
    restored = pickle.loads(pickle.dumps(transcriber))
    assert restored.predict(X[:6]) == transcriber.predict(X[:6])
    assert transcriber.predict(X[:6][::-1]) == transcriber.predict(X[:6])[::-1]
    padded = np.zeros((3, max(len(x) for x in X[:3]), 4), dtype="f4")
    for i, x in enumerate(X[:3]):
        padded[i, : len(x)] = x
    assert transcriber.predict(padded) == transcriber.predict(X[:3])


def test_transcriber_refuses_bad_input_by_recording(transcriber, spoken):
    X, _ = spoken
    model = CTCTranscriber(units=4, num_layers=1, epochs=1)
    with pytest.raises(NotFittedError):
        model.predict(X)
    with pytest.raises(ValueError, match="single str"):
        model.fit(X[:1], "ab")
    with pytest.raises(ValueError, match="has 2 recordings but y has 1"):
        model.fit(X[:2], ["ab"])
    with pytest.raises(ValueError, match="Transcript 1 of y is int"):
        model.fit(X[:2], ["ab", 3])
    with pytest.raises(ValueError, match="Recording 1 of X gives 2 steps"):
        model.fit([X[0], X[0][:4]], ["ab", "abcabc"])
    with pytest.raises(ValueError, match="every transcript is empty"):
        model.fit(X[:2], ["", "..."])
    with pytest.raises(ValueError, match=r"X\[1\] has frames of 3 features; expected 4"):
        transcriber.predict([X[0], X[0][:, :3]])
    with pytest.raises(ValueError, match=r"X\[0\] holds NaN"):
        transcriber.predict([np.full((8, 4), np.nan, "f4")])


def test_transcriber_checks_itself_against_a_constant_transcript(spoken):
    X, y = spoken
    model = CTCTranscriber(units=4, num_layers=1, epochs=1, early_stopping=False, random_state=0)
    with pytest.warns(BaselineWarning, match="best constant transcript"):
        model.fit(X, y)
    assert model.best_score_ >= model.baseline_score_


def test_transcriber_holds_out_recordings_for_early_stopping(spoken):
    X, y = spoken
    model = CTCTranscriber(units=4, num_layers=1, epochs=2, patience=1, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BaselineWarning)
        model.fit(X, y)  # 24 recordings: the last 10 % held out
    assert "val_loss" in model.history_


# --- frame sequences as recurrent input ----------------------------------------------------


@pytest.fixture(scope="module")
def frame_data():
    """Two classes told apart by the sign of the first feature, sequences of 5-30 frames."""
    rng = np.random.default_rng(1)
    X, y = [], []
    for i in range(80):
        label = i % 2
        frames = rng.normal(size=(rng.integers(5, 30), 3)).astype("f4")
        frames[:, 0] += 1.5 if label else -1.5
        X.append(frames)
        y.append(["low", "high"][label])
    return X, np.array(y)


def _frame_classifier(**params):
    settings = {"cell": "gru", "units": 8, "pooling": "mean", "epochs": 15,
                "learning_rate": 0.02, "random_state": 0}  # fmt: skip
    return RNNClassifier(**{**settings, **params})


def test_rnn_classifier_reads_frame_sequences(frame_data):
    X, y = frame_data
    model = _frame_classifier().fit(X[:60], y[:60])
    assert model.n_frame_features_ == 3 and model.n_features_in_ == 3
    assert model.score(X[60:], y[60:]) >= 0.9
    proba = model.predict_proba(X[60:])
    assert proba.shape == (20, 2)
    padded = np.zeros((20, 30, 3), dtype="f4")
    for i, x in enumerate(X[60:]):
        padded[i, : len(x)] = x
    np.testing.assert_allclose(model.predict_proba(padded), proba, atol=1e-5)
    np.testing.assert_allclose(model.predict_proba(X[60:][::-1]), proba[::-1], atol=1e-5)
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_allclose(restored.predict_proba(X[60:]), proba, atol=1e-6)
    with pytest.raises(ValueError, match="fitted on sequences of frames"):
        model.predict(np.array([[1, 2, 3]]))
    with pytest.raises(ValueError, match=r"X\[0\] has frames of 2 features; expected 3"):
        model.predict([X[0][:, :2]])


def test_rnn_classifier_on_frames_in_a_grid_search(frame_data):
    X, y = frame_data
    search = GridSearchCV(_frame_classifier(epochs=5), {"cell": ["rnn", "gru"]}, cv=2)
    search.fit(X[:40], y[:40])
    assert set(search.cv_results_["param_cell"]) == {"rnn", "gru"}
    assert search.best_estimator_.n_frame_features_ == 3


@pytest.mark.slow
def test_rnn_classifier_tells_spoken_digits_apart():
    from sklearn.model_selection import train_test_split

    from textflow.datasets import load_spoken_digits

    X, y = load_spoken_digits(return_X_y=True)
    keep = np.flatnonzero(y < 3)[::2]  # 450 recordings of zero, one and two
    X_train, X_test, y_train, y_test = train_test_split(
        [X[i] for i in keep], y[keep], test_size=0.2, stratify=y[keep], random_state=0
    )
    model = RNNClassifier(cell="gru", units=16, bidirectional=True, pooling="mean", epochs=12,
                          learning_rate=0.01, random_state=0)  # fmt: skip
    assert model.fit(X_train, y_train).score(X_test, y_test) >= 0.8


# --- recordings to transcripts, from the command line ------------------------------------

TONE_OF = {"a": 400, "b": 900, "c": 1700}


def _tones(word, rate=8000):
    """A word as a tone per letter, 80 ms each: recordings a transcriber can learn."""
    t = np.arange(int(0.08 * rate)) / rate
    return np.concatenate([0.5 * np.sin(2 * np.pi * TONE_OF[c] * t) for c in word]).astype("f4")


@pytest.mark.slow
def test_train_evaluate_and_transcribe_from_the_command_line(tmp_path, capsys):
    import csv
    import json

    from textflow.cli import main

    words = ["ab", "ba", "abc", "cab", "bca", "cb"] * 4
    (tmp_path / "train").mkdir()
    with open(tmp_path / "train.csv", "w", newline="") as file:
        rows = csv.writer(file)
        rows.writerow(["path", "transcript"])
        for i, word in enumerate(words):
            soundfile.write(tmp_path / "train" / f"{i:02d}.wav", _tones(word), 8000)
            rows.writerow([f"train/{i:02d}.wav", word.upper() + "."])  # relative, as said
    settings = ["features__sample_rate=8000", "features__deltas=0", "transcriber__units=16",
                "transcriber__num_layers=1", "transcriber__epochs=40",
                "transcriber__batch_size=24", "transcriber__learning_rate=0.03",
                "transcriber__early_stopping=false"]  # fmt: skip
    model = tmp_path / "tones.joblib"
    assert main(["train", "--preset", "transcriber", "--data", str(tmp_path / "train.csv"),
                 *[a for s in settings for a in ("--set", s)], "-o", str(model),
                 "--quiet"]) == 0  # fmt: skip
    assert "saved to" in capsys.readouterr().out
    assert main(["evaluate", str(model), "--data", str(tmp_path / "train.csv"), "--json"]) == 0
    out = capsys.readouterr().out
    report = json.loads(out[: out.rindex("}") + 1])
    assert report["recordings"] == 24 and report["wer"] == 0.0 and report["cer"] == 0.0
    (tmp_path / "bad.csv").write_text("path,transcript\nnowhere.wav,ab\n")
    assert main(["train", "--preset", "transcriber", "--data", str(tmp_path / "bad.csv"),
                 "-o", str(model)]) == 2  # fmt: skip
    assert "1 of 1 recordings are missing" in capsys.readouterr().err

    audio = tmp_path / "audio"
    (audio / "more").mkdir(parents=True)
    soundfile.write(audio / "b.wav", _tones("cab"), 8000)
    soundfile.write(audio / "more" / "a.flac", _tones("ba", 16000), 16000)  # resampled on reading
    (audio / "notes.txt").write_text("not a recording")
    (audio / "broken.wav").write_bytes(b"RIFF but not audio")
    output = tmp_path / "transcripts.csv"
    assert main(["transcribe", str(model), str(audio), "-o", str(output),
                 "--on-error", "skip-and-report", "-q"]) == 0  # fmt: skip
    with open(output, newline="") as file:
        rows = list(csv.DictReader(file))
    assert [(r["path"], r["transcript"]) for r in rows] == [
        ("b.wav", "cab"), ("broken.wav", ""), ("more/a.flac", "ba")]  # fmt: skip
    assert "cannot be read as audio" in rows[1]["error"] and not rows[0]["error"]
    capsys.readouterr()
    assert main(["transcribe", str(model), str(audio / "b.wav"),
                 "--beam-width", "1", "-q"]) == 0  # fmt: skip
    assert capsys.readouterr().out.splitlines() == ["path,transcript", f"{audio / 'b.wav'},cab"]
    assert main(["transcribe", str(model), str(audio), "-q"]) == 1
    assert "broken.wav" in capsys.readouterr().err
    assert main(["transcribe", str(model), str(tmp_path / "nowhere")]) == 2
    assert "no audio file or folder" in capsys.readouterr().err
