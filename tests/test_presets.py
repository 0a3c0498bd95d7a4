"""Pipelines from configs: a config is data, never code; only allowed estimators are built."""

import pytest

from textflow.models import ConfigError, make_pipeline_from_config


@pytest.mark.parametrize("target, params", [
    ("os.system", {"command": "echo hacked"}),
    ("builtins.open", {"file": "x.txt", "mode": "w"}),
    ("subprocess.run", {"args": ["touch", "x"]}),
    ("eval", {}),
    ("textflow.load", {"path": "x"}),
    ("sklearn.base.clone", {"estimator": None}),
    ("textflow.models._presets.read_config", {"path": "x"}),
])  # fmt: skip
def test_config_refuses_anything_but_estimators_without_calling_it(target, params, monkeypatch):
    calls = []
    import builtins
    import os
    import subprocess as sp

    monkeypatch.setattr(os, "system", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(sp, "run", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(builtins, "open", lambda *a, **k: calls.append(a))
    config = {"steps": [{"name": "tok", "estimator": "Tokenizer"},
                        {"name": "bad", "estimator": target, "params": params}]}  # fmt: skip
    with pytest.raises(ConfigError, match=r"refusing|unknown estimator"):
        make_pipeline_from_config(config)
    assert calls == []


def test_config_allows_a_module_the_user_names(tmp_path, monkeypatch):
    (tmp_path / "mysteps.py").write_text(
        "from sklearn.base import BaseEstimator, TransformerMixin\n"
        "class Upper(TransformerMixin, BaseEstimator):\n"
        "    def fit(self, X, y=None):\n        return self\n"
        "    def transform(self, X):\n        return [x.upper() for x in X]\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    config = {"steps": [{"name": "up", "estimator": "mysteps.Upper"}]}
    with pytest.raises(ConfigError, match="--allow-module"):
        make_pipeline_from_config(config)
    pipe = make_pipeline_from_config(config, allow_modules=["mysteps"])
    assert pipe.fit_transform(["a b"]) == ["A B"]


@pytest.mark.parametrize("suffix, text", [
    (".json", "{ not json"), (".toml", "[[steps]\nestimator = \n"),
    (".yaml", "steps: [unclosed\n  - {estimator: Tokenizer\n"), (".json", "[1, 2]"),
])  # fmt: skip
def test_a_config_that_does_not_parse_names_its_file(tmp_path, suffix, text):
    from textflow.models import read_config

    path = tmp_path / f"pipeline{suffix}"
    path.write_text(text)
    with pytest.raises(ConfigError, match=rf"pipeline{suffix}: (not valid|a config is)"):
        read_config(path)
