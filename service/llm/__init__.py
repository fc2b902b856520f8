"""LLM path: one client interface over any OpenAI-compatible endpoint and the backends built on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from service.llm.backend import FALLBACK_BACKEND, LLM_BACKEND, LLMClaimExtractor, LLMStanceJudge
from service.llm.client import LLM, Completion, OpenAICompatibleLLM
from service.llm.errors import LLMError, LLMOutputError, LLMUnavailableError
from service.llm.usage import LLMMetrics, LLMUsage, track_usage

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

    from service.analysis import ClaimExtractor, StanceJudge
    from service.settings import Settings

__all__ = [
    "FALLBACK_BACKEND", "LLM", "LLM_BACKEND", "Completion", "LLMClaimExtractor", "LLMError", "LLMMetrics",
    "LLMOutputError", "LLMStanceJudge", "LLMUnavailableError", "LLMUsage", "OpenAICompatibleLLM",
    "build_llm_backends", "track_usage",
]


def build_llm_backends(
    settings: Settings,
    offline_extractor: ClaimExtractor,
    offline_judge: StanceJudge,
    registry: CollectorRegistry | None = None,
) -> tuple[LLMClaimExtractor, LLMStanceJudge] | None:
    """The LLM extractor and judge the settings describe, or None when no endpoint is configured."""
    if not settings.llm_base_url:
        return None
    metrics = LLMMetrics(registry)
    client = OpenAICompatibleLLM.from_settings(settings, metrics)
    return (
        LLMClaimExtractor(client, offline_extractor, chunk_chars=settings.llm_chunk_chars, metrics=metrics),
        LLMStanceJudge(client, offline_judge, metrics=metrics),
    )
