"""Calendar arithmetic for the regulatory windows and age groups."""

from datetime import date

from dateutil.relativedelta import relativedelta


def add_months(start: date, months: int) -> date:
    """Calendar months, clipped to the month's last day: 2024-02-29 + 12 months = 2025-02-28.

    The texts say "12 mois" (PSG-03, PSG-06); a calendar month, not 30 days, matches how a
    coordinator reads a deadline.
    """
    end: date = start + relativedelta(months=months)
    return end


def age_in_years(birth_date: date, on: date) -> int:
    """Completed years on ``on``; someone born on 29 February ages on 1 March in other years."""
    if on < birth_date:
        raise ValueError("the day is before the birth date")
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - int(before_birthday)
