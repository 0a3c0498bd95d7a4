"""Behaviour of each text and token step."""

import importlib.util
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from textflow import (
    AccentStripper,
    ContractionExpander,
    EmailRemover,
    EmojiRemover,
    HashtagRemover,
    HTMLStripper,
    Lemmatizer,
    Lowercaser,
    MentionRemover,
    NumberRemover,
    PunctuationStripper,
    Stemmer,
    StopwordRemover,
    TextCleaner,
    Tokenizer,
    URLRemover,
    WhitespaceNormalizer,
)
from textflow.text import NEGATIONS, load_stopwords

from .strategies import FUZZ, corpora, documents, long_document, spaced_documents
from .strategies import fit_transform_one_per_document as _run

# --- Tokenizer ---------------------------------------------------------------


def test_regex_tokenizer_keeps_contractions_hyphens_and_numbers():
    out = Tokenizer().fit_transform(["Don't miss it: a well-made film, 9.5/10 and 10,000 fans"])
    assert out == [
        ["Don't", "miss", "it", "a", "well-made", "film", "9.5/10", "and", "10,000", "fans"]
    ]


def test_regex_tokenizer_options():
    doc = ["Wow!!! So good 😀😀 ok"]
    assert Tokenizer(punctuation=True).fit_transform(doc) == [
        ["Wow", "!!!", "So", "good", "😀😀", "ok"]
    ]
    assert Tokenizer(emoji=True).fit_transform(doc) == [["Wow", "So", "good", "😀😀", "ok"]]
    assert Tokenizer(lowercase=True, min_length=3).fit_transform(doc) == [["wow", "good"]]
    assert Tokenizer(pattern=r"\w+").fit_transform(["don't"]) == [["don", "t"]]


def test_other_tokenizer_methods():
    assert Tokenizer(method="whitespace").fit_transform(["a  b\tc"]) == [["a", "b", "c"]]
    assert Tokenizer(method="char").fit_transform(["ab c"]) == [["a", "b", " ", "c"]]


def test_treebank_splits_sentence_internal_full_stops():
    doc = ["I watched it myself. It was fine. Mr. Smith agreed."]
    tokens = Tokenizer(method="treebank").fit_transform(doc)[0]
    assert "myself" in tokens and "fine" in tokens
    assert not any(t.endswith(".") and len(t) > 1 and t != "Mr." for t in tokens)


def test_treebank_on_real_reviews_glues_no_full_stops(imdb_slice):
    X, _ = imdb_slice
    docs = HTMLStripper().fit_transform(X[:50])
    tokens = [t for doc in Tokenizer(method="treebank").fit_transform(docs) for t in doc]
    glued = [
        t
        for t in tokens
        if len(t) > 2 and t.endswith(".") and t[:-1].isalpha() and t[:-1].islower()
    ]
    assert len(glued) / len(tokens) < 0.002  # a plain Treebank pass leaves ~3.5 %


# --- Case, punctuation, numbers -------------------------------------------------


def test_lowercaser_on_text_and_tokens():
    assert Lowercaser().fit_transform(["ÀB c"]) == ["àb c"]
    assert Lowercaser(casefold=True).fit_transform([["Straße"]]) == [["strasse"]]


def test_punctuation_stripper_drops_tokens_that_become_empty():
    docs = [["hello", ",", "world", "...", "it's", "“quoted”"]]
    assert PunctuationStripper().fit_transform(docs) == [["hello", "world", "its", "quoted"]]
    assert PunctuationStripper(keep="'").fit_transform(docs)[0][2] == "it's"
    assert PunctuationStripper(punctuation="!").fit_transform(["a, b!"]) == ["a, b"]


def test_punctuation_stripper_removes_exactly_the_unicode_punctuation_categories():
    import unicodedata

    text = "".join(map(chr, range(0x3100))) + "\U0001f600\U0001f1eb\U000e0021"
    expected = "".join(c for c in text if not unicodedata.category(c).startswith("P"))
    assert PunctuationStripper().fit_transform([text]) == [expected]
    kept = PunctuationStripper(keep="'¿").fit_transform([text])[0]
    assert kept == "".join(c for c in text if c in "'¿" or c in expected)


def test_number_remover():
    assert NumberRemover().fit_transform(["in 1999 it cost $3.50, 3rd time"]) == [
        "in  it cost $, 3rd time"
    ]
    assert NumberRemover(replacement="<num>").fit_transform([["10", "mp3", "-2.5"]]) == [
        ["<num>", "mp3", "<num>"]
    ]


