"""Names and one-line descriptions of the ready-made pipelines (no heavy imports)."""

PRESET_DESCRIPTIONS = {
    "tfidf-svm": "TF-IDF (1-2 grams) + linear SVM",
    "tfidf-nb": "TF-IDF (1-2 grams) + multinomial Naive Bayes",
    "nbsvm": "NB-weighted 1-2 grams + linear SVM (Wang & Manning)",
    "lstm": "sequences (20k words, 200 ids) + LSTM (Keras)",
    "gru": "sequences (20k words, 200 ids) + GRU (Keras)",
    "word2vec-logreg": "Word2Vec TF-IDF-weighted document vectors + logistic regression",
}
