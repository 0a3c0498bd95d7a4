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
}
#: Presets whose final step is a language model: trained on unlabelled text.
LANGUAGE_MODEL_PRESETS = ("lm", "lm-raw")
