"""Preprocessing speed on the 25,000 IMDB reviews.

(a) textflow: Tokenizer -> Lowercaser -> PunctuationStripper -> StopwordRemover -> Stemmer
(b) anchor: sklearn's CountVectorizer().build_analyzer() (regex + lowercase, C speed)
(c) anchor: the naive NLTK chain a tutorial writes (Treebank tokenize -> lower ->
    drop punctuation -> drop stop words -> PorterStemmer().stem per token)
Targets: (a) <= 1.0 x (b) with the Arrow tokenizer backend (stretch 0.7 x), and (a)
>= 25 x faster than (c); identical output to the pure-Python backend; peak memory of
the Tokenizer no higher than the pure-Python backend's (each measured in a fresh
process). Also: the hand-written Porter stemmer against NLTK's PorterStemmer and
PyStemmer on the same vocabulary, same run.
"""

import argparse
import statistics
import string
import time

from sklearn.feature_extraction.text import CountVectorizer
from sklearn.pipeline import Pipeline

from textflow import Lowercaser, PunctuationStripper, Stemmer, StopwordRemover, Tokenizer
from textflow.datasets import load_imdb
from textflow.text import _stem, load_stopwords

try:
    from ._common import save, timed
except ImportError:
    from _common import save, timed


def textflow_chain(n_jobs=None, backend="nltk", tokenizer="auto", threads=None):
    return Pipeline(
        [
            ("tok", Tokenizer(backend=tokenizer, n_jobs=threads or n_jobs)),
            ("low", Lowercaser()),
            ("punct", PunctuationStripper()),
            ("stop", StopwordRemover()),
            ("stem", Stemmer(n_jobs=n_jobs, backend=backend)),
        ]
    )


def ready(corpus):
    """The corpus with every occurrence's id written (token steps compose their
    vocabulary maps and rewrite the ids when first read): timings include that."""
    corpus.ids  # noqa: B018
    return corpus


def naive_nltk(docs):
    from nltk.stem import PorterStemmer
    from nltk.tokenize import TreebankWordTokenizer

    tokenizer, stemmer = TreebankWordTokenizer(), PorterStemmer()
    stop = set(load_stopwords("english"))
    punctuation = set(string.punctuation)
    out = []
    for doc in docs:
        tokens = [t.lower() for t in tokenizer.tokenize(doc)]
        tokens = [t for t in tokens if t not in punctuation]
        tokens = [t for t in tokens if t not in stop]
        out.append([stemmer.stem(t) for t in tokens])
    return out


def step_breakdown(docs, repeat, tokenizer="auto"):
    """Median seconds of each step of (a), cold, each fed the previous step's output
    (each step's ids written, so a step is charged for the rewrite a chain does once)."""
    times, data = {}, docs
    for name, step in textflow_chain(tokenizer=tokenizer).steps:
        run = cold(lambda step=step, data=data: ready(step.fit_transform(data)))
        times[name], _, data = timed(run, repeat)
    return times


def cold(func):
    def run():
        _stem._CACHES.clear()  # no memo carried over from an earlier repetition
        return func()

    return run


PEAK_SCRIPT = """
import gc, tracemalloc
from textflow import Tokenizer
from textflow.datasets import load_imdb
docs = list(load_imdb(shuffle=False).data[: {n_docs}])
gc.collect()
tracemalloc.start()
Tokenizer(backend={backend!r}).fit_transform(docs)
python_peak = tracemalloc.get_traced_memory()[1]
arrow_peak = 0
if {backend!r} == "arrow":
    import pyarrow as pa
    arrow_peak = pa.default_memory_pool().max_memory()
print((python_peak + arrow_peak) / 2**20)
"""


def tokenizer_peak_mb(backend, n_docs):
    """Peak memory the Tokenizer adds over the loaded documents, in a fresh process (MB):
    Python's allocations (tracemalloc) plus, for Arrow, its memory pool's peak."""
    import subprocess
    import sys

    script = PEAK_SCRIPT.format(n_docs=n_docs, backend=backend)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)  # fmt: skip
    return float(result.stdout.strip().splitlines()[-1])


def stemmer_comparison(docs, repeat):
    """Seconds to stem the corpus' distinct lower-cased tokens, three implementations."""
    from nltk.stem import PorterStemmer

    from textflow.text._porter import porter_stem

    vocabulary = Tokenizer(lowercase=True).fit_transform(docs).vocabulary
    nltk_stem = PorterStemmer().stem
    implementations = {"textflow porter": porter_stem, "nltk PorterStemmer": nltk_stem}
    try:
        import Stemmer as pystemmer

        stem_words = pystemmer.Stemmer("porter").stemWords
        implementations["PyStemmer (porter)"] = None
    except ImportError:
        stem_words = None
    times = {}
    for name, stem in implementations.items():
        run = (lambda: stem_words(vocabulary)) if stem is None else (
            lambda stem=stem: [stem(word) for word in vocabulary])  # fmt: skip
        times[name] = timed(run, repeat)[0]
    agree = sum(porter_stem(w) == nltk_stem(w) for w in vocabulary) / len(vocabulary)
    return {"n_words": len(vocabulary), "seconds": times, "agreement_with_nltk": agree}


