"""ACLED's exports in ../shared/train/acled write event_date four ways; the evaluation scripts read them all (as the note's publication date)."""

from __future__ import annotations

import pytest

from fogwatch.events.evaluation import acled_date


@pytest.mark.parametrize(
    "raw, iso",
    [("2025-04-01", "2025-04-01"), ("31-12-19", "2019-12-31"), ("5-Aug-24", "2024-08-05"), ("01-January-2015", "2015-01-01"),
     (" 1 January 2015 ", "2015-01-01"), ("", None), (None, None), ("yesterday", None), ("31-02-19", None)],
)
def test_acled_dates(raw, iso):
    assert acled_date(raw) == iso
