"""Hypothesis strategies for text: arbitrary unicode, HTML, emoji, empty and long documents."""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sklearn.base import clone

html_fragment = st.sampled_from(
    ["<br />", "<b>", "</i>", "&amp;", "&lt;", "&#39;", "<a href='x'>", "<", ">", "&"]
)
emoji = st.sampled_from(["😀", "👍🏽", "❤️", "🇫🇷", "👨‍👩‍👧", "☕"])
pieces = st.one_of(
    st.text(max_size=30),
    html_fragment,
    emoji,
    st.sampled_from(["don't", "It’s", "10,000", "3.5", "www.x.com", "@me", "#tag", "Ångström"]),
)
documents = st.lists(pieces, max_size=12).map(" ".join)
corpora = st.lists(documents, min_size=1, max_size=8)
long_document = st.integers(min_value=1000, max_value=4000).map(lambda n: "Good film. " * n)
spaces = st.sampled_from([" ", "\t", "\n", "\r\n", "\x0b", "\x0c", "\xa0", "\u2003", "\u3000",
                          "\x1c", "\x85", "  "])  # fmt: skip
# ASCII pieces such as "(movie)," are cut in Arrow: mixed with the others
ascii_pieces = st.text(alphabet="abcXYZ019_.,'-/:!$()[]^`{}~\\\"", min_size=1, max_size=8)
spaced_documents = st.lists(st.one_of(pieces, ascii_pieces, spaces), max_size=16).map("".join)

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def fit_transform_one_per_document(step, corpus):
    """A clone of ``step`` fitted on ``corpus`` and applied to it; one output per document."""
    out = clone(step).fit_transform(corpus)
    assert len(out) == len(corpus)
    return out