def seconds(func):
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-docs", type=int, default=None, help="use the first N reviews")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-naive", action="store_true", help="skip the slow anchor (c)")
    args = parser.parse_args(argv)

    docs = load_imdb(shuffle=False).data[: args.n_docs]
    n_tokens = sum(len(d) for d in Tokenizer().fit_transform(docs))
    print(f"{len(docs)} documents, {n_tokens:,} regex tokens")

    analyzer = CountVectorizer().build_analyzer()

    def run(**settings):
        return lambda: ready(textflow_chain(**settings).fit_transform(docs))

    variants = {
        "cold": cold(run()),
        "warm": run(),
        "arrow, 2 threads": cold(run(threads=2)),
        "pystemmer": cold(run(backend="pystemmer")),
        "python tokenizer": cold(run(tokenizer="python")),
        "python, n_jobs=2": cold(run(n_jobs=2, tokenizer="python")),
    }
    # Rounds interleave the anchor and every variant, so that a slow spell of this shared
    # machine hits both sides of a ratio; each ratio is the median of per-round ratios.
    anchor_times, times, outputs = [], {name: [] for name in variants}, {}
    for _ in range(args.repeat):
        anchor_times.append(seconds(lambda: [analyzer(doc) for doc in docs])[0])
        for name, run in variants.items():
            elapsed, outputs[name] = seconds(run)
            times[name].append(elapsed)
    for name in variants:
        if name != "pystemmer":
            assert outputs[name] == outputs["cold"], name
    assert len(outputs["cold"]) == len(docs)
    ratios = {
        name: statistics.median(t / b for t, b in zip(runs, anchor_times))
        for name, runs in times.items()
    }
    b = statistics.median(anchor_times)
    medians = {name: statistics.median(runs) for name, runs in times.items()}
    breakdown = step_breakdown(docs, args.repeat)
    breakdown_python = step_breakdown(docs, args.repeat, tokenizer="python")
    peaks = {backend: tokenizer_peak_mb(backend, len(docs)) for backend in ("python", "arrow")}
    stemmers = stemmer_comparison(docs, args.repeat)
    results = {
        "n_docs": len(docs),
        "n_tokens": n_tokens,
        "b_sklearn_analyzer_s": b,
        "b_runs_s": anchor_times,
        "a_median_s": medians,
        "a_runs_s": times,
        "ratio_a_over_b": ratios,
        "step_seconds": breakdown,
        "step_seconds_python_tokenizer": breakdown_python,
        "tokenizer_peak_mb": peaks,
        "stemmers": stemmers,
    }
    runs = ", ".join(f"{t:.2f}" for t in anchor_times)
    print(f"(b) sklearn analyzer        {b:7.2f} s  (runs {runs})")
    for name, median in medians.items():
        label = "(a) textflow chain, cold" if name == "cold" else f"    textflow, {name}"
        target = "   target <= 1.0 (stretch 0.7)" if name == "cold" else ""
        print(f"{label:27s} {median:7.2f} s  = {ratios[name]:.2f} x (b){target}")
    for label, table in (("arrow", breakdown), ("python", breakdown_python)):
        steps = ", ".join(f"{name} {seconds:.2f}" for name, seconds in table.items())
        print(f"    per step, cold, {label:6s} {steps}")
    print(f"    Tokenizer peak memory   python {peaks['python']:.0f} MB, arrow "
          f"{peaks['arrow']:.0f} MB (fresh processes)")  # fmt: skip
    stems = ", ".join(f"{name} {t:.3f} s" for name, t in stemmers["seconds"].items())
    print(f"    stemming {stemmers['n_words']:,} distinct words: {stems} (agreement with "
          f"NLTK {stemmers['agreement_with_nltk']:.4%})")  # fmt: skip
    if not args.skip_naive:
        # (c) runs once, between two runs of (a), which it is compared with
        before, _ = seconds(variants["cold"])
        c, _ = seconds(lambda: naive_nltk(docs))
        after, _ = seconds(variants["cold"])
        speedup = c / ((before + after) / 2)
        results.update({"c_naive_nltk_s": c, "a_around_c_s": [before, after],
                        "speedup_a_vs_c": speedup})  # fmt: skip
        print(
            f"(c) naive NLTK chain        {c:7.2f} s  -> (a) is {speedup:.1f} x faster"
            f" ((a) before and after: {before:.2f}, {after:.2f} s)   target >= 25"
        )
    save("preprocessing", results)
    return results


if __name__ == "__main__":
    main()
