"""Loading estimators saved by earlier versions."""

from __future__ import annotations

import inspect


def fill_missing_parameters(cls, state: dict) -> dict:
    """``state`` with every ``__init__`` parameter it lacks set to its default: a model
    saved before a parameter existed was trained as that default says."""
    for name, parameter in inspect.signature(cls.__init__).parameters.items():
        if parameter.default is not inspect.Parameter.empty:
            state.setdefault(name, parameter.default)
    return state