# --- Cleaning -------------------------------------------------------------------


def test_html_stripper_handles_imdb_breaks_and_entities():
    assert HTMLStripper().fit_transform(["a<br /><br />b &amp; c &quot;d&quot;"]) == [
        'a  b & c "d"'
    ]


def test_url_email_mention_hashtag():
    text = ["Mail me@x.org or see http://a.b/c?d=1 and www.site.com, @jo #wow"]
    assert URLRemover().fit_transform(text) == ["Mail me@x.org or see  and , @jo #wow"]
    assert EmailRemover(replacement="E").fit_transform(text)[0].startswith("Mail E or")
    assert MentionRemover().fit_transform(text)[0].endswith(",  #wow")
    assert MentionRemover(keep_word=True).fit_transform(text)[0].endswith(", jo #wow")
    assert HashtagRemover().fit_transform(text)[0].endswith("@jo wow")
    assert HashtagRemover(keep_word=False).fit_transform(text)[0].endswith("@jo ")


def test_emoji_remove_and_name():
    assert EmojiRemover().fit_transform(["good 👍🏽 film ❤️"]) == ["good  film "]
    named = EmojiRemover(replace_with_name=True).fit_transform(["good 👍"])
    assert named == ["good  thumbs_up_sign "]


def test_accents_whitespace_contractions():
    assert AccentStripper().fit_transform(["Crème brûlée"]) == ["Creme brulee"]
    assert WhitespaceNormalizer().fit_transform([" a\n\n b  "]) == ["a b"]
    expanded = ContractionExpander().fit_transform(
        ["I CAN'T believe they're here, won't you? John's car. It’s fine."]
    )
    assert expanded == ["I CANNOT believe they are here, will not you? John's car. It is fine."]


def test_text_cleaner_chains_the_parts():
    cleaner = TextCleaner(contractions=True, emoji="name", mentions="remove", accents=True)
    out = cleaner.fit_transform(["@ann Didn't   like it<br/>😀 café www.x.com #meh"])
    assert out == ["Did not like it grinning_face cafe meh"]


# --- Stop words -------------------------------------------------------------------


def test_shipped_lists():
    english = load_stopwords("english")
    assert len(english) == 179
    assert load_stopwords("sklearn") == frozenset(ENGLISH_STOP_WORDS)
    with pytest.raises(ValueError, match="Unknown stop-word list 'klingon'"):
        StopwordRemover(stopwords="klingon").fit([["a"]])


def test_negations_are_kept_by_default():
    docs = [["this", "is", "not", "a", "good", "film", "nor", "without", "never"]]
    assert StopwordRemover().fit_transform(docs) == [
        ["not", "good", "film", "nor", "without", "never"]
    ]
    assert StopwordRemover(keep_negations=False).fit_transform(docs) == [
        ["good", "film", "without", "never"]
    ]
    sklearn_list = StopwordRemover(stopwords="sklearn")
    kept = {"not", "never", "nothing", "nor", "without", "no"}
    assert not kept & sklearn_list.stopword_set()
    assert NEGATIONS >= {"not", "no", "never", "nothing", "nor", "without", "didn't"}


def test_custom_extra_keep_and_case():
    docs = [["The", "film", "plot", "THE"]]
    assert StopwordRemover().fit_transform(docs) == [["film", "plot"]]
    assert StopwordRemover(case_sensitive=True).fit_transform(docs) == [
        ["The", "film", "plot", "THE"]
    ]
    assert StopwordRemover(extra=["film"], keep=["the"]).fit_transform(docs) == [
        ["The", "plot", "THE"]
    ]
    assert StopwordRemover(stopwords={"plot"}).fit_transform(docs) == [["The", "film", "THE"]]


# --- Stemming and lemmatising ----------------------------------------------------------


def test_stemmers():
    docs = [["running", "generously", "flies"]]
    assert Stemmer().fit_transform(docs) == [["run", "gener", "fli"]]
    assert Stemmer(algorithm="snowball").fit_transform(docs) == [["run", "generous", "fli"]]
    assert Stemmer(algorithm="lancaster").fit_transform(docs) == [["run", "gen", "fli"]]
    with pytest.raises(ValueError, match="no stemmer for language 'klingon'"):
        Stemmer(algorithm="snowball", language="klingon").fit(docs)


