"""Time-series forecasting: windows, the classical baselines, and recurrent forecasters on
the Keras base (alone or combined with the classical forecasts)."""

from ._backtest import backtest
from ._baselines import ETSForecaster, SeasonalNaiveForecaster, ThetaForecaster
from ._period import infer_period
from ._rnn import RNNForecaster, RNNRegressor
from ._window import SlidingWindow

__all__ = [
    "ETSForecaster",
    "RNNForecaster",
    "RNNRegressor",
    "SeasonalNaiveForecaster",
    "SlidingWindow",
    "ThetaForecaster",
    "backtest",
    "infer_period",
]
