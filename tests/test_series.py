"""Time series: data sets, SlidingWindow, the baselines against statsmodels, and metrics."""

import numpy as np
import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("statsmodels")

from textflow.metrics import mase, smape  # noqa: E402
from textflow.series import ETSForecaster, SeasonalNaiveForecaster, SlidingWindow  # noqa: E402


def test_sliding_window_against_a_hand_built_table():
    y = np.arange(10.0)
    X, Y = SlidingWindow(window=4, horizon=2, stride=3).make_supervised(y)
    assert X.tolist() == [[0, 1, 2, 3], [3, 4, 5, 6]]
    assert Y.tolist() == [[4, 5], [7, 8]]
    X, Y = SlidingWindow(window=2).make_supervised(y[:5])
    assert X.tolist() == [[0, 1], [1, 2], [2, 3]] and Y.tolist() == [[2], [3], [4]]


def test_sliding_window_on_several_variables():
    y = np.column_stack([np.arange(6.0), 10 + np.arange(6.0)])
    window = SlidingWindow(window=3, horizon=1)
    X = window.fit(y).transform(y)
    assert X.shape == (3, 3, 2) and X[0].tolist() == [[0, 10], [1, 11], [2, 12]]
    assert window.targets(y, column=1).ravel().tolist() == [13, 14, 15]
    assert window.n_variables_ == 2
    assert window.last_window(y).tolist() == [[3, 13], [4, 14], [5, 15]]
    assert window.get_feature_names_out().tolist() == ["lag_2", "lag_1", "lag_0"]


@pytest.mark.parametrize(
    "y, match",
    [([1.0, 2.0], "fewer than window \\+ horizon"), ([1.0, np.nan, 3, 4, 5], "NaN.*position 1"),
     ([1.0, np.inf, 3, 4, 5], "inf.*position 1"), (["a", "b", "c", "d", "e"], "numeric"),
     (np.ones((5, 2, 2)), "1-D")],
)  # fmt: skip
def test_bad_series_are_named(y, match):
    with pytest.raises(ValueError, match=match):
        SlidingWindow(window=2, horizon=2).fit(y)


def test_time_index_must_be_sorted_and_regular():
    index = pd.date_range("2000-01-01", periods=6, freq="D")
    with pytest.raises(ValueError, match="not sorted"):
        SeasonalNaiveForecaster().fit(pd.Series(np.arange(6.0), index=index[::-1]))
    irregular = index.delete(2)
    with pytest.raises(ValueError, match="irregular"):
        SeasonalNaiveForecaster().fit(pd.Series(np.arange(5.0), index=irregular))


def test_seasonal_naive_and_the_time_index_of_forecasts():
    y = pd.Series(np.arange(8.0), index=pd.date_range("2020-01-01", periods=8, freq="MS"))
    forecast = SeasonalNaiveForecaster(period=4).fit(y).predict(6)
    assert forecast.tolist() == [4, 5, 6, 7, 4, 5]
    assert forecast.index[0] == pd.Timestamp("2020-09-01") and len(forecast) == 6
    assert SeasonalNaiveForecaster(period=4).fit(y).predict([2, 5]).tolist() == [5, 4]
    with pytest.raises(ValueError, match="fh must be >= 1"):
        SeasonalNaiveForecaster().fit(y).predict(0)
    with pytest.raises(ValueError, match="steps >= 1"):
        SeasonalNaiveForecaster().fit(y).predict([-1, 2])
    with pytest.raises(Exception, match="not fitted"):
        SeasonalNaiveForecaster().predict(3)


def test_ets_matches_statsmodels_called_directly():
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    from textflow.datasets import load_series

    airline = load_series("airline")
    train = airline.y[:-24]
    ours = ETSForecaster(trend="add", damped_trend=True, seasonal="mul", period=12)
    theirs = ExponentialSmoothing(train.to_numpy(), trend="add", damped_trend=True,
                                  seasonal="mul", seasonal_periods=12).fit()  # fmt: skip
    np.testing.assert_allclose(ours.fit(train).predict(24).to_numpy(), theirs.forecast(24))


def test_load_series_and_the_benchmark_anchor():
    from textflow.datasets import load_series

    sizes = {name: len(load_series(name).y) for name in ("airline", "co2", "sunspots", "taylor")}
    assert sizes == {"airline": 144, "co2": 526, "sunspots": 309, "taylor": 4032}
    co2 = load_series("co2")
    assert co2.y.isna().sum() == 0 and co2.y.index.freqstr == "MS"
    from textflow.datasets import load_series

    airline = load_series("airline")
    train, test = airline.y[:-24], airline.y[-24:]
    naive = SeasonalNaiveForecaster(period=12).fit(train).predict(24)
    assert mase(test, naive, train, period=12) == pytest.approx(2.494, abs=1e-3)
    with pytest.raises(ValueError, match="unknown series"):
        load_series("bitcoin")


