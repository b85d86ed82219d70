"""When a directory entry needs checking again (issue 5 §4): pure, no database."""

from datetime import date

from dateutil.relativedelta import relativedelta


def stale_before(today: date, *, months: int) -> date:
    """Entries last verified before this day are stale (calendar months, like the PSGAC windows)."""
    return today - relativedelta(months=months)


def is_stale(last_verified_at: date | None, today: date, *, months: int) -> bool:
    """Never verified counts as stale: nobody has vouched for the entry."""
    return last_verified_at is None or last_verified_at < stale_before(today, months=months)
