"""Business days: not a Saturday, a Sunday, or a public holiday of the country the
configuration names (`holidays = "GB"`), as the `holidays` package knows them."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when a country is set: it takes longer than the rest of a command
    import holidays


@lru_cache(maxsize=16)
def _public_holidays(code: str) -> holidays.HolidayBase | None:
    if not code:
        return None
    import holidays

    country, _, subdivision = code.partition("-")
    return holidays.country_holidays(country, subdiv=subdivision or None)


def holiday_code_problem(code: str) -> str:
    """'' when `code` names a country (and subdivision) the holidays package knows, else why not."""
    import holidays

    country, _, subdivision = code.partition("-")
    supported = holidays.list_supported_countries()
    if country not in supported:
        close = difflib.get_close_matches(country, [c for c in supported if len(c) == 2], n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return f"unknown country '{country}'; {hint}use a two-letter code such as \"GB\" or \"US-CA\""
    if subdivision and subdivision not in supported[country]:
        close = difflib.get_close_matches(subdivision.upper(), supported[country], n=1)
        hint = f"did you mean '{country}-{close[0]}'? " if close else ""
        return f"'{country}' has no subdivision '{subdivision}'; {hint}or give the country alone, \"{country}\""
    return ""


@dataclass(frozen=True, slots=True)
class BusinessDays:
    """Working days: not a Saturday, a Sunday, or a public holiday of `holidays` ("GB", "US-CA")."""

    holidays: str = ""

    def is_business_day(self, day: date) -> bool:
        if day.weekday() >= 5:
            return False
        found = _public_holidays(self.holidays)
        return found is None or day not in found

    def on_or_after(self, day: date) -> date:
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return day

    def on_or_before(self, day: date) -> date:
        while not self.is_business_day(day):
            day -= timedelta(days=1)
        return day
