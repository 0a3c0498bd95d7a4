"""Series shipped inside the ``aeon`` wheel: M1 yearly and four bundled series (no download).

aeon is only a data source here: its files are read from the installed wheel without
importing the package (``pip install --no-deps aeon==1.6.0`` is enough).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import util
from pathlib import Path

import numpy as np

INSTALL_HINT = (
    "this series ships inside the 'aeon' wheel; textflow reads its files and never imports "
    "it. Install it without its dependencies: pip install --no-deps 'aeon==1.6.0' "
    "(`python3 tasks.py test` does)."
)

#: name -> (file under aeon/datasets/data, time column, value column, pandas frequency,
#: period m, benchmark horizon h, description)
AEON_SERIES = {
    "shampoo": ("ShampooSales/ShampooSales.csv", "Time", "Sales", "MS", 12, 12,
                "Monthly sales of shampoo over three years (Makridakis, Wheelwright and "
                "Hyndman, 1998), from aeon: 36 values."),
    "pbs": ("PBS_dataset/PBS_dataset.csv", "Month", "Scripts", "MS", 12, 18,
            "Monthly scripts of one drug in Australia's Pharmaceutical Benefits Scheme, "
            "July 1991 to June 2008: an intermittent count series, from aeon: 204 values."),
    "uschange": ("Uschange/Uschange.csv", "Quarter", "Consumption", "QS", 4, 8,
                 "Quarterly percentage changes of US personal consumption, 1970-2016, with "
                 "income, production, savings and unemployment as regressors (Hyndman & "
                 "Athanasopoulos, fpp2), from aeon: 187 values."),
    "solar": ("solar/solar.csv", "datetime_gmt", "solar_gen", "30min", 48, 48,
              "Half-hourly solar generation in Great Britain (Sheffield Solar), 1-7 May "
              "2021, from aeon: 289 values."),
}  # fmt: skip
M1_HORIZON = 6


def _data_folder() -> Path:
    spec = util.find_spec("aeon")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(INSTALL_HINT)
    folder = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "data"
    if not folder.is_dir():
        raise ImportError(f"the installed 'aeon' has no bundled data. {INSTALL_HINT}")
    return folder


def read_aeon_series(name):
    """``(y, X)``: the series as a pandas Series with a regular time index, and its
    regressors as a DataFrame (``None`` but for ``"uschange"``)."""
    import pandas as pd

    path, time_column, value_column, freq, *_ = AEON_SERIES[name]
    frame = pd.read_csv(_data_folder() / path)
    times = frame[time_column].astype(str)
    if freq == "QS":
        index = pd.PeriodIndex(times.str.replace(" ", ""), freq="Q").to_timestamp()
    elif freq == "MS":
        index = pd.PeriodIndex(pd.to_datetime(times, format="mixed"), freq="M").to_timestamp()
    else:
        index = pd.DatetimeIndex(pd.to_datetime(times, utc=True).dt.tz_localize(None))
    index = pd.DatetimeIndex(index, freq=freq)
    y = pd.Series(frame[value_column].to_numpy(dtype="float64"), index=index, name=name)
    X = None
    if name == "uschange":
        others = [c for c in frame.columns if c not in (time_column, value_column)
                  and not c.startswith("Unnamed")]  # fmt: skip
        X = pd.DataFrame(frame[others].to_numpy(dtype="float64"), index=index, columns=others)
    return y, X


@lru_cache(maxsize=1)
def read_m1_yearly():
    """The 181 series of M1 yearly: ``(name, start year, values)`` per series, from the
    Monash-format ``.tsf`` file (``T1:1972-01-01 00-00-00:3600,7700,...``)."""
    path = _data_folder() / "m1_yearly_dataset" / "m1_yearly_dataset.tsf"
    series, in_data = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if not in_data:
            in_data = line.strip().lower() == "@data"
            continue
        if not line.strip():
            continue
        name, start, values = line.split(":", 2)
        numbers = np.array([float(v) for v in values.split(",")], dtype=np.float64)
        series.append((name, int(start[:4]), numbers))
    return tuple(series)