def test_metrics_by_hand():
    assert mase([3.0, 5.0], [4.0, 5.0], y_train=[1.0, 3.0, 5.0], period=1) == pytest.approx(0.25)
    assert smape([1.0, 0.0], [1.0, 0.0]) == 0.0
    assert smape([1.0], [3.0]) == pytest.approx(100.0)
    with pytest.raises(ValueError, match="repeats"):
        mase([1.0], [1.0], y_train=[2.0, 2.0, 2.0])


# --- the recurrent forecasters ----------------------------------------------------------

try:  # textflow picks an installed backend; a bare `import keras` may not
    from textflow._keras._backend import import_keras

    import_keras()
    HAVE_KERAS = True
except ImportError:  # pragma: no cover
    HAVE_KERAS = False

needs_keras = pytest.mark.skipif(not HAVE_KERAS, reason="Keras is not usable here")
SMALL = {"units": 16, "epochs": 150, "random_state": 0, "combine": None}  # the network alone


@needs_keras
def test_forecaster_recovers_a_sine_and_a_linear_trend():
    from textflow.series import RNNForecaster

    t = np.arange(240)
    sine = 5 + np.sin(t * 2 * np.pi / 24)
    model = RNNForecaster(window=24, horizon=12, **SMALL).fit(sine[:-24])
    assert np.abs(model.predict(24) - sine[-24:]).max() < 0.25
    trend = 3.0 + 0.5 * t
    model = RNNForecaster(window=8, horizon=4, difference=1, **SMALL).fit(trend[:-12])
    np.testing.assert_allclose(model.predict(12), trend[-12:], rtol=0, atol=0.5)


@needs_keras
def test_direct_and_recursive_agree_on_a_one_step_horizon():
    from textflow.series import RNNForecaster

    y = 5 + np.sin(np.arange(150) / 3)
    direct = RNNForecaster(window=10, horizon=1, strategy="direct", **SMALL).fit(y)
    recursive = RNNForecaster(window=10, horizon=5, strategy="recursive", **SMALL).fit(y)
    np.testing.assert_allclose(direct.predict(3), recursive.predict(3), atol=1e-6)


@needs_keras
def test_scaling_and_differencing_are_inverted_exactly(monkeypatch):
    from textflow.series import RNNForecaster

    y = np.array([10.0, 12, 11, 15, 14, 18, 17, 21, 20, 24, 23, 27])
    model = RNNForecaster(window=3, horizon=2, units=2, epochs=1, random_state=0,
                          combine=None, difference=0, strategy="direct").fit(y)  # fmt: skip
    monkeypatch.setattr(model.regressor_, "predict", lambda X: np.zeros((len(X), 2)))
    np.testing.assert_allclose(model.predict(4), [y.mean()] * 4)  # a standardised 0 is the mean
    model = RNNForecaster(window=3, horizon=2, difference=2, units=2, epochs=1,
                          random_state=0, combine=None, strategy="direct").fit(y)  # fmt: skip
    monkeypatch.setattr(model.regressor_, "predict", lambda X: np.zeros((len(X), 2)))
    step = (y[2:] - y[:-2]).mean()  # each forecast: the value two steps earlier + mean change
    np.testing.assert_allclose(model.predict(4), [y[-2] + step, y[-1] + step,
                                                  y[-2] + 2 * step, y[-1] + 2 * step])  # fmt: skip


@needs_keras
def test_forecaster_bad_input_and_pandas_index():
    from textflow.series import RNNForecaster

    with pytest.raises(ValueError, match="too few to train the network"):
        RNNForecaster(window=11, horizon=5, combine=None).fit(np.arange(12.0))
    with pytest.raises(ValueError, match="NaN"):
        RNNForecaster(window=2, horizon=1).fit([1.0, 2, np.nan, 4, 5, 6])
    with pytest.raises(Exception, match="not fitted"):
        RNNForecaster().predict(3)
    y = pd.Series(5 + np.sin(np.arange(60) / 3),
                  index=pd.date_range("2001-01-01", periods=60, freq="MS"))  # fmt: skip
    model = RNNForecaster(window=6, horizon=3, units=4, epochs=3, random_state=0).fit(y)
    forecast = model.predict(5)
    assert forecast.index[0] == pd.Timestamp("2006-01-01") and len(forecast) == 5
    with pytest.raises(ValueError, match="fh must be >= 1"):
        model.predict(0)
    with pytest.raises(ValueError, match="fitted without exogenous"):
        model.predict(3, X=np.ones((3, 1)))
    with pytest.raises(ValueError, match="one row of exogenous variables per value"):
        RNNForecaster(window=6, horizon=3).fit(y, X=np.ones((59, 1)))
    with pytest.raises(ValueError, match="X must be numeric"):
        RNNForecaster(window=6, horizon=3).fit(y, X=["a"] * 60)


