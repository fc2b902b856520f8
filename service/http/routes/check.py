"""/v1/check: text checked against the corpus, nothing stored."""

from __future__ import annotations

from service.http.deps import Checker
from service.http.routes import BODY, LLM, api_router, errors
from service.models import CheckIn, Report

router = api_router(tags=["check"])


@router.post("/v1/check", response_model=Report, responses=errors(*BODY, *LLM))
def check(body: CheckIn, checker: Checker) -> Report:
    """Check text against the corpus without storing it."""
    return checker.check(body)
