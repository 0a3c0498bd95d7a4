"""Names and one-line descriptions of the ready-made pipelines (no heavy imports)."""

PRESET_DESCRIPTIONS = {
    "tfidf-svm": "TF-IDF (1-2 grams) + linear SVM",
    "tfidf-nb": "TF-IDF (1-2 grams) + multinomial Naive Bayes",
    "nbsvm": "NB-weighted 1-2 grams + linear SVM (Wang & Manning)",
    "lstm": "last 400 ids (20k words) + Word2Vec-initialised LSTM, max pooling (Keras)",
    "gru": "last 400 ids (20k words) + Word2Vec-initialised GRU, max pooling (Keras)",
    "word2vec-logreg": "Word2Vec TF-IDF-weighted document vectors + logistic regression",
    "lm": "the Penn Treebank recipe: 2x200 tied LSTM, locked dropout, SGD; whitespace tokens",
    "lm-raw": "the same language model after cleaning, tokenizing and lower-casing raw text",
    "ner": "BiLSTM-CNN-CRF tagger with the shipped GloVe 50-d vectors (named entities)",
    "pos": "the same tagger with a softmax output (parts of speech, chunks)",
    "crf": "feature CRF tagger: words, shapes, affixes, neighbours (the classic baseline)",
    "forecaster": "RNNForecaster combined with the classical forecasts by held-out errors",
    "ets": "exponential smoothing (damped additive trend and season)",
    "theta": "the Theta method",
    "seasonal-naive": "the value one season earlier",
    "translator": "GRU encoder-decoder with dot attention on 4,000 subword pieces",
    "transcriber": "MFCC frames + 3-layer bidirectional LSTM trained with CTC on characters",
}
#: Presets whose final step is a language model: trained on unlabelled text.
LANGUAGE_MODEL_PRESETS = ("lm", "lm-raw")
#: The task of each preset (what data it trains on, which commands use it).
PRESET_TASKS = {
    **dict.fromkeys(
        ("tfidf-svm", "tfidf-nb", "nbsvm", "lstm", "gru", "word2vec-logreg"), "classification"
    ),
    **dict.fromkeys(LANGUAGE_MODEL_PRESETS, "language-model"),
    **dict.fromkeys(("ner", "pos", "crf"), "tagging"),
    **dict.fromkeys(("forecaster", "ets", "theta", "seasonal-naive"), "forecasting"),
    "translator": "translation",
    "transcriber": "transcription",
}
