"""Classic time series shipped by statsmodels and pmdarima (no download)."""

from __future__ import annotations

from sklearn.utils import Bunch

INSTALL_HINT = (
    "load_series reads series shipped by statsmodels and pmdarima. Install them with: "
    "pip install 'textflow[series]'."
)

#: name -> (period m, the benchmark's horizon h, description)
SERIES = {
    "airline": (12, 24, "Monthly international airline passengers (thousands), 1949-1960 "
                "(Box & Jenkins), from pmdarima: 144 values."),
    "co2": (12, 36, "Mauna Loa atmospheric CO2 (ppm), statsmodels' weekly series 1958-2001 "
            "with its 59 gaps interpolated in time, as monthly means: 526 values."),
    "sunspots": (11, 22, "Yearly sunspot numbers 1700-2008, from statsmodels: 309 values."),
    "taylor": (336, 336, "Half-hourly electricity demand in England and Wales (MW), 12 weeks "
               "from Monday 5 June 2000 (Taylor, 2003), from pmdarima: 4,032 values."),
}  # fmt: skip


def _airline():
    import pandas as pd
    from pmdarima.datasets import load_airpassengers

    values = load_airpassengers(as_series=False)
    return pd.Series(values, index=pd.date_range("1949-01-01", periods=len(values), freq="MS"))


def _co2():
    import statsmodels.api as sm

    weekly = sm.datasets.co2.load_pandas().data["co2"]
    return weekly.interpolate(method="time").resample("MS").mean()


def _sunspots():
    import pandas as pd
    import statsmodels.api as sm

    data = sm.datasets.sunspots.load_pandas().data
    index = pd.to_datetime(data["YEAR"].astype(int).astype(str), format="%Y")
    return pd.Series(data["SUNACTIVITY"].to_numpy(), index=pd.DatetimeIndex(index, freq="YS"))


def _taylor():
    import pandas as pd
    from pmdarima.datasets import load_taylor

    values = load_taylor(as_series=False)
    return pd.Series(values, index=pd.date_range("2000-06-05", periods=len(values),
                                                 freq="30min"))  # fmt: skip


_LOADERS = {"airline": _airline, "co2": _co2, "sunspots": _sunspots, "taylor": _taylor}


def load_series(name):
    """Load one of four classic series, ready to forecast.

    Read from data shipped by ``statsmodels`` and ``pmdarima`` (``pip install
    'textflow[series]'``); nothing is downloaded.

    Parameters
    ----------
    name : {"airline", "co2", "sunspots", "taylor"}
        Airline passengers (monthly, 144), Mauna Loa CO2 (monthly means of the weekly
        series, gaps interpolated, 526), sunspots (yearly, 309) and the Taylor
        half-hourly electricity demand (4,032).

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``y`` (a pandas Series with a regular DatetimeIndex), ``period`` (the
        seasonal period m), ``horizon`` (the hold-out length h of textflow's
        benchmark) and ``DESCR``.

    Examples
    --------
    >>> from textflow.datasets import load_series
    >>> airline = load_series("airline")
    >>> len(airline.y), airline.period, airline.horizon, str(airline.y.index[0].date())
    (144, 12, 24, '1949-01-01')
    >>> [len(load_series(name).y) for name in ("co2", "sunspots", "taylor")]
    [526, 309, 4032]
    """
    if name not in SERIES:
        raise ValueError(f"unknown series {name!r}; choose one of {', '.join(SERIES)}")
    try:
        y = _LOADERS[name]()
    except ModuleNotFoundError:
        raise ImportError(INSTALL_HINT) from None
    period, horizon, descr = SERIES[name]
    y = y.astype("float64").rename(name)
    return Bunch(y=y, period=period, horizon=horizon, DESCR=descr)
