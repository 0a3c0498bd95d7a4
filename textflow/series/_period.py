"""The seasonal period a series' time index implies."""

from __future__ import annotations

_SECONDS_PER_DAY = 86_400


def _season_of(offset):
    """Steps of ``offset``'s unit in the next coarser calendar unit (None: not a calendar
    unit with a season)."""
    from pandas.tseries import offsets as o

    kinds = [
        ((o.YearBegin, o.YearEnd, o.BYearBegin, o.BYearEnd), 1),
        ((o.QuarterBegin, o.QuarterEnd, o.BQuarterBegin, o.BQuarterEnd), 4),
        ((o.MonthBegin, o.MonthEnd, o.BusinessMonthBegin, o.BusinessMonthEnd), 12),
        ((o.Week,), 52),
        ((o.BusinessDay,), 5),
        ((o.Day,), 7),
    ]
    for classes, season in kinds:
        if isinstance(offset, classes):
            return season
    if isinstance(offset, o.Tick):  # the steps in a day, an hour or a minute
        seconds = offset.nanos / 1e9
        for unit, most in ((_SECONDS_PER_DAY, 288), (3600, 720), (60, 60)):
            if 0 < seconds < unit and unit % seconds == 0 and unit / seconds <= most:
                return round(unit / seconds)
    return None


def infer_period(index):
    """The seasonal period a regular time index implies, or ``None`` without one.

    The season of the next coarser calendar unit, as users of sktime and statsforecast
    expect: yearly 1, quarterly 4, monthly 12, weekly 52, daily 7 (business days 5), and
    for steps shorter than a day the steps in a day (hourly 24, half-hourly 48, every 5
    minutes 288), for shorter steps still those in an hour (every minute 60). A multiple
    of a calendar unit divides its season when it can (every 2 months: 6; every 7 days:
    1), else there is no season (1).

    Parameters
    ----------
    index : pandas.DatetimeIndex, PeriodIndex or None

    Returns
    -------
    int or None
        ``None`` for no index, or one without a regular frequency.

    Examples
    --------
    >>> import pandas as pd
    >>> from textflow.series import infer_period
    >>> [infer_period(pd.date_range("2000", periods=5, freq=f))
    ...  for f in ("MS", "QS", "YS", "W", "D", "h", "30min", "2MS")]
    [12, 4, 1, 52, 7, 24, 48, 6]
    >>> infer_period(None) is None
    True
    """
    import pandas as pd

    if not isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex)) or len(index) < 3:
        return None
    from ._checks import infer_frequency

    offset = infer_frequency(index)
    if offset is None:
        return None
    if isinstance(offset, pd.tseries.offsets.Tick):  # its length includes its multiple
        return _season_of(offset) or 1
    multiple = max(abs(int(getattr(offset, "n", 1) or 1)), 1)
    season = _season_of(offset.base)
    if season is None:
        return 1
    return season // multiple if season % multiple == 0 else 1
