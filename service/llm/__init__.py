"""LLM path: one client interface over any OpenAI-compatible endpoint and the backends built on it.

Names are imported lazily so the offline path (which only needs `usage`) does not load openai and LangChain.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

    from service.analysis import ClaimExtractor, StanceJudge
    from service.llm.cache import ReplyCache
    from service.llm.backend import LLMClaimExtractor, LLMStanceJudge
    from service.settings import Settings

_LAZY = {
    "FALLBACK_BACKEND": "service.llm.backend", "LLM_BACKEND": "service.llm.backend",
    "LLMClaimExtractor": "service.llm.backend", "LLMStanceJudge": "service.llm.backend",
    "LLM": "service.llm.client", "Completion": "service.llm.client", "OpenAICompatibleLLM": "service.llm.client",
    "LLMError": "service.llm.errors", "LLMOutputError": "service.llm.errors", "LLMUnavailableError": "service.llm.errors",
    "LLMMetrics": "service.llm.usage", "track_usage": "service.llm.usage",
}
__all__ = [*_LAZY, "build_llm_backends"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'service.llm' has no attribute {name!r}")


def build_llm_backends(
    settings: Settings,
    offline_extractor: ClaimExtractor,
    offline_judge: StanceJudge,
    registry: CollectorRegistry | None = None,
    cache: ReplyCache | None = None,
) -> tuple[LLMClaimExtractor, LLMStanceJudge] | None:
    """The LLM extractor and judge the settings describe, or None when no endpoint is configured."""
    if not settings.llm_base_url:
        return None
    from service.llm.backend import LLMClaimExtractor, LLMStanceJudge
    from service.llm.client import OpenAICompatibleLLM
    from service.llm.usage import LLMMetrics

    metrics = LLMMetrics(registry)
    client = OpenAICompatibleLLM.from_settings(settings, metrics, cache)
    return (
        LLMClaimExtractor(client, offline_extractor, chunk_chars=settings.llm_chunk_chars, metrics=metrics),
        LLMStanceJudge(client, offline_judge, metrics=metrics),
    )
