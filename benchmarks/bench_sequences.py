"""TextsToSequences + SequencePadder(maxlen=200) on the IMDB 25k token lists.

Anchor in the same run: sklearn's CountVectorizer(analyzer=identity).fit_transform on the
same pre-tokenized documents. Target: (a) <= 1.0 x the anchor. Memory: the peak extra
memory of (a) (tracemalloc) against the padded array plus one copy of the token lists.
"""

import argparse
import sys
import tracemalloc

from sklearn.feature_extraction.text import CountVectorizer

from textflow import SequencePadder, TextsToSequences, Tokenizer
from textflow.datasets import load_imdb
from textflow.models import identity

try:
    from ._common import save, timed
except ImportError:
    from _common import save, timed


def sequences(docs):
    ids = TextsToSequences(num_words=20000).fit_transform(docs)
    return SequencePadder(maxlen=200).fit_transform(ids)


def list_bytes(docs):
    """Memory of a list of token lists: the lists' pointer arrays (strings are shared)."""
    return sys.getsizeof(docs) + sum(sys.getsizeof(doc) for doc in docs)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    corpus = Tokenizer(lowercase=True).fit_transform(load_imdb(shuffle=False).data)
    docs = corpus.tolist()
    n = len(docs)

    anchor, _, _ = timed(lambda: CountVectorizer(analyzer=identity).fit_transform(docs),
                         args.repeat)  # fmt: skip
    ours, _, padded = timed(lambda: sequences(docs), args.repeat)
    from_corpus, _, _ = timed(lambda: sequences(corpus), args.repeat)

    tracemalloc.start()
    sequences(docs)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    budget = padded.nbytes + list_bytes(docs)

    print(f"anchor CountVectorizer(analyzer=identity)  {anchor:6.2f} s  {n / anchor:8,.0f} docs/s")
    print(
        f"(a) TextsToSequences + SequencePadder     {ours:6.2f} s  {n / ours:8,.0f} docs/s"
        f"  = {ours / anchor:.2f} x anchor (target <= 1.0)"
    )
    print(
        f"    same, from a TokenCorpus             {from_corpus:6.2f} s  "
        f"{n / from_corpus:8,.0f} docs/s  = {from_corpus / anchor:.2f} x anchor"
    )
    print(
        f"peak extra memory {peak / 2**20:.0f} MiB; padded array {padded.nbytes / 2**20:.0f} MiB"
        f" + one copy of the token lists {list_bytes(docs) / 2**20:.0f} MiB"
        f" = {budget / 2**20:.0f} MiB ({peak / budget:.2f} x)"
    )
    save("sequences", {
        "n_docs": n, "anchor_countvectorizer_s": anchor, "a_sequences_s": ours,
        "a_from_token_corpus_s": from_corpus, "ratio": ours / anchor,
        "ratio_from_corpus": from_corpus / anchor, "peak_bytes": peak, "budget_bytes": budget,
    })  # fmt: skip


if __name__ == "__main__":
    main()
