"""Training data as Keras ``PyDataset``\\ s. Importing this module imports Keras."""

from __future__ import annotations

from ._backend import import_keras
from ._batching import length_batches

keras = import_keras()


class LengthBucketedBatches(keras.utils.PyDataset):
    """Training batches of rows of similar length, reshuffled every epoch.

    ``make_batch(rows) -> (x, y, sample_weight)`` builds one batch; with ``regroup``
    (a function returning new lengths), the rows are drawn anew at every epoch's end
    (BPE-dropout, say) and the batches regrouped by their new lengths.
    """

    def __init__(self, lengths, batch_size, make_batch, rng=None, regroup=None):
        super().__init__()
        self.batch_size, self.make_batch = batch_size, make_batch
        self.rng, self.regroup = rng, regroup
        self.batches = length_batches(lengths, batch_size, rng)

    def __len__(self):
        return len(self.batches)

    def __getitem__(self, index):
        return self.make_batch(self.batches[index])

    def on_epoch_end(self):
        if self.regroup is not None:
            self.batches = length_batches(self.regroup(), self.batch_size, self.rng)
        elif self.rng is not None:
            self.rng.shuffle(self.batches)
