"""Time-series forecasting: windows, baselines, and recurrent forecasters on the Keras base."""

from ._backtest import backtest
from ._baselines import ETSForecaster, SeasonalNaiveForecaster
from ._rnn import RNNForecaster, RNNRegressor
from ._window import SlidingWindow

__all__ = [
    "ETSForecaster",
    "RNNForecaster",
    "RNNRegressor",
    "SeasonalNaiveForecaster",
    "SlidingWindow",
    "backtest",
]
