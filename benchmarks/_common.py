"""Helpers shared by the benchmarks: timing, reporting ratios against anchors."""

import json
import os
import platform
import statistics
import time
from pathlib import Path

RESULTS = Path(__file__).with_name("results")


def timed(func, repeat=3):
    """Run ``func`` ``repeat`` times; return (median seconds, all times, last result)."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times, result


def machine():
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
    }


def save(name, payload):
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **payload}, indent=2))
    print(f"results written to {path}")


def time_budget(minutes):
    """A Keras callback that ends training after the first epoch past ``minutes``."""
    from textflow._keras._backend import import_keras

    keras = import_keras()

    class TimeBudget(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            if time.perf_counter() - self.start > minutes * 60:
                self.model.stop_training = True

    return TimeBudget()


def parse_params(pairs):
    """``KEY=VALUE`` strings as a dict of settings, numbers parsed as int or float."""
    return {key: _number(value) for key, value in (pair.split("=", 1) for pair in pairs)}


def _number(text):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return {"None": None, "True": True, "False": False}.get(text, text)
