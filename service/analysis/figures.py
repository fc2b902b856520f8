"""Comparing two figures: do they agree, conflict, or merely fit together, given their rounding and qualifiers?

A figure is read as an interval: its written precision ("14" is 13.5-14.5, "14.3" is 14.25-14.35, a round "100"
is capped at ±10%), widened to ±10% by "about", and open on one side for "up to", "at most", "at least", "more
than", "less than". Dates compare by day, month or year as written.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Literal

from service.models import Quantity

Relation = Literal["agree", "conflict", "compatible", "unrelated"]


@dataclass(frozen=True)
class Comparison:
    """How two figures for what may be the same quantity relate, and the words that say so."""

    relation: Relation
    rationale: str


_BOUNDS = {"up_to": "upper", "less_than": "upper", "at_least": "lower", "more_than": "lower"}


def _interval(q: Quantity) -> tuple[float, float]:
    p = q.precision
    if q.qualifier == "about":
        p = max(p, abs(q.value) * 0.1)
    return q.value - p, q.value + p


def describe(q: Quantity) -> str:
    """A figure in words an editor reads: '14.3 billion USD', '50%', 'up to 1 billion USD'."""
    if q.unit == "date":
        day = dt.date.fromordinal(int(q.value))
        text = day.isoformat() if q.precision == 0 else (day.strftime("%Y-%m") if q.precision <= 16 else str(day.year))
    elif q.unit == "month":
        text = dt.date(2000, int(q.value), 1).strftime("%B")
    elif q.unit == "year":
        text = str(int(q.value))
    else:
        v = q.value
        for factor, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            if abs(v) >= factor:
                text = f"{_fmt(v / factor)} {word}"
                break
        else:
            text = _fmt(v)
        text = f"{text}%" if q.unit == "%" else (text if q.unit == "count" else f"{text} {q.unit}")
    prefix = {"up_to": "up to ", "at_least": "at least ", "more_than": "more than ", "less_than": "less than ",
              "about": "about "}.get(q.qualifier, "")
    return prefix + text


def _fmt(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".") if not float(v).is_integer() else str(int(v))


def comparable(a: Quantity, b: Quantity) -> bool:
    """Same dimension: both money in one currency, both percentages, both dates, both counts."""
    units = {a.unit, b.unit}
    if units <= {"date", "year"}:
        return True
    return a.unit == b.unit


def _as_date_interval(q: Quantity) -> tuple[float, float]:
    if q.unit == "year":
        first = dt.date(int(q.value), 1, 1).toordinal()
        return first, dt.date(int(q.value), 12, 31).toordinal()
    return q.value - q.precision, q.value + q.precision


def compare(claim: Quantity, evidence: Quantity) -> Comparison:
    """Does the evidence figure agree with, conflict with, or merely fit the claim's figure?"""
    if not comparable(claim, evidence):
        return Comparison("unrelated", "")
    said = f"{describe(claim)} vs {describe(evidence)}"
    if {claim.unit, evidence.unit} <= {"date", "year"}:
        (a0, a1), (b0, b1) = _as_date_interval(claim), _as_date_interval(evidence)
        if a1 < b0 or b1 < a0:
            return Comparison("conflict", f"dates differ: {said}")
        return Comparison("agree", f"dates agree: {said}")
    kind_c, kind_e = _BOUNDS.get(claim.qualifier), _BOUNDS.get(evidence.qualifier)
    (c0, c1), (e0, e1) = _interval(claim), _interval(evidence)
    tol = 1e-9 * max(abs(claim.value), abs(evidence.value), 1.0)
    if kind_c == kind_e:
        # Both point figures, or both the same kind of bound (a maximum against a maximum): compare the numbers.
        if c1 + tol < e0 or e1 + tol < c0:
            return Comparison("conflict", f"figures differ: {said}")
        exact = math.isclose(claim.value, evidence.value, rel_tol=1e-9)
        return Comparison("agree", f"figures agree{'' if exact else ' within rounding'}: {said}")
    point, bound = (evidence, claim) if kind_c else (claim, evidence)
    if kind_c and kind_e:
        # An upper bound against a lower bound: they conflict only when the ranges cannot meet.
        upper, lower = (claim, evidence) if kind_c == "upper" else (evidence, claim)
        if upper.value + upper.precision < lower.value - lower.precision:
            return Comparison("conflict", f"ranges cannot meet: {said}")
        return Comparison("compatible", f"ranges overlap: {said}")
    p0, p1 = _interval(point)
    if _BOUNDS[bound.qualifier] == "upper":
        if p0 > bound.value + bound.precision + tol:
            return Comparison("conflict", f"{describe(point)} exceeds {describe(bound)}")
        if p1 >= bound.value * 0.8:
            return Comparison("agree", f"figures agree: {said}")
        return Comparison("compatible", f"{describe(point)} is within {describe(bound)}")
    if p1 < bound.value - bound.precision - tol or (bound.qualifier == "more_than" and p1 <= bound.value):
        return Comparison("conflict", f"{describe(point)} is below {describe(bound)}")
    if p0 <= bound.value * 1.25:
        return Comparison("agree", f"figures agree: {said}")
    return Comparison("compatible", f"{describe(point)} satisfies {describe(bound)}")