def test_stemmer_is_memoised_per_distinct_token(monkeypatch):
    from textflow.text import _stem

    calls = []
    original = _stem.porter_stem
    monkeypatch.setattr(_stem, "_CACHES", {})
    monkeypatch.setattr(_stem, "porter_stem", lambda t: calls.append(t) or original(t))
    docs = [["cats", "cats", "dogs"], ["cats", "dogs", "birds"]] * 50
    out = Stemmer().fit_transform(docs)
    assert out[1] == ["cat", "dog", "bird"]
    assert sorted(calls) == ["birds", "cats", "dogs"]
    Stemmer().transform(docs)  # the per-process cache answers the second call
    assert len(calls) == 3


PORTER_EDGE_CASES = (
    # NLTK's irregular forms and its extensions to the published algorithm
    "skies sky dying lying tying news innings outings cannings howe proceed exceed succeed "
    "dies ties flies spied died cried agreed feed bled sing hopping hissing filing failing "
    "happy enjoy spy sky try relational conditional rational allied ally analogously "
    "archaeology theology geology triplicate formative hopefulness generalization "
    "controlling roll probate rate cease revival allowance airliner adoption homologous "
    # y as consonant or vowel, runs of y, short and odd tokens
    "yyyy syzygy toy yoyo by ay a is as ies ied eed ing y ye yes "
    # NLTK reads its "*d" rule marker literally; non-ASCII and mixed case
    "a*ding x*ded café naïveties İstanbul CONNECTIONS Running 3rd mp3 10,000 don't well-made"
).split()


def test_porter_stems_equal_nltk_on_a_real_vocabulary_and_edge_cases(imdb_slice):
    from nltk.stem import PorterStemmer

    from textflow.text._porter import porter_stem

    vocabulary = Tokenizer().fit_transform(imdb_slice[0]).vocabulary + PORTER_EDGE_CASES
    nltk_stem = PorterStemmer().stem
    assert len(vocabulary) > 3000
    assert [porter_stem(word) for word in vocabulary] == [nltk_stem(word) for word in vocabulary]


def test_default_stemmer_uses_the_fast_porter_with_nltk_output(monkeypatch):
    from textflow.text import _stem

    monkeypatch.setattr(_stem, "_CACHES", {})
    docs = [["Relational", "happily", "dying", "yyyy"]]
    nltk_stem = _stem._nltk_stemmer("porter", "english").stem
    assert Stemmer().fit_transform(docs) == [[nltk_stem(t) for t in docs[0]]]


def test_lemminflect_backend_is_pos_aware():
    docs = [["does", "geese", "running", "was", "better", "films", "xyzzy"]]
    assert Lemmatizer().fit_transform(docs) == [
        ["do", "goose", "run", "be", "good", "film", "xyzzy"]
    ]
    assert Lemmatizer(pos="n").fit_transform([["does", "running"]]) == [["doe", "running"]]


def test_wordnet_backend(wordnet_available):
    if not wordnet_available:
        pytest.skip("WordNet corpus not installed (make test installs it where apt exists)")
    docs = [["does", "geese", "running", "films", "xyzzy"]]
    assert Lemmatizer(backend="wordnet").fit_transform(docs) == [
        ["do", "goose", "run", "film", "xyzzy"]
    ]
    assert Lemmatizer(backend="wordnet", pos="n").fit_transform([["does"]]) == [["doe"]]


