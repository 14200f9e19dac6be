"""Dates keep their precision; folding defines 'the same text' for quotes."""

import pytest

from annostory.core.dates import parse_date
from annostory.core.textfold import fold, fold_query


@pytest.mark.parametrize("value,shown,machine", [
    (2015, "2015", "2015"),
    ("2015", "2015", "2015"),
    ("2015-11", "Nov. 2015", "2015-11"),
    ("2015-11-03", "Nov. 3, 2015", "2015-11-03"),
    ("2015-09~", "about Sept. 2015", "2015-09"),
    ("2015-09-06?", "Sept. 6, 2015 (date uncertain)", "2015-09-06"),
    ("2015-09%", "about Sept. 2015 (date uncertain)", "2015-09"),
    ("2015~", "about 2015", "2015"),
    ("2015-21", "spring 2015", "2015"),
    ("2016-03-04", "March 4, 2016", "2016-03-04"),
    ("2016-06-30", "June 30, 2016", "2016-06-30"),
    ("2016-02-29", "Feb. 29, 2016", "2016-02-29"),
    ("2015-10-21T12:16-07:00", "Oct. 21, 2015, 12:16 p.m. (UTC\u221207:00)",
     "2015-10-21T12:16-07:00"),
    ("2015-11-03T18:38:59-0500", "Nov. 3, 2015, 6:38 p.m. (UTC\u221205:00)",
     "2015-11-03T18:38:59-05:00"),
    ("2015-11-03T00:05Z", "Nov. 3, 2015, 12:05 a.m. (UTC+00:00)", "2015-11-03T00:05+00:00"),
])
def test_dates_display_honestly(value, shown, machine):
    date, problem, _ = parse_date(value)
    assert problem == ""
    assert date.display() == shown
    assert date.machine() == machine


@pytest.mark.parametrize("value,problem", [
    ("2016-02-30", "'2016-02-30' is not a real date: February 2016 has 29 days"),
    ("2015-02-29", "'2015-02-29' is not a real date: February 2015 has 28 days"),
    ("2015-13", "'2015-13': there is no month 13"),
    ("03/04/2016", "'03/04/2016' is ambiguous (day/month or month/day?)"),
    ("Feb 31", "'Feb 31' is not a date in the accepted form"),
    ("2015-10-21T25:00", "'2015-10-21T25:00' has an impossible time of day"),
    (True, "expected a date, got True"),
])
def test_impossible_and_non_iso_dates_are_refused(value, problem):
    date, message, hint = parse_date(value)
    assert date is None and message == problem and hint


@pytest.mark.parametrize("a,b", [
    ("I don't", "I don\u2019t"),
    ('"quoted"', "\u201cquoted\u201d"),
    ("wait...", "wait\u2026"),
    ("her .... this", "her \u2026 this"),
    ("a  b\n c", "a b c"),
    ("12.5\u00a0million", "12.5 million"),
    ("cafe\u0301", "caf\u00e9"),
    ("2--3", "2\u20133"),
    ("a---b", "a\u2014b"),
    ("co\u00adop", "coop"),
])
def test_what_authors_cannot_see_is_folded(a, b):
    assert fold_query(a) == fold_query(b)


@pytest.mark.parametrize("a,b", [("Not", "not"), ("a-b", "a\u2013b"), ("one", "one.")])
def test_words_case_and_real_differences_are_not_folded(a, b):
    assert fold_query(a) != fold_query(b)


def test_folded_characters_map_back_to_the_original():
    text = "say \u201cwait\u2026\u201d  now"
    folded = fold(text)
    start = folded.text.index("wait...")
    begin, end = folded.span(start, start + len("wait..."))
    assert text[begin:end] == "wait\u2026"


def reference_fold(text: str) -> str:
    """The folding rules written the slow, obvious way, one character at a time."""
    import unicodedata

    from annostory.core.textfold import _CHAR_FOLDS
    out = ""
    for ch in unicodedata.normalize("NFC", text):
        if ch.isspace():
            out += "" if out.endswith(" ") else " "
            continue
        for piece in _CHAR_FOLDS.get(ch, ch):
            if piece == "." and out.endswith("..."):
                continue
            out += piece
    return out


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

TRICKY = st.text(alphabet=st.sampled_from(list(
    "ab .\n\t\u00a0\u2026\u2018\u2019\u201c\u201d\u2013\u2014\u00ad\u200be\u0301\"'")), max_size=40)


@settings(max_examples=400, deadline=None)
@given(TRICKY)
def test_fast_folding_equals_the_obvious_definition(text):
    folded = fold(text)
    assert folded.text == reference_fold(text)
    assert len(folded.starts) == len(folded.ends) == len(folded.text)
    assert list(folded.starts) == sorted(folded.starts)
    assert list(folded.ends) == sorted(folded.ends)
    assert all(a < b <= len(text) for a, b in zip(folded.starts, folded.ends))
