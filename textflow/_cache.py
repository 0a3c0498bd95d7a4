"""Objects an estimator derives from its fitted state (numpy networks, token indexes),
built once on first use and never pickled."""

from __future__ import annotations


class DerivedCacheMixin:
    """``self._cached(key, build)``: ``build()`` once per fitted state.

    The cache lives in ``__dict__["_cache"]``: refitting calls :meth:`_clear_cache`,
    and pickling leaves it out, so a loaded estimator rebuilds what it needs.
    """

    def _cached(self, key, build):
        cache = self.__dict__.setdefault("_cache", {})
        if key not in cache:
            cache[key] = build()
        return cache[key]

    def _clear_cache(self):
        self.__dict__["_cache"] = {}

    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: never strip the live estimator
        state.pop("_cache", None)
        return state
