"""Plots users ask for: training curves, confusion matrices, grid searches, word vectors.

Every function draws on ``ax`` (or a new figure's axes), returns the matplotlib
``Axes`` and never calls ``show()``. Needs matplotlib: ``pip install 'textflow[plot]'``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["plot_confusion_matrix", "plot_embeddings", "plot_grid_search", "plot_history"]


def _axes(ax, figsize=(6, 4)):
    if ax is not None:
        return ax
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("textflow.plot needs matplotlib: pip install 'textflow[plot]'") from None
    return plt.figure(figsize=figsize).add_subplot()


def plot_history(history, *, metrics=None, ax=None):
    """Training curves (one line per metric, validation dashed) of a Keras estimator.

    Parameters
    ----------
    history : KerasClassifier, RNNClassifier, or dict
        A fitted estimator (its ``history_``) or a dict of per-epoch lists.
    metrics : list of str, default=None
        The metrics to draw (``"loss"``, ``"accuracy"``...); by default every metric
        that has no ``val_`` prefix, with its ``val_`` counterpart when present.
    ax : matplotlib Axes, default=None
        Where to draw; a new figure by default.

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from textflow.plot import plot_history
    >>> ax = plot_history({"loss": [0.7, 0.5, 0.4], "val_loss": [0.7, 0.6, 0.6]})
    >>> [line.get_label() for line in ax.get_lines()]
    ['loss', 'val_loss']
    """
    curves = getattr(history, "history_", history)
    if not isinstance(curves, dict) or not curves:
        raise ValueError("plot_history needs a fitted Keras estimator or a dict of curves")
    metrics = metrics or [name for name in curves if not name.startswith("val_")]
    ax = _axes(ax)
    for name in metrics:
        if name not in curves:
            raise ValueError(f"no metric {name!r} in the history; it has {', '.join(curves)}")
        epochs = np.arange(1, len(curves[name]) + 1)
        (line,) = ax.plot(epochs, curves[name], marker="o", label=name)
        if f"val_{name}" in curves:
            ax.plot(epochs, curves[f"val_{name}"], linestyle="--", marker="o",
                    color=line.get_color(), label=f"val_{name}")  # fmt: skip
    ax.set_xlabel("epoch")
    ax.set_title("training history")
    ax.legend()
    return ax


def plot_confusion_matrix(y_true, y_pred, *, labels=None, normalize=False, ax=None):
    """A confusion matrix as a heat map with counts (or row fractions) in the cells.

    Parameters
    ----------
    y_true, y_pred : array-like
        True and predicted labels.
    labels : array-like, default=None
        Class order; by default the sorted union of both.
    normalize : bool, default=False
        Show each row as fractions of the true class.
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from textflow.plot import plot_confusion_matrix
    >>> ax = plot_confusion_matrix(["pos", "neg", "pos"], ["pos", "pos", "pos"])
    >>> [text.get_text() for text in ax.texts]
    ['0', '1', '0', '2']
    """
    from sklearn.metrics import confusion_matrix

    if labels is None:
        labels = np.unique(np.concatenate([np.asarray(y_true), np.asarray(y_pred)]))
    matrix = confusion_matrix(y_true, y_pred, labels=labels)
    values = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1) if normalize else matrix
    ax = _axes(ax, figsize=(1.2 * len(labels) + 2.5, 1.2 * len(labels) + 1.5))
    image = ax.imshow(values, cmap="Blues", vmin=0)
    ax.figure.colorbar(image, ax=ax, fraction=0.046)
    ticks = np.arange(len(labels))
    names = [str(label) for label in labels]
    ax.set(xticks=ticks, yticks=ticks, xticklabels=names, yticklabels=names,
           xlabel="predicted", ylabel="true", title="confusion matrix")  # fmt: skip
    threshold = values.max() / 2 if values.size else 0
    for (row, column), value in np.ndenumerate(values):
        text = f"{value:.2f}" if normalize else str(value)
        ax.text(column, row, text, ha="center", va="center",
                color="white" if value > threshold else "black")  # fmt: skip
    return ax


def _entity_type(tag):
    return tag.split("-", 1)[1] if "-" in tag else tag


def plot_entity_confusion(y_true, y_pred, *, normalize=True, ax=None):
    """Which entity type each token's true type was tagged as (B-/I- prefixes dropped).

    Parameters
    ----------
    y_true, y_pred : list of list of str
        Tags per sentence (IOB/IOBES).
    normalize : bool, default=True
        Rows as fractions of the true type.
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from textflow.plot import plot_entity_confusion
    >>> ax = plot_entity_confusion([["B-PER", "I-PER", "O"]], [["B-PER", "B-ORG", "O"]])
    >>> [label.get_text() for label in ax.get_xticklabels()]
    ['ORG', 'PER', 'O']
    """
    truth = [_entity_type(tag) for sentence in y_true for tag in sentence]
    guess = [_entity_type(tag) for sentence in y_pred for tag in sentence]
    types = [*sorted((set(truth) | set(guess)) - {"O"}), "O"]
    ax = plot_confusion_matrix(truth, guess, labels=types, normalize=normalize, ax=ax)
    ax.set_title("entity types (tokens)")
    return ax


def plot_entity_f1(results, *, ax=None):
    """Entity-level F1 per type for one or more taggers, as grouped bars.

    Parameters
    ----------
    results : dict
        ``{name: (y_true, y_pred)}``, tags per sentence.
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from textflow.plot import plot_entity_f1
    >>> truth = [["B-PER", "I-PER", "O", "B-LOC"]]
    >>> ax = plot_entity_f1({"tagger": (truth, [["B-PER", "I-PER", "O", "O"]])})
    >>> [label.get_text() for label in ax.get_xticklabels()]
    ['LOC', 'PER', 'micro avg']
    """
    from .metrics import entity_classification_report

    reports = {name: entity_classification_report(truth, guess, output_dict=True)
               for name, (truth, guess) in results.items()}  # fmt: skip
    types = sorted({key for report in reports.values() for key in report
                    if not key.endswith(" avg")})  # fmt: skip
    columns = [*types, "micro avg"]
    ax = _axes(ax, figsize=(1.1 * len(columns) + 3, 4))
    width = 0.8 / max(len(reports), 1)
    positions = np.arange(len(columns))
    for k, (name, report) in enumerate(reports.items()):
        scores = [report.get(column, {}).get("f1-score", 0.0) for column in columns]
        ax.bar(positions + (k - (len(reports) - 1) / 2) * width, scores, width, label=name)
    ax.set(xticks=positions, xticklabels=columns, ylabel="F1", ylim=(0, 1),
           title="entity-level F1 per type")  # fmt: skip
    ax.legend()
    return ax


def plot_forecast(y, forecast, *, actual=None, lower=None, upper=None, last=None, ax=None):
    """A series' history, its forecast and (optionally) the actual values and an interval.

    Parameters
    ----------
    y : pandas Series or array-like
        The history the forecaster was fitted on.
    forecast : pandas Series or array-like
        The forecast (indexed by time when ``y`` is).
    actual : pandas Series or array-like, default=None
        The values that really came, to compare.
    lower, upper : array-like, default=None
        A prediction interval, drawn as a band.
    last : int, default=None
        Show only the last ``last`` values of the history.
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from textflow.plot import plot_forecast
    >>> ax = plot_forecast([1.0, 2.0, 3.0], [4.0, 5.0], actual=[4.2, 4.9])
    >>> [line.get_label() for line in ax.get_lines()]
    ['history', 'forecast', 'actual']
    """
    ax = _axes(ax, figsize=(8, 4))
    history = y if hasattr(y, "iloc") else np.asarray(y, dtype=float)
    if last is not None:
        history = history[-last:]
    start = len(np.asarray(y)) - len(np.asarray(history))

    def positions(values, offset):
        if hasattr(values, "iloc"):  # a pandas Series: its time index
            return values.index
        return np.arange(offset, offset + len(np.asarray(values)))

    ax.plot(positions(history, start), np.asarray(history), label="history", color="0.3")
    future = positions(forecast, len(np.asarray(y)))
    ax.plot(future, np.asarray(forecast), label="forecast", color="C1")
    if actual is not None:
        ax.plot(future, np.asarray(actual), label="actual", color="C0", linestyle="--")
    if lower is not None and upper is not None:
        ax.fill_between(future, np.asarray(lower), np.asarray(upper), color="C1", alpha=0.2,
                        label="interval")  # fmt: skip
    ax.set_title("forecast")
    ax.legend()
    return ax


def plot_backtest(folds, *, metric="mase", ax=None):
    """The error of each backtest fold (see :func:`textflow.series.backtest`), as bars.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from textflow.plot import plot_backtest
    >>> ax = plot_backtest([{"train_size": 28, "mase": 0.9}, {"train_size": 32, "mase": 1.1}])
    >>> [label.get_text() for label in ax.get_xticklabels()]
    ['28', '32']
    """
    ax = _axes(ax)
    positions = np.arange(len(folds))
    ax.bar(positions, [fold[metric] for fold in folds], color="C0")
    labels = [str(fold["train_size"]) for fold in folds]
    ax.set(xticks=positions, xticklabels=labels, xlabel="training values",
           ylabel=metric.upper(), title="backtest errors per fold")  # fmt: skip
    if metric == "mase":
        ax.axhline(1.0, color="0.5", linestyle=":", label="in-sample seasonal naive")
        ax.legend()
    return ax


def plot_grid_search(search, *, param=None, ax=None):
    """Compare a grid search's candidates: mean test score against mean fit time.

    Each candidate is a point with error bars (one standard deviation over the
    folds, both axes), labelled by its parameter values; the best is highlighted.
    Made for comparisons such as ``clf__cell`` in ``["rnn", "lstm", "gru"]``.

    Parameters
    ----------
    search : GridSearchCV or RandomizedSearchCV, fitted
        Or its ``cv_results_`` dict.
    param : str, default=None
        Label the points by this parameter only (``"clf__cell"``); by default by
        all the parameters that vary.
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn.linear_model import LogisticRegression
    >>> from textflow.plot import plot_grid_search
    >>> search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=2)
    >>> search = search.fit([[0], [1], [2], [3]], [0, 0, 1, 1])
    >>> ax = plot_grid_search(search)
    >>> sorted(text.get_text() for text in ax.texts)
    ['C=0.1', 'C=1.0']
    """
    results = getattr(search, "cv_results_", search)
    params = results["params"]
    varying = [key for key in params[0] if len({repr(p[key]) for p in params}) > 1] or list(
        params[0]
    )
    keys = [param] if param else varying
    ax = _axes(ax)
    best = int(np.argmax(results["mean_test_score"]))
    for index, candidate in enumerate(params):
        label = ", ".join(f"{key.split('__')[-1]}={candidate[key]}" for key in keys)
        ax.errorbar(
            results["mean_fit_time"][index], results["mean_test_score"][index],
            xerr=results["std_fit_time"][index], yerr=results["std_test_score"][index],
            fmt="o", capsize=4, color="tab:red" if index == best else "tab:blue",
        )  # fmt: skip
        ax.annotate(label, (results["mean_fit_time"][index], results["mean_test_score"][index]),
                    textcoords="offset points", xytext=(6, 6))  # fmt: skip
    ax.set_xlabel("mean fit time (s)")
    ax.set_ylabel("mean test score")
    ax.set_title("grid search: score vs fit time (best in red)")
    return ax


def plot_embeddings(vectors, words, *, method="pca", random_state=0, ax=None):
    """A 2-D projection of word vectors, each point labelled with its word.

    Parameters
    ----------
    vectors : gensim KeyedVectors, a fitted Word2VecVectorizer/FastTextVectorizer, or mapping
        Where the word vectors come from (a vectorizer's ``wv_``).
    words : list of str
        The words to draw; words without a vector raise a ``KeyError`` naming them.
    method : {"pca", "tsne"}, default="pca"
        The projection (t-SNE needs at least a handful of words).
    random_state : int, default=0
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from textflow.plot import plot_embeddings
    >>> vectors = {"good": np.array([1.0, 0.1, 0.0]), "great": np.array([0.9, 0.2, 0.1]),
    ...            "bad": np.array([-1.0, 0.0, 0.2])}
    >>> ax = plot_embeddings(vectors, ["good", "great", "bad"])
    >>> [text.get_text() for text in ax.texts]
    ['good', 'great', 'bad']
    """
    keyed = getattr(vectors, "wv_", vectors)
    missing = [word for word in words if word not in keyed]
    if missing:
        raise KeyError(f"no vector for {', '.join(map(repr, missing))}")
    matrix = np.vstack([np.asarray(keyed[word], dtype=float) for word in words])
    if method == "pca":
        from sklearn.decomposition import PCA

        points = PCA(n_components=2, random_state=random_state).fit_transform(matrix)
    elif method == "tsne":
        from sklearn.manifold import TSNE

        perplexity = max(1.0, min(30.0, (len(words) - 1) / 3))
        points = TSNE(perplexity=perplexity, random_state=random_state).fit_transform(matrix)
    else:
        raise ValueError(f"method must be 'pca' or 'tsne', got {method!r}")
    ax = _axes(ax, figsize=(7, 6))
    ax.scatter(points[:, 0], points[:, 1], s=12)
    for word, (x, y) in zip(words, points):
        ax.annotate(word, (x, y), textcoords="offset points", xytext=(3, 3), fontsize=9)
    ax.set_title(f"word vectors ({method.upper()})")
    return ax


def plot_attention(source_tokens, target_tokens, weights, *, ax=None):
    """Where each output token of a translation looked: a target x source heat map.

    Parameters
    ----------
    source_tokens, target_tokens : list of str
    weights : array-like of shape (len(target_tokens), len(source_tokens))
        Attention weights, as returned by ``Seq2SeqTranslator.attention_weights``
        (each row sums to 1).
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from textflow.plot import plot_attention
    >>> ax = plot_attention(["ein", "Hund"], ["a", "dog"], [[0.9, 0.1], [0.2, 0.8]])
    >>> [label.get_text() for label in ax.get_yticklabels()]
    ['a', 'dog']
    """
    weights = np.asarray(weights, dtype=float)
    if weights.shape != (len(target_tokens), len(source_tokens)):
        raise ValueError(f"weights has shape {weights.shape}; expected (target tokens, source "
                         f"tokens) = ({len(target_tokens)}, {len(source_tokens)})")  # fmt: skip
    size = (max(3.0, 0.45 * len(source_tokens) + 1.5), max(2.5, 0.4 * len(target_tokens) + 1))
    ax = _axes(ax, figsize=size)
    image = ax.imshow(weights, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(source_tokens)), source_tokens, rotation=60, ha="right")
    ax.set_yticks(range(len(target_tokens)), target_tokens)
    ax.set_xlabel("source")
    ax.set_ylabel("translation")
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    return ax