def promotion_series(n, seed=0):
    """A season plus a jump of 3 whenever a promotion (the exogenous variable) runs."""
    rng = np.random.default_rng(seed)
    promotion = (rng.random(n) < 0.2).astype(float)
    t = np.arange(n)
    return 10 + np.sin(t * 2 * np.pi / 12) + 3 * promotion + rng.normal(0, 0.1, n), promotion


@needs_keras
@pytest.mark.parametrize("strategy", ["direct", "recursive"])
def test_exogenous_variables_are_read_up_to_the_forecast_time(strategy):
    from textflow.series import RNNForecaster

    y, promotion = promotion_series(312)
    settings = {"horizon": 12, "period": 12, "strategy": strategy, "random_state": 0,
                "combine": None}  # fmt: skip
    with_x = RNNForecaster(**settings).fit(y[:300], promotion[:300])
    without = RNNForecaster(**settings).fit(y[:300])
    error_with = np.abs(with_x.predict(12, promotion[300:]) - y[300:]).mean()
    error_without = np.abs(without.predict(12) - y[300:]).mean()
    assert error_with < 0.75 * error_without  # the jumps are only predictable from X
    with pytest.raises(ValueError, match="pass their future values as X"):
        with_x.predict(12)
    with pytest.raises(ValueError, match="X has 5 rows but the forecast needs"):
        with_x.predict(12, promotion[300:305])
    with pytest.raises(ValueError, match="X has 2 variables"):
        with_x.predict(12, np.ones((12, 2)))


@needs_keras
def test_prediction_intervals_hold_the_forecast_and_widen_with_coverage():
    from textflow.series import RNNForecaster

    y, _ = promotion_series(312)  # the promotions are unseen noise here
    model = RNNForecaster(horizon=12, period=12, dropout=0.2, random_state=0,
                          combine=None).fit(y[:300])  # fmt: skip
    point = model.predict(12)
    narrow, wide = model.predict_interval(12, coverage=0.5), model.predict_interval(12)
    assert wide.shape == (12, 2)
    assert np.all(wide[:, 0] <= point) and np.all(point <= wide[:, 1])
    assert np.all(wide[:, 1] - wide[:, 0] >= narrow[:, 1] - narrow[:, 0])
    inside = (wide[:, 0] <= y[300:]) & (y[300:] <= wide[:, 1])
    assert inside.mean() >= 0.5  # 90 % nominal, from held-out errors on a short series
    draws = model.predict_interval([1, 6], method="dropout", n_samples=30)
    assert draws.shape == (2, 2) and np.all(draws[:, 0] < draws[:, 1])
    with pytest.raises(ValueError, match="horizon"):
        model.predict_interval(13)
    with pytest.raises(ValueError, match="coverage"):
        model.predict_interval(3, coverage=1.5)
    no_dropout = RNNForecaster(window=6, horizon=3, units=4, epochs=2, random_state=0,
                               combine=None)  # fmt: skip
    with pytest.raises(ValueError, match="dropout > 0"):
        no_dropout.fit(y[:100]).predict_interval(3, method="dropout")
    dated = pd.Series(y[:300], index=pd.date_range("2000-01-01", periods=300, freq="MS"))
    frame = RNNForecaster(horizon=3, period=12, units=4, epochs=3, random_state=0).fit(dated)
    table = frame.predict_interval(3)
    assert list(table.columns) == ["lower", "upper"] and table.index[0].year == 2025


