"""Hypothesis fuzzing: arbitrary unicode, HTML, emoji, empty and very long documents."""

import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from textflow import (
    AccentStripper,
    ContractionExpander,
    HTMLStripper,
    Lemmatizer,
    Lowercaser,
    NumberRemover,
    PunctuationStripper,
    Stemmer,
    StopwordRemover,
    TextCleaner,
    TextsToSequences,
    Tokenizer,
    WhitespaceNormalizer,
)

from .conftest import corpus_estimators, make_instance

html_fragment = st.sampled_from(
    ["<br />", "<b>", "</i>", "&amp;", "&lt;", "&#39;", "<a href='x'>", "<", ">", "&"]
)
emoji = st.sampled_from(["😀", "👍🏽", "❤️", "🇫🇷", "👨‍👩‍👧", "☕"])
pieces = st.one_of(
    st.text(max_size=30),
    html_fragment,
    emoji,
    st.sampled_from(["don't", "It’s", "10,000", "3.5", "www.x.com", "@me", "#tag", "Ångström"]),
)
documents = st.lists(pieces, max_size=12).map(" ".join)
corpora = st.lists(documents, min_size=1, max_size=8)
long_document = st.integers(min_value=1000, max_value=4000).map(lambda n: "Good film. " * n)

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ALL = [make_instance(cls) for cls in corpus_estimators()]


def _run(step, corpus):
    out = clone(step).fit_transform(corpus)
    assert len(out) == len(corpus)
    return out


@pytest.mark.filterwarnings("ignore::textflow.embeddings.EmptyDocumentWarning")
@pytest.mark.parametrize("step", ALL, ids=lambda e: type(e).__name__)
@FUZZ
@given(corpus=corpora)
def test_every_step_keeps_one_output_per_document(step, corpus):
    if "tokens" in step.accepts and "text" not in step.accepts:
        corpus = Tokenizer(punctuation=True, emoji=True).fit_transform(corpus)
    elif step.accepts == ("ids",):
        corpus = TextsToSequences().fit_transform(corpus)
    try:
        out = _run(step, corpus)
    except ValueError as error:  # a model cannot be trained on a corpus without words
        assert "No word occurs" in str(error)
        assert not any(Tokenizer().fit_transform(corpus))
        return
    for doc in out:
        if isinstance(doc, np.ndarray) and doc.dtype.kind == "f":
            assert np.isfinite(doc).all()
        elif isinstance(doc, np.ndarray):
            assert doc.dtype.kind in "iu" and (doc >= 0).all()
        elif isinstance(doc, list):
            assert all(isinstance(token, str) and token for token in doc)
        else:
            assert isinstance(doc, str)


@FUZZ
@given(corpus=corpora)
def test_string_steps_work_per_token_on_token_input(corpus):
    tokens = Tokenizer(method="whitespace").fit_transform(corpus)
    for step in (Lowercaser(), AccentStripper(), PunctuationStripper(), NumberRemover()):
        out = _run(step, tokens)
        for doc_in, doc_out in zip(tokens, out):
            assert len(doc_out) <= len(doc_in)


IDEMPOTENT = [
    Lowercaser(), PunctuationStripper(), WhitespaceNormalizer(), AccentStripper(),
    NumberRemover(), StopwordRemover(), TextCleaner(), ContractionExpander(),
]  # fmt: skip


@pytest.mark.parametrize("step", IDEMPOTENT, ids=lambda e: type(e).__name__)
@FUZZ
@given(corpus=corpora)
def test_idempotent_steps(step, corpus):
    if "text" not in step.accepts:
        corpus = Tokenizer().fit_transform(corpus)
    once = _run(step, corpus)
    assert _run(step, once) == once


@FUZZ
@given(corpus=corpora)
def test_html_stripper_leaves_no_tags(corpus):
    for doc in _run(HTMLStripper(), corpus):
        assert "<br />" not in doc and "<b>" not in doc


@FUZZ
@given(corpus=corpora)
def test_tokenizer_tokens_never_contain_whitespace(corpus):
    for method in ("regex", "whitespace", "treebank"):
        for doc in _run(Tokenizer(method=method, punctuation=True, emoji=True), corpus):
            assert all(token and not any(c.isspace() for c in token) for token in doc)


def _backtracking_pattern(pattern):
    return pattern.replace("++", "+").replace("*+", "*").replace("(?=\\w)", "")


@FUZZ
@given(corpus=corpora)
def test_default_token_pattern_matches_its_plain_backtracking_form(corpus):
    import re

    from textflow.text._tokenize import regex_pattern

    for punctuation, emoji in [(False, False), (True, True)]:
        pattern = regex_pattern(punctuation, emoji)
        plain = re.compile(_backtracking_pattern(pattern))
        assert plain.pattern != pattern or sys.version_info < (3, 11)
        out = Tokenizer(punctuation=punctuation, emoji=emoji).fit_transform(corpus)
        assert out == [plain.findall(doc) for doc in corpus]


