"""The English date recogniser shared by `edition new` and `edition lint`: each usual form, its ISO value."""

from __future__ import annotations

import pytest

from edition.encode.dates import find_dates, normalise


@pytest.mark.parametrize(
    "text, expected",
    [
        ("25th June 2000", {"when": "2000-06-25"}),
        ("5 May 2011", {"when": "2011-05-05"}),
        ("the 1st of March, 1999", {"when": "1999-03-01"}),
        ("Monday, 5 May 2011", {"when": "2011-05-05"}),
        ("August 31, 2023", {"when": "2023-08-31"}),
        ("January 5, 2011", {"when": "2011-01-05"}),
        ("Sept. 9, 2023", {"when": "2023-09-09"}),
        ("13-15 May 2011", {"from": "2011-05-13", "to": "2011-05-15"}),
        ("23–26 June 2000", {"from": "2000-06-23", "to": "2000-06-26"}),
        ("May 13-15, 2011", {"from": "2011-05-13", "to": "2011-05-15"}),
        ("23 June - 26 June 2000", {"from": "2000-06-23", "to": "2000-06-26"}),
        ("April 2, 2025 - April 6, 2025", {"from": "2025-04-02", "to": "2025-04-06"}),
        ("5 May 2011 to 8 May 2011", {"from": "2011-05-05", "to": "2011-05-08"}),
        ("November of the year 2010", {"when": "2010-11"}),
        ("March 2011", {"when": "2011-03"}),
        ("June, 2000", {"when": "2000-06"}),
        ("March-April 2011", {"from": "2011-03", "to": "2011-04"}),
        ("6/25/00", {"when": "2000-06-25"}),
        ("6/25/00, 10:00 PM", {"when": "2000-06-25T22:00:00"}),
        ("12/31/1999 9:30 am", {"when": "1999-12-31T09:30:00"}),
        ("2023-08-31", {"when": "2023-08-31"}),
        ("1950-1953", {"from": "1950", "to": "1953"}),
    ],
)
def test_each_english_form_has_its_iso_value(text, expected):
    found = normalise(text)
    assert found is not None, f"{text!r} not recognised"
    assert {k: v for k, v in found.attributes().items() if k != "cert"} == expected


@pytest.mark.parametrize(
    "text, surface, expected",
    [
        ("after the cease-fire of 1953.", "1953", {"when": "1953"}),
        ("the “June 15 Joint Declaration” of 2000 and", "2000", {"when": "2000"}),
        ("events that occurred in the year 2010", "2010", {"when": "2010"}),
        ("Athens 25th June 2000", "25th June 2000", {"when": "2000-06-25"}),
        ("(Draft, 5 May 2011)", "5 May 2011", {"when": "2011-05-05"}),
        ("the January 5, 2011, appeal", "January 5, 2011", {"when": "2011-01-05"}),
        (
            "participating at the seminar of 13-15 May 2011, condemn",
            "13-15 May 2011",
            {"from": "2011-05-13", "to": "2011-05-15"},
        ),
    ],
)
def test_dates_in_running_text(text, surface, expected):
    found = find_dates(text)
    assert [d.text for d in found] == [surface]
    assert {k: v for k, v in found[0].attributes().items() if k != "cert"} == expected


def test_bare_year_only_in_a_date_context():
    assert find_dates("60 parties from 47 countries, 12,800 US soldiers, 1953 delegates") == []
    assert [d.when for d in find_dates("since 1953")] == ["1953"]


@pytest.mark.parametrize(
    "text",
    [
        "a timeframe of 10 minutes per party",
        "the 20th Brussels International Communist Seminar",
        "the “June 15 Joint Declaration”",
        "the “October 4 Joint Declaration”",
        "we may meet",
        "the aircraft carrier USS Ronald Reagan CVN-76",
        "the XII Congress and the 24th Congress",
        "page 2023-13-45 is no date",
    ],
)
def test_not_dates(text):
    assert find_dates(text, context_year=2011) == []


def test_year_supplied_from_context_is_marked_low_certainty():
    (d,) = find_dates("the meeting scheduled for September 9, saw", context_year=2023)
    assert (d.text, d.when, d.cert) == ("September 9", "2023-09-09", "low")
    (d,) = find_dates("“Key Resolve” in March 2011 and “Foal Eagle” in April, in which", context_year=1999)[1:]
    assert (d.text, d.when, d.cert) == ("April", "2011-04", "low")  # the year of the text before wins


def test_without_a_year_a_date_is_found_but_has_no_value():
    (d,) = find_dates("scheduled for September 9, saw")
    assert d.text == "September 9" and d.when is None


def test_ambiguous_numeric_date_is_low_certainty():
    (d,) = find_dates("on 5/6/11")
    assert (d.when, d.cert) == ("2011-05-06", "low")