@needs_keras
def test_regressor_contract_grid_search_and_pickle_in_a_fresh_process(tmp_path):
    import pickle
    import subprocess
    import sys
    import textwrap

    from sklearn.base import clone
    from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

    import textflow
    from textflow.series import RNNRegressor

    y = np.sin(np.arange(140) / 4)
    X, Y = SlidingWindow(window=8).make_supervised(y)
    search = GridSearchCV(RNNRegressor(units=8, epochs=30, random_state=0),
                          {"cell": ["rnn", "gru"]}, cv=TimeSeriesSplit(3))  # fmt: skip
    search.fit(X, Y.ravel())
    assert search.best_score_ > 0.5
    model = search.best_estimator_
    assert clone(model).get_params() == model.get_params()
    np.testing.assert_allclose(
        pickle.loads(pickle.dumps(model)).predict(X[:5]), model.predict(X[:5])
    )
    path = tmp_path / "regressor.joblib"
    textflow.save(model, path)
    code = textwrap.dedent(f"""
        import json, numpy as np, textflow
        model = textflow.load({str(path)!r})
        print(json.dumps(model.predict(np.asarray({X[:3].tolist()!r})).tolist()))
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    import json

    np.testing.assert_allclose(json.loads(result.stdout.strip().splitlines()[-1]),
                               model.predict(X[:3]), rtol=1e-5)  # fmt: skip


def test_backtest_refits_on_growing_prefixes():
    from textflow.series import backtest

    y = np.tile([1.0, 2.0, 3.0, 4.0], 10) + np.arange(40) * 0.1
    folds = backtest(SeasonalNaiveForecaster(period=4), y, horizon=4, n_splits=3, period=4)
    assert [fold["train_size"] for fold in folds] == [28, 32, 36]
    np.testing.assert_allclose(folds[-1]["forecast"], y[32:36])
    assert all(fold["mase"] == pytest.approx(1.0) for fold in folds)


@needs_keras
def test_forecasters_survive_clone_and_pickle():
    import pickle

    from sklearn.base import clone

    from textflow.series import RNNForecaster

    y = 5 + np.sin(np.arange(80) / 3)
    for model in (RNNForecaster(window=6, horizon=3, units=4, epochs=3, random_state=0),
                  SeasonalNaiveForecaster(period=4), ETSForecaster(period=4)):  # fmt: skip
        fitted = clone(model).fit(y)
        restored = pickle.loads(pickle.dumps(fitted))
        np.testing.assert_allclose(restored.predict(5), fitted.predict(5))
        assert clone(model).get_params() == model.get_params()


@needs_keras
def test_forecast_command_writes_intervals_and_reads_future_exogenous_values(tmp_path, capsys):
    import csv

    import textflow
    from textflow.cli import main
    from textflow.series import RNNForecaster

    y, promotion = promotion_series(120)
    model = RNNForecaster(horizon=6, period=12, units=8, epochs=5, random_state=0)
    model.fit(y[:108], promotion[:108])
    path = tmp_path / "forecaster.joblib"
    textflow.save(model, path)
    future = tmp_path / "future.csv"
    future.write_text("promotion\n" + "".join(f"{v}\n" for v in promotion[108:114]))
    out = tmp_path / "forecast.csv"
    code = main(["forecast", str(path), "--horizon", "6", "--coverage", "0.8",
                 "--exogenous", str(future), "-o", str(out)])  # fmt: skip
    assert code == 0
    rows = list(csv.DictReader(out.open()))
    assert [row["step"] for row in rows] == ["1", "2", "3", "4", "5", "6"]
    expected = model.predict(6, X=promotion[108:114])
    bounds = model.predict_interval(6, X=promotion[108:114], coverage=0.8)
    np.testing.assert_allclose([float(row["forecast"]) for row in rows], expected)
    np.testing.assert_allclose([[float(row["lower"]), float(row["upper"])] for row in rows],
                               bounds)  # fmt: skip
    capsys.readouterr()
    assert main(["forecast", str(path), "--horizon", "6"]) == 2  # the future X is missing
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "pass their future values as X" in error


# --- defaults read from the data, and the classical forecasts they must beat -----------


def test_the_period_is_read_from_a_regular_time_index():
    from textflow.series import infer_period

    index = {freq: pd.date_range("2000-01-01", periods=30, freq=freq)
             for freq in ("MS", "QS", "YS", "W", "D", "B", "h", "30min", "2MS")}  # fmt: skip
    assert {f: infer_period(i) for f, i in index.items()} == {
        "MS": 12,
        "QS": 4,
        "YS": 1,
        "W": 52,
        "D": 7,
        "B": 5,
        "h": 24,
        "30min": 48,
        "2MS": 6,
    }
    assert infer_period(None) is None
    monthly = pd.Series(np.arange(30.0), index=index["MS"])
    assert SeasonalNaiveForecaster().fit(monthly).period_ == 12
    assert SeasonalNaiveForecaster().fit(np.arange(30.0)).period_ == 1  # a plain array
    assert SeasonalNaiveForecaster(period=3).fit(monthly).period_ == 3  # given wins


def test_forecasts_keep_the_callers_steps_order_and_repeats():
    y = np.arange(1.0, 13.0)
    model = SeasonalNaiveForecaster(period=4).fit(y)
    assert model.predict([3, 1, 2]).tolist() == [11.0, 9.0, 10.0]
    assert model.predict([1, 1, 1]).tolist() == [9.0, 9.0, 9.0]
    dated = pd.Series(y, index=pd.date_range("2000-01-01", periods=12, freq="MS"))
    forecast = SeasonalNaiveForecaster(period=4).fit(dated).predict([2, 1])
    assert [t.month for t in forecast.index] == [2, 1] and forecast.tolist() == [10.0, 9.0]
    for bad in ([True, False], ["1", "2"], [1.5]):
        with pytest.raises(ValueError, match="fh must"):
            model.predict(bad)


@pytest.mark.parametrize("y, match", [
    (["1", "2", "3", "4"], "numeric, not text or booleans"),
    ([True, False, True, True], "numeric, not text or booleans"),
    (pd.Series([1.0, 2.0, 3.0, 4.0], index=[4, 3, 2, 1]), "descending positions"),
    (pd.Series([1.0, 2.0, 3.0, 4.0], index=[1, 1, 2, 3]), "duplicate positions"),
])  # fmt: skip
def test_series_of_text_booleans_or_disordered_positions_are_refused(y, match):
    with pytest.raises(ValueError, match=match):
        SeasonalNaiveForecaster().fit(y)


@needs_keras
def test_the_default_combines_the_network_with_the_classical_forecasts():
    from textflow.datasets import load_series
    from textflow.series import RNNForecaster

    airline = load_series("airline")
    train = airline.y[:-24]
    model = RNNForecaster(horizon=24, units=8, epochs=30, random_state=0).fit(train)
    assert model.period_ == 12  # read from the monthly index
    assert set(model.validation_errors_) == {"rnn", "seasonal_naive", "ets", "theta"}
    assert sum(model.weights_.values()) == pytest.approx(1.0)
    assert set(model.candidates_) == {k for k, w in model.weights_.items() if w > 0}
    forecast = model.predict(24)
    expected = sum(w * np.asarray(model.candidates_[k].predict(24))
                   for k, w in model.weights_.items() if w > 0)  # fmt: skip
    np.testing.assert_allclose(np.asarray(forecast), expected)
    assert mase(airline.y[-24:], forecast, train, period=12) < 2.494  # seasonal naive's
    assert model.best_score_ < model.baseline_score_


@needs_keras
def test_a_series_too_short_for_the_network_gets_the_classical_forecasts():
    from textflow.series import RNNForecaster

    y = np.array([3.0, 5, 4, 6, 8, 7, 9, 11, 10, 12, 14, 13, 15, 17, 16])  # 15 values
    model = RNNForecaster(horizon=6, units=4, epochs=5, random_state=0).fit(y)
    assert "rnn" not in model.validation_errors_  # no room for 10 training windows
    assert len(model.predict(6)) == 6 and np.all(np.isfinite(model.predict(6)))


@needs_keras
def test_a_forecaster_that_cannot_beat_seasonal_naive_says_so():
    from textflow import BaselineWarning
    from textflow.series import RNNForecaster

    seasonal = np.tile([1.0, 5.0, 2.0, 8.0], 30)  # seasonal naive is exact
    with pytest.warns(BaselineWarning, match=r"does not beat its baseline.*seasonal naive"):
        model = RNNForecaster(horizon=4, period=4, units=2, epochs=1, learning_rate=1e-5,
                              combine=None, random_state=0).fit(seasonal)  # fmt: skip
    assert model.best_score_ >= model.baseline_score_


def test_bad_backtest_settings_and_two_column_series_are_named():
    from textflow.series import backtest

    y = np.arange(40.0)
    for settings, match in [({"horizon": 0}, "horizon must be an integer >= 1"),
                            ({"horizon": 4, "n_splits": 1}, "n_splits must be an integer >= 2"),
                            ({"horizon": 30}, "too few for 3 folds of 30")]:  # fmt: skip
        with pytest.raises(ValueError, match=match):
            backtest(SeasonalNaiveForecaster(), y, **settings)
    frame = pd.DataFrame({"a": y, "b": y})
    with pytest.raises(ValueError, match="one series: y must be 1-D"):
        SeasonalNaiveForecaster().fit(frame)
