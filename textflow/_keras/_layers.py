"""Keras layers and losses of textflow's own, registered with Keras' serialization.

Importing this module imports Keras (the estimators import it inside the methods that
build or load a model), and registers every class under the ``textflow>`` package, so a
saved model that uses one loads by name.
"""

from __future__ import annotations

from ._backend import import_keras

keras = import_keras()
ops = keras.ops


@keras.saving.register_keras_serializable(package="textflow")
class MaskedGlobalMaxPooling1D(keras.layers.Layer):
    """The maximum over the time steps the mask keeps (padding never wins)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is not None:
            keep = ops.expand_dims(ops.cast(mask, "bool"), -1)
            lowest = ops.full_like(inputs, -3.0e38 if inputs.dtype == "float32" else -6.0e4)
            inputs = ops.where(keep, inputs, lowest)
        return ops.max(inputs, axis=1)

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[2])


@keras.saving.register_keras_serializable(package="textflow")
class TiedEmbedding(keras.layers.Layer):
    """A token embedding that doubles as the output layer (tied weights).

    ``layer(ids)`` looks the ids up; ``layer(vectors, reverse=True)`` gives
    logits over the vocabulary: ``vectors @ table.T + bias``.
    """

    def __init__(self, input_dim, output_dim, **kwargs):
        super().__init__(**kwargs)
        self.input_dim, self.output_dim = int(input_dim), int(output_dim)

    def build(self, input_shape=None):
        self.embeddings = self.add_weight(
            shape=(self.input_dim, self.output_dim), initializer="uniform", name="embeddings"
        )
        self.bias = self.add_weight(shape=(self.input_dim,), initializer="zeros", name="bias")

    def call(self, inputs, reverse=False):
        if reverse:
            return ops.matmul(inputs, ops.transpose(self.embeddings)) + self.bias
        return ops.take(self.embeddings, ops.cast(inputs, "int32"), axis=0)

    def get_config(self):
        return {**super().get_config(), "input_dim": self.input_dim,
                "output_dim": self.output_dim}  # fmt: skip


@keras.saving.register_keras_serializable(package="textflow")
class LinearChainCRF(keras.layers.Layer):
    """The transition scores of a linear-chain CRF over per-token emission scores.

    Returns the emissions ``(batch, tokens, tags)`` with the ``tags x tags``
    transitions and the start and end scores appended along the token axis, so
    that :class:`CRFNegativeLogLikelihood` (a plain loss of ``y_true, y_pred``,
    as every backend's training step expects) sees all the CRF's parameters.
    """

    def __init__(self, num_tags, **kwargs):
        super().__init__(**kwargs)
        self.num_tags = int(num_tags)
        self.supports_masking = True

    def build(self, input_shape=None):
        k = self.num_tags
        self.transitions = self.add_weight(shape=(k, k), initializer="zeros",
                                           name="transitions")  # fmt: skip
        self.boundaries = self.add_weight(shape=(2, k), initializer="zeros",
                                          name="boundaries")  # fmt: skip

    def call(self, emissions, mask=None):
        if mask is not None:
            emissions = emissions * ops.expand_dims(ops.cast(mask, emissions.dtype), -1)
        packed = ops.concatenate([self.transitions, self.boundaries], axis=0)
        batch = ops.shape(emissions)[0]
        packed = ops.broadcast_to(ops.expand_dims(packed, 0),
                                  (batch, self.num_tags + 2, self.num_tags))  # fmt: skip
        return ops.concatenate([emissions, ops.cast(packed, emissions.dtype)], axis=1)

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        tokens = None if input_shape[1] is None else input_shape[1] + self.num_tags + 2
        return (input_shape[0], tokens, self.num_tags)

    def get_config(self):
        return {**super().get_config(), "num_tags": self.num_tags}


@keras.saving.register_keras_serializable(package="textflow")
class CRFNegativeLogLikelihood(keras.losses.Loss):
    """-log P(gold tags | sentence) per sentence under a linear-chain CRF.

    ``y_true`` holds tag id + 1 per token, 0 for padding (sentences are
    left-aligned); ``y_pred`` is :class:`LinearChainCRF`'s output. The log
    partition runs the forward algorithm as a loop over tokens.
    """

    def call(self, y_true, y_pred):
        k = y_pred.shape[-1]
        tokens = y_pred.shape[1] - k - 2
        emissions = y_pred[:, :tokens]
        transitions, start, end = y_pred[0, tokens:-2], y_pred[0, -2], y_pred[0, -1]
        labels = ops.cast(ops.round(y_true), "int32")
        mask = ops.cast(labels > 0, y_pred.dtype)
        tags = ops.maximum(labels - 1, 0)
        lengths = ops.cast(ops.sum(mask, axis=1), "int32")
        gold = ops.sum(ops.take_along_axis(emissions, tags[..., None], axis=2)[..., 0] * mask,
                       axis=1)  # fmt: skip
        if tokens > 1:
            pairs = tags[:, :-1] * k + tags[:, 1:]
            gold += ops.sum(ops.take(ops.reshape(transitions, (-1,)), pairs) * mask[:, 1:],
                            axis=1)  # fmt: skip
        last = ops.take_along_axis(tags, ops.maximum(lengths - 1, 0)[:, None], axis=1)[:, 0]
        gold += ops.take(start, tags[:, 0]) + ops.take(end, last)

        def step(t, alpha):
            scores = ops.logsumexp(alpha[:, :, None] + transitions[None], axis=1)
            scores += ops.take(emissions, t, axis=1)
            keep = ops.take(mask, t, axis=1)[:, None]
            return keep * scores + (1 - keep) * alpha

        alpha = ops.fori_loop(1, tokens, step, start[None, :] + emissions[:, 0])
        log_z = ops.logsumexp(alpha + end[None, :], axis=1)
        return (log_z - gold) * ops.cast(lengths > 0, y_pred.dtype)


@keras.saving.register_keras_serializable(package="textflow")
class SmoothedSparseCrossEntropy(keras.losses.Loss):
    """Cross-entropy from logits against integer labels, with label smoothing:
    ``(1 - label_smoothing)`` of the target on the gold label, the rest spread
    evenly over the vocabulary (Szegedy et al., 2016) — without materialising
    one-hot targets of the vocabulary's width."""

    def __init__(self, label_smoothing=0.1, **kwargs):
        super().__init__(**kwargs)
        self.label_smoothing = label_smoothing

    def call(self, y_true, y_pred):
        log_probs = ops.log_softmax(y_pred, axis=-1)
        labels = ops.cast(y_true, "int32")[..., None]
        gold = -ops.take_along_axis(log_probs, labels, axis=-1)[..., 0]
        spread = -ops.mean(log_probs, axis=-1)
        return (1 - self.label_smoothing) * gold + self.label_smoothing * spread

    def get_config(self):
        return {**super().get_config(), "label_smoothing": self.label_smoothing}


@keras.saving.register_keras_serializable(package="textflow")
class TokenDropout(keras.layers.Layer):
    """Embedding dropout (Gal & Ghahramani, 2016; Merity et al., 2017): in training, each
    batch drops whole token types, every occurrence of a dropped token reading zeros, the
    others scaled by ``1 / (1 - rate)``. Called on ``[ids, vectors]``; returns vectors."""

    def __init__(self, vocab_size, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.vocab_size, self.rate, self.seed = int(vocab_size), float(rate), seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=False):
        ids, vectors = inputs
        if not training or self.rate == 0:
            return vectors
        keep = keras.random.uniform((self.vocab_size,), seed=self.seed_generator) >= self.rate
        scale = ops.cast(keep, vectors.dtype) / (1.0 - self.rate)
        return vectors * ops.expand_dims(ops.take(scale, ops.cast(ids, "int32")), -1)

    def compute_output_shape(self, input_shape):
        return input_shape[1]

    def get_config(self):
        return {**super().get_config(), "vocab_size": self.vocab_size, "rate": self.rate,
                "seed": self.seed}  # fmt: skip


@keras.saving.register_keras_serializable(package="textflow")
class DropMask(keras.layers.Layer):
    """Its input unchanged, without its Keras mask: for outputs whose loss reads the
    lengths itself (CTC), which Keras would otherwise multiply by a per-step mask."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True  # takes the mask, so that it can give none

    def call(self, inputs, mask=None):
        return ops.copy(inputs)  # a new tensor: the input's carries the mask

    def compute_mask(self, inputs, mask=None):
        return None


@keras.saving.register_keras_serializable(package="textflow")
class CTCLoss(keras.losses.Loss):
    """Connectionist temporal classification loss (Graves et al., 2006) from logits, label 0
    the blank. ``y_true`` packs, per row, the number of valid output frames (column 0)
    and the label ids (1 and up; 0 is padding), so one array carries both lengths."""

    def call(self, y_true, y_pred):
        y_true = ops.cast(y_true, "int32")
        output_length, labels = y_true[:, 0], y_true[:, 1:]
        label_length = ops.sum(ops.cast(labels > 0, "int32"), axis=1)
        return ops.ctc_loss(labels, y_pred, label_length, output_length, mask_index=0)


_BY_NAME = {
    "textflow>DropMask": DropMask,
    "textflow>MaskedGlobalMaxPooling1D": MaskedGlobalMaxPooling1D,
    "textflow>TiedEmbedding": TiedEmbedding,
    "textflow>LinearChainCRF": LinearChainCRF,
    "textflow>CRFNegativeLogLikelihood": CRFNegativeLogLikelihood,
    "textflow>SmoothedSparseCrossEntropy": SmoothedSparseCrossEntropy,
    "textflow>TokenDropout": TokenDropout,
    "textflow>CTCLoss": CTCLoss,
}


def custom_objects() -> dict:
    """``{registered name: class}`` of textflow's layers and losses."""
    return dict(_BY_NAME)
