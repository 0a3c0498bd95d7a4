"""Preprocessing speed on the 25,000 IMDB reviews.

(a) textflow: Tokenizer -> Lowercaser -> PunctuationStripper -> StopwordRemover -> Stemmer
(b) anchor: sklearn's CountVectorizer().build_analyzer() (regex + lowercase, C speed)
(c) anchor: the naive NLTK chain a tutorial writes (Treebank tokenize -> lower ->
    drop punctuation -> drop stop words -> PorterStemmer().stem per token)
Targets: (a) <= 1.5 x (b), and (a) >= 20 x faster than (c).
"""

import argparse
import string

from sklearn.feature_extraction.text import CountVectorizer
from sklearn.pipeline import Pipeline

from textflow import Lowercaser, PunctuationStripper, Stemmer, StopwordRemover, Tokenizer
from textflow.datasets import load_imdb
from textflow.text import _stem, load_stopwords

try:
    from ._common import save, timed
except ImportError:
    from _common import save, timed


def textflow_chain(n_jobs=None, backend="nltk"):
    return Pipeline(
        [
            ("tok", Tokenizer(n_jobs=n_jobs)),
            ("low", Lowercaser()),
            ("punct", PunctuationStripper()),
            ("stop", StopwordRemover()),
            ("stem", Stemmer(n_jobs=n_jobs, backend=backend)),
        ]
    )


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


def step_breakdown(docs, repeat):
    """Median seconds of each step of (a), cold, each fed the previous step's output."""
    times, data = {}, docs
    for name, step in textflow_chain().steps:
        times[name], _, data = timed(cold(lambda step=step, data=data: step.fit_transform(data)),
                                     repeat)  # fmt: skip
    return times


def cold(func):
    def run():
        _stem._CACHES.clear()  # no memo carried over from an earlier repetition
        return func()

    return run


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n-docs", type=int, default=None, help="use the first N reviews")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-naive", action="store_true", help="skip the slow anchor (c)")
    args = parser.parse_args(argv)

    docs = load_imdb().data[: args.n_docs]
    n_tokens = sum(len(d) for d in Tokenizer().fit_transform(docs))
    print(f"{len(docs)} documents, {n_tokens:,} regex tokens")

    analyzer = CountVectorizer().build_analyzer()
    b, b_all, _ = timed(lambda: [analyzer(doc) for doc in docs], args.repeat)
    a, _, out = timed(cold(lambda: textflow_chain().fit_transform(docs)), args.repeat)
    a_warm, _, _ = timed(lambda: textflow_chain().fit_transform(docs), args.repeat)
    a2, _, out2 = timed(cold(lambda: textflow_chain(n_jobs=2).fit_transform(docs)), args.repeat)
    assert out2 == out and len(out) == len(docs)
    fast, _, _ = timed(cold(lambda: textflow_chain(backend="pystemmer").fit_transform(docs)),
                       args.repeat)  # fmt: skip
    breakdown = step_breakdown(docs, args.repeat)
    results = {
        "step_seconds": breakdown,
        "n_docs": len(docs),
        "n_tokens": n_tokens,
        "b_sklearn_analyzer_s": b,
        "a_textflow_s": a,
        "a_textflow_warm_cache_s": a_warm,
        "a_textflow_n_jobs_2_s": a2,
        "ratio_a_over_b": a / b,
        "ratio_a_n_jobs_2_over_b": a2 / b,
        "a_textflow_pystemmer_cold_s": fast,
        "ratio_a_pystemmer_over_b": fast / b,
    }
    print(f"(b) sklearn analyzer        {b:7.2f} s  (runs {', '.join(f'{t:.2f}' for t in b_all)})")
    print(f"(a) textflow chain, cold    {a:7.2f} s  = {a / b:.2f} x (b)   target <= 1.5")
    print(f"    textflow, warm cache    {a_warm:7.2f} s  = {a_warm / b:.2f} x (b)")
    print(f"    textflow, n_jobs=2      {a2:7.2f} s  = {a2 / b:.2f} x (b)")
    print(f"    textflow, PyStemmer     {fast:7.2f} s  = {fast / b:.2f} x (b)  (cold)")
    steps = ", ".join(f"{name} {seconds:.2f}" for name, seconds in breakdown.items())
    print(f"    per step, cold (s)      {steps}")
    if not args.skip_naive:
        c, _, _ = timed(lambda: naive_nltk(docs), 1)
        results.update({"c_naive_nltk_s": c, "speedup_a_vs_c": c / a,
                        "speedup_pystemmer_vs_c": c / fast})  # fmt: skip
        print(
            f"(c) naive NLTK chain        {c:7.2f} s  -> (a) is {c / a:.1f} x faster"
            f"   target >= 20; with PyStemmer {c / fast:.1f} x"
        )
    save("preprocessing", results)
    return results


if __name__ == "__main__":
    main()