def test_missing_wordnet_says_how_to_install(tmp_path):
    code = (
        f"import nltk; nltk.data.path[:] = [{str(tmp_path)!r}]\n"
        "from textflow import Lemmatizer\n"
        "Lemmatizer(backend='wordnet').fit([['does']])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0
    assert "LookupError" in result.stderr
    assert "apt-get install wordnet-base wordnet-sense-index" in result.stderr
    assert "textflow install-wordnet" in result.stderr


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_verbose_steps_show_progress_and_change_nothing(capsys, n_jobs):
    from textflow import Stemmer, TextCleaner, Tokenizer

    docs = [f"<b>Review {i}</b>: runnings{i} jumped SINGING {i % 7}" for i in range(4500)]
    docs[0] += f" unseenword{n_jobs}ing"  # the stemmer's memo must miss at least one token
    cleaned = TextCleaner(verbose=1, n_jobs=n_jobs).fit_transform(docs)
    loud = Stemmer(verbose=1).fit_transform(Tokenizer(verbose=1).fit_transform(cleaned))
    err = capsys.readouterr().err
    quiet = Stemmer().fit_transform(Tokenizer().fit_transform(TextCleaner().fit_transform(docs)))
    assert loud == quiet.tolist()
    assert capsys.readouterr().err == ""
    for label in ("TextCleaner", "Tokenizer", "Stemmer"):
        assert f"{label}: 100%" in err


def test_pystemmer_backend_matches_the_original_porter_and_parallelises(imdb_slice):
    pytest.importorskip("Stemmer")
    from nltk.stem import PorterStemmer

    from textflow import Stemmer, Tokenizer

    tokens = Tokenizer(lowercase=True).fit_transform(imdb_slice[0])
    fast = Stemmer(backend="pystemmer").fit_transform(tokens)
    original = PorterStemmer(mode=PorterStemmer.ORIGINAL_ALGORITHM)
    stems = [[original.stem(token) for token in doc] for doc in tokens]
    assert fast.tolist() == [[stem for stem in doc if stem] for doc in stems]  # "" drops
    parallel = Stemmer(backend="pystemmer", n_jobs=2).fit_transform(list(tokens) * 60)
    assert parallel.tolist() == fast.tolist() * 60


def test_pystemmer_snowball_agrees_with_nltk_but_for_newer_exceptions(imdb_slice):
    pytest.importorskip("Stemmer")
    from textflow import Stemmer, Tokenizer

    vocabulary = [Tokenizer(lowercase=True).fit_transform(imdb_slice[0]).vocabulary]
    fast = Stemmer(algorithm="snowball", backend="pystemmer").fit_transform(vocabulary)[0]
    slow = Stemmer(algorithm="snowball").fit_transform(vocabulary)[0]
    agreement = np.mean([a == b for a, b in zip(fast, slow)])
    assert agreement > 0.995
    assert Stemmer(algorithm="snowball", backend="pystemmer").fit_transform([["added"]]) == [
        ["add"]
    ]


def test_pystemmer_backend_errors_are_clear(monkeypatch):
    from textflow import Stemmer
    from textflow.text import _stem

    with pytest.raises(ValueError, match="no Lancaster"):
        Stemmer(algorithm="lancaster", backend="pystemmer").fit([["a"]])
    if importlib.util.find_spec("Stemmer") is not None:
        with pytest.raises(ValueError, match="no stemmer 'klingon'"):
            Stemmer(algorithm="snowball", language="klingon", backend="pystemmer").fit([["a"]])
    monkeypatch.setitem(sys.modules, "Stemmer", None)
    _stem._pystemmer.cache_clear()
    try:
        with pytest.raises(ImportError, match=r"textflow\[fast\]"):
            Stemmer(backend="pystemmer").fit([["a"]])
    finally:
        _stem._pystemmer.cache_clear()


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


PORTER_SUFFIXES = (
    "", "s", "ies", "sses", "ed", "eed", "ied", "ing", "y", "ational", "tional", "alli", "bli",
    "logi", "fulli", "ization", "iveness", "icate", "ical", "ness", "ement", "ion", "ate", "e",
    "ll", "at", "bl", "iz", "*d",
)  # fmt: skip


porter_words = st.text(alphabet="aeiouybcdlstzgnmrwx*'-éİ", min_size=1, max_size=10).flatmap(
    lambda stem: st.sampled_from(PORTER_SUFFIXES).map(lambda suffix: stem + suffix)
)


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


@pytest.mark.parametrize("pattern, match", [
    ("(unclosed", r"not a valid regular expression: missing \)"),
    (r"(\w)(\w)", "2 capturing group.*non-capturing"),
])  # fmt: skip
def test_a_bad_token_pattern_is_named(pattern, match):
    with pytest.raises(ValueError, match=match):
        Tokenizer(pattern=pattern).fit(["ab cd"])


def test_stop_words_that_are_not_text_are_named():
    with pytest.raises(ValueError, match=r"stopwords=.*None \(NoneType\) at position 1"):
        StopwordRemover(stopwords=["a", None]).fit([["a", "b"]])
    with pytest.raises(ValueError, match=r"extra=.*3 \(int\) at position 0"):
        StopwordRemover(extra=[3]).fit([["a"]])
