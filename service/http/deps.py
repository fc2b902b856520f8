"""Typed dependencies: the only place that reads `app.state`; the lifespan fills it once at start-up."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from service.checker import FactChecker
from service.http.editorial import Editorial
from service.http.metrics import Metrics


def get_checker(request: Request) -> FactChecker:
    return request.app.state.checker


def get_editorial(request: Request) -> Editorial:
    return request.app.state.editorial


def get_metrics(request: Request) -> Metrics:
    return request.app.state.metrics


Checker = Annotated[FactChecker, Depends(get_checker)]
EditorialDep = Annotated[Editorial, Depends(get_editorial)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
