"""A fitted model's parts, and the job it does: one place for scoring and the CLI.

A model is a bare estimator or a scikit-learn ``Pipeline``; its *head* is the steps
before the final estimator, and its *task* says which commands can use it.
"""

from __future__ import annotations

#: What a model does, by the final estimator's ``_task`` (a class attribute of textflow's
#: task estimators); other classifiers are ``"classification"``.
TASKS = ("classification", "language-model", "tagging", "translation", "forecasting",
         "transcription")  # fmt: skip


def split_final_step(model):
    """``(head, final)``: the steps before the final estimator as a ``Pipeline`` (``None``
    for a bare estimator or a one-step pipeline), and the final estimator."""
    steps = getattr(model, "steps", None)
    if not steps:
        return None, model
    return (model[:-1] if len(steps) > 1 else None), steps[-1][1]


def final_estimator(model):
    """The estimator at the end of ``model`` (``model`` itself when it is no pipeline)."""
    return split_final_step(model)[1]


def transform_with_head(model, X):
    """``X`` through the steps before the final estimator (unchanged without any)."""
    head, _ = split_final_step(model)
    return X if head is None else head.transform(X)


def split_preprocessing(model):
    """``(preprocessing, rest)``: the leading textflow text and token steps of a pipeline
    (a ``Pipeline``, or ``None`` when there are none) and what follows them (the final
    estimator, or a ``Pipeline`` of several steps, e.g. features and a CRF)."""
    steps = getattr(model, "steps", None)
    if not steps:
        return None, model
    n = 0
    while n < len(steps) - 1 and hasattr(steps[n][1], "accepts"):
        n += 1
    rest = model[n:] if len(steps) - n > 1 else steps[-1][1]
    return (model[:n] if n else None), rest


def task_of(model) -> str | None:
    """The task of ``model`` (one of :data:`TASKS`), or ``None`` when it is none of them."""
    from sklearn.base import is_classifier

    final = final_estimator(model)
    task = getattr(final, "_task", None)
    if task is not None:
        return task
    if type(final).__module__.split(".")[0] == "sklearn_crfsuite":
        return "tagging"
    if is_classifier(final) or (hasattr(final, "predict") and hasattr(final, "classes_")):
        return "classification"
    return None