porter_words = st.text(alphabet="aeiouybcdlstzgnmrwx*'-éİ", min_size=1, max_size=10).flatmap(
    lambda stem: st.sampled_from(PORTER_SUFFIXES).map(lambda suffix: stem + suffix)
)
PORTER_SUFFIXES = (
    "", "s", "ies", "sses", "ed", "eed", "ied", "ing", "y", "ational", "tional", "alli", "bli",
    "logi", "fulli", "ization", "iveness", "icate", "ical", "ness", "ement", "ion", "ate", "e",
    "ll", "at", "bl", "iz", "*d",
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(word=st.one_of(porter_words, st.text(max_size=12)))
def test_porter_stem_equals_nltk(word):
    from nltk.stem import PorterStemmer

    from textflow.text._porter import porter_stem

    assert porter_stem(word) == PorterStemmer().stem(word)


@settings(max_examples=3, deadline=None)
@given(doc=long_document)
def test_very_long_documents(doc):
    tokens = _run(Tokenizer(), [doc, ""])
    assert len(tokens[0]) == 2 * doc.count("Good") and tokens[1] == []
    stems = _run(Stemmer(), tokens)
    assert stems[0][:2] == ["good", "film"]
    assert _run(Lemmatizer(), tokens)[0][:2] == ["Good", "film"]


def _same_corpus(a, b):
    return (a.vocabulary == b.vocabulary and np.array_equal(a.ids, b.ids)
            and np.array_equal(a.offsets, b.offsets))  # fmt: skip


ARROW_SETTINGS = [
    {}, {"lowercase": True}, {"punctuation": True}, {"punctuation": True, "emoji": True},
    {"min_length": 3, "lowercase": True}, {"method": "whitespace"},
    {"method": "whitespace", "lowercase": True}, {"method": "whitespace", "min_length": 2},
    {"punctuation": True, "min_length": 2},
]  # fmt: skip
spaces = st.sampled_from([" ", "\t", "\n", "\r\n", "\x0b", "\x0c", "\xa0", "\u2003", "\u3000",
                          "\x1c", "\x85", "  "])  # fmt: skip
# ASCII pieces such as "(movie)," are cut in Arrow: mixed with the others
ascii_pieces = st.text(alphabet="abcXYZ019_.,'-/:!$()[]^`{}~\\\"", min_size=1, max_size=8)
spaced_documents = st.lists(st.one_of(pieces, ascii_pieces, spaces), max_size=16).map("".join)


@FUZZ
@given(corpus=st.lists(st.one_of(documents, spaced_documents), min_size=1, max_size=8))
def test_arrow_backend_gives_the_pure_python_tokens_and_ids(corpus):
    pytest.importorskip("pyarrow")
    for params in ARROW_SETTINGS:
        python = Tokenizer(backend="python", **params).fit_transform(corpus)
        arrow = Tokenizer(backend="arrow", **params).fit_transform(corpus)
        assert _same_corpus(python, arrow), params


@FUZZ
@given(corpus=st.lists(st.one_of(documents, spaced_documents), min_size=1, max_size=12),
       batch=st.integers(1, 4), threads=st.integers(1, 3))  # fmt: skip
def test_arrow_backend_across_batches_and_threads(corpus, batch, threads):
    pytest.importorskip("pyarrow")
    from textflow.text import _arrow_tokenize

    python = Tokenizer(backend="python").fit_transform(corpus)
    saved, _arrow_tokenize.BATCH_DOCUMENTS = _arrow_tokenize.BATCH_DOCUMENTS, batch
    try:  # tokens first met in a later batch, batches split ahead in other threads
        arrow = Tokenizer(backend="arrow", n_jobs=threads).fit_transform(corpus)
    finally:
        _arrow_tokenize.BATCH_DOCUMENTS = saved
    assert _same_corpus(python, arrow)


def test_arrow_backend_falls_back_on_text_arrow_cannot_hold_and_refuses_other_methods():
    pytest.importorskip("pyarrow")
    corpus = ["a \ud800 b", "x"]  # a lone surrogate is no UTF-8
    assert Tokenizer(backend="arrow").fit_transform(corpus).tolist() == [["a", "b"], ["x"]]
    with pytest.raises(ValueError, match="backend='arrow' works with"):
        Tokenizer(backend="arrow", method="char").fit_transform(["ab"])
    with pytest.raises(ValueError, match="custom pattern"):
        Tokenizer(backend="arrow", pattern=r"\w").fit_transform(["ab"])
    assert Tokenizer(backend="auto", method="char").fit_transform(["ab"]).tolist() == [["a", "b"]]
