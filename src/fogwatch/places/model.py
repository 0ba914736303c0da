"""The Place record: one toponym mention and how it was resolved."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Feature = Literal["town", "admin1", "admin2", "country", "region", "unresolved"]
FEATURES: tuple[str, ...] = ("town", "admin1", "admin2", "country", "region", "unresolved")
# What the mention stands for (issue 12): only a toponym can locate an event.
ROLES: tuple[str, ...] = ("toponym", "demonym", "metonym", "organisation")


@dataclass(frozen=True, slots=True)
class Place:
    """A place mention at ``doc.text[start:end]`` and the gazetteer entry it resolved to.

    ``precision`` is the ACLED geo_precision the mention supports: 1 the named
    town itself, 2 near a town or a part of a region, 3 only a province or
    region is known (its representative point stands in). An ``unresolved``
    place was found by a strong locative pattern but is not in the gazetteer;
    it keeps the admin area the text gives, when any.

    ``role`` says what the mention stands for: ``toponym`` (the place itself),
    ``demonym`` ("Russian", resolved to its country), ``metonym`` ("Moscow denied":
    the government) or ``organisation`` ("EU": the place it stands for). Only a
    toponym locates an event (:attr:`locates`).
    """

    start: int
    end: int
    text: str
    name: str | None
    geonameid: int | None
    latitude: float | None
    longitude: float | None
    country_code: str | None
    admin1: str | None
    admin2: str | None
    score: float
    feature: str
    precision: int
    reason: str
    role: str = "toponym"
    admin3: str | None = None  # Syria: the sub-district (OpenSyria), where the point or the text gives it

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid place span [{self.start}, {self.end})")
        if self.feature not in FEATURES:
            raise ValueError(f"unknown place feature {self.feature!r}")
        if self.precision not in (1, 2, 3):
            raise ValueError(f"geo precision must be 1, 2 or 3, not {self.precision}")
        if self.role not in ROLES:
            raise ValueError(f"unknown place role {self.role!r}")

    @property
    def resolved(self) -> bool:
        return self.feature != "unresolved"

    @property
    def locates(self) -> bool:
        """Whether this mention may be an event's location: the place itself, not a people, government or body."""
        return self.role == "toponym"

    def to_contract(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "name": self.name,
            "geonameid": self.geonameid,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "country_code": self.country_code,
            "admin1": self.admin1,
            "admin2": self.admin2,
            "score": self.score,
            "feature": self.feature,
            "precision": self.precision,
            "reason": self.reason,
            "role": self.role,
            "admin3": self.admin3,
        }
