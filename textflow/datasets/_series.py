"""Time series shipped by statsmodels, pmdarima and aeon (no download), and the
forecasting collection textflow's defaults are judged on."""

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
CLASSIC = tuple(SERIES)


def load_series(name):
    """Load one named series, ready to forecast.

    Read from data shipped by ``statsmodels`` and ``pmdarima`` (``pip install
    'textflow[series]'``) or inside the ``aeon`` wheel (``pip install --no-deps
    aeon==1.6.0``; read, never imported); nothing is downloaded.

    Parameters
    ----------
    name : {"airline", "co2", "sunspots", "taylor", "shampoo", "pbs", "uschange", "solar"}
        Airline passengers (monthly, 144), Mauna Loa CO2 (monthly means of the weekly
        series, gaps interpolated, 526), sunspots (yearly, 309), the Taylor half-hourly
        electricity demand (4,032); shampoo sales (monthly, 36), PBS scripts (monthly
        counts, 204), US consumption changes (quarterly, 187, with four regressors) and
        solar generation (half-hourly, 289).

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``y`` (a pandas Series with a regular DatetimeIndex), ``X`` (the regressors as
        a DataFrame on the same index, or ``None``), ``period`` (the seasonal period
        m), ``horizon`` (the hold-out length h of textflow's benchmark) and ``DESCR``.

    Examples
    --------
    >>> from textflow.datasets import load_series
    >>> airline = load_series("airline")
    >>> len(airline.y), airline.period, airline.horizon, str(airline.y.index[0].date())
    (144, 12, 24, '1949-01-01')
    >>> [len(load_series(name).y) for name in ("co2", "sunspots", "taylor")]
    [526, 309, 4032]
    >>> load_series("uschange").X.columns.tolist()
    ['Income', 'Production', 'Savings', 'Unemployment']
    """
    from ._aeon import AEON_SERIES, read_aeon_series

    if name not in SERIES and name not in AEON_SERIES:
        known = ", ".join([*SERIES, *AEON_SERIES])
        raise ValueError(f"unknown series {name!r}; choose one of {known}")
    if name in AEON_SERIES:
        y, X = read_aeon_series(name)
        *_, period, horizon, descr = AEON_SERIES[name]
        return Bunch(y=y, X=X, period=period, horizon=horizon, DESCR=descr)
    try:
        y = _LOADERS[name]()
    except ModuleNotFoundError:
        raise ImportError(INSTALL_HINT) from None
    period, horizon, descr = SERIES[name]
    y = y.astype("float64").rename(name)
    return Bunch(y=y, X=None, period=period, horizon=horizon, DESCR=descr)


def load_m1_yearly():
    """The 181 yearly series of the M1 forecasting competition (Makridakis et al., 1982).

    Read from the Monash-format file inside the ``aeon`` wheel (``pip install
    --no-deps aeon==1.6.0``); 15 to 58 values each, forecast 6 years ahead.

    Returns
    -------
    list of :class:`~sklearn.utils.Bunch`
        Per series: ``name`` (``"T1"``...), ``y`` (a pandas Series indexed by year
        starts), ``X`` (``None``), ``period`` (1) and ``horizon`` (6).

    Examples
    --------
    >>> from textflow.datasets import load_m1_yearly
    >>> series = load_m1_yearly()
    >>> len(series), series[0].name, len(series[0].y), series[0].horizon
    (181, 'T1', 28, 6)
    """
    import pandas as pd

    from ._aeon import M1_HORIZON, read_m1_yearly

    out = []
    for name, start, values in read_m1_yearly():
        index = pd.date_range(f"{start}-01-01", periods=len(values), freq="YS")
        out.append(Bunch(name=name, y=pd.Series(values, index=index, name=name), X=None,
                         period=1, horizon=M1_HORIZON))  # fmt: skip
    return out


def load_forecasting_collection():
    """Every series textflow's forecasting defaults are judged on, with its period and
    horizon: the 181 of M1 yearly, then shampoo, PBS, US change, solar, and the four
    classic series (airline, CO2, sunspots, Taylor).

    Returns
    -------
    list of :class:`~sklearn.utils.Bunch`
        ``name``, ``y``, ``X`` (regressors or ``None``), ``period``, ``horizon``.

    Examples
    --------
    >>> from textflow.datasets import load_forecasting_collection
    >>> collection = load_forecasting_collection()
    >>> len(collection), collection[-1].name, collection[-1].period
    (189, 'taylor', 336)
    """
    from ._aeon import AEON_SERIES

    collection = load_m1_yearly()
    for name in [*AEON_SERIES, *SERIES]:
        bunch = load_series(name)
        collection.append(Bunch(name=name, y=bunch.y, X=bunch.X, period=bunch.period,
                                horizon=bunch.horizon))  # fmt: skip
    return collection
