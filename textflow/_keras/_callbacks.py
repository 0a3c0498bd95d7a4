"""Keras callbacks the estimators share. Importing this module imports Keras."""

from __future__ import annotations

import math

from ._backend import import_keras

keras = import_keras()


class ResetStatefulLayers(keras.callbacks.Callback):
    """Start every epoch (and every evaluation) from zero recurrent states."""

    def _reset(self):
        for layer in self.model.layers:
            if getattr(layer, "stateful", False):
                layer.reset_state()

    def on_epoch_begin(self, epoch, logs=None):
        self._reset()

    def on_test_begin(self, logs=None):
        self._reset()


class HeldOutScore(keras.callbacks.Callback):
    """After every epoch, ``score(model) -> {name: value}`` on held-out data, added to the
    epoch's logs (so early stopping and learning-rate decay can follow it) and printed
    with ``verbose``."""

    def __init__(self, score, *, verbose=0):
        super().__init__()
        self.score, self.verbose = score, verbose

    def on_epoch_end(self, epoch, logs=None):
        values = self.score(self.model)
        if logs is not None:
            logs.update(values)
        if self.verbose:
            shown = ", ".join(f"{name} {value:.4f}" for name, value in values.items())
            print(f"epoch {epoch + 1}: {shown}")


class EpochProgress(keras.callbacks.Callback):
    """One progress bar for the whole training run (``verbose=1``): a step per epoch, the
    epoch's loss and held-out figures beside it, on standard error."""

    def __init__(self, epochs, description):
        super().__init__()
        self.epochs, self.description, self.bar = epochs, description, None

    def on_train_begin(self, logs=None):
        from tqdm.auto import tqdm

        self.bar = tqdm(total=self.epochs, desc=self.description, unit="epoch",
                        dynamic_ncols=True, leave=True)  # fmt: skip

    def on_epoch_end(self, epoch, logs=None):
        shown = {k: f"{v:.4g}" for k, v in (logs or {}).items()
                 if k == "loss" or k.startswith("val_")}  # fmt: skip
        self.bar.set_postfix(shown, refresh=False)
        self.bar.update(1)

    def on_train_end(self, logs=None):
        if self.bar is not None:
            self.bar.close()


class StopOnDivergence(keras.callbacks.Callback):
    """Stop training when the epoch's loss is not finite or above ``limit`` (a loss worse
    than guessing: the network has diverged); ``diverged`` and ``reason`` say so
    afterwards."""

    def __init__(self, limit):
        super().__init__()
        self.limit, self.diverged, self.reason = limit, False, ""

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            self._stop(f"the loss became {float(loss)} in epoch {self._epoch + 1}")

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        loss = float((logs or {}).get("loss", 0.0))
        if not math.isfinite(loss) or loss > self.limit:
            self._stop(f"the training loss was {loss:.3g} after epoch {epoch + 1}, above "
                       f"{self.limit:.3g}: worse than guessing")  # fmt: skip

    def _stop(self, reason):
        if not self.diverged:
            self.diverged, self.reason = True, reason
        self.model.stop_training = True


class EarlyStoppingRankingTiesByLoss(keras.callbacks.EarlyStopping):
    """Early stopping on a score that often ties (BLEU is 0 while a network writes nothing
    useful yet): epochs of equal score are ranked by their validation loss, so a slow start
    does not read as a stall. For scores where higher is better (``mode="max"``)."""

    def get_monitor_value(self, logs):
        score = super().get_monitor_value(logs)
        loss = (logs or {}).get("val_loss")
        return score if score is None or loss is None else score - 1e-6 * loss
