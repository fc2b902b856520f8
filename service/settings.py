"""One settings object: the only reader of the environment (FACTCHECK_* variables and an optional .env)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

KeyScope = Literal["read", "write"]


@dataclass(frozen=True)
class ApiKey:
    """One configured API key and what it may do (write implies read)."""

    secret: str
    scope: KeyScope


def parse_api_keys(raw: str) -> list[ApiKey]:
    """Parse `key[:scope],...` (a bare key has write scope); raises ValueError on an unknown scope or an empty key."""
    keys: list[ApiKey] = []
    for item in raw.split(","):
        item = item.strip()
        if not item:
            continue
        secret, sep, scope = item.rpartition(":")
        if not sep:
            secret, scope = item, "write"
        scope, secret = scope.strip().lower(), secret.strip()
        if scope not in ("read", "write"):
            raise ValueError(f"FACTCHECK_API_KEYS: unknown scope {scope!r} (use key:read or key:write)")
        if not secret:
            raise ValueError("FACTCHECK_API_KEYS: empty key")
        keys.append(ApiKey(secret, scope))  # type: ignore[arg-type]
    return keys


class Settings(BaseSettings):
    """Service configuration; every field can be set as FACTCHECK_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="FACTCHECK_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("./data"), description="Folder holding the SQLite record store and Chroma's files.")
    chroma_url: str | None = Field(None, description="Use a Chroma server (http://host:port) instead of the embedded one.")
    collection: str = Field("claims", description="Chroma collection name for claim embeddings.")
    database_url: SecretStr | None = Field(
        None, description="Record store URL: postgresql://user:password@host:port/db puts it in Postgres, so that"
                          " several API hosts share one corpus; unset means the SQLite file under data_dir.",
    )
    database_pool_size: int = Field(
        8, ge=1, le=200, description="Postgres connections each process keeps open (as many again may open under"
                                     " load); budget processes x 2 x this below the server's max_connections.",
    )
    database_wait_s: float = Field(
        30.0, ge=0, description="How long a starting process waits for the record store to accept connections.",
    )

    max_text_bytes: int = Field(2_000_000, ge=1, description="Largest accepted document text, in UTF-8 bytes (413 above).")
    max_claims_per_document: int = Field(5_000, ge=1, description="Claims extracted beyond this are dropped and reported.")
    max_sentences: int = Field(10_000, ge=1, description="Sentences of a document analysed; the rest of the text is stored"
                                                         " but not analysed (logged).")
    max_sentence_chars: int = Field(20_000, ge=100, description="Longest run without a sentence end (413 text_too_complex"
                                                                " above): one endless sentence, a text with no punctuation.")

    candidates_per_claim: int = Field(12, ge=1, le=100, description="Evidence candidates considered per claim.")
    embedding_batch_size: int = Field(32, ge=1, description="Texts per embedding call.")

    llm_base_url: str | None = Field(None, description="OpenAI-compatible endpoint; unset means the offline analyser.")
    llm_api_key: SecretStr = Field(SecretStr("not-needed"), description="API key for the LLM endpoint.")
    llm_model: str = Field("gpt-4o-mini", description="Model name sent to the LLM endpoint.")
    llm_timeout_s: float = Field(30.0, gt=0, description="Timeout of one LLM request, in seconds.")
    llm_attempts: int = Field(4, ge=1, le=10, description="Attempts per LLM request (retries on 429, 5xx, timeouts).")
    llm_structured_output: Literal["function_calling", "json_object", "json_schema"] = Field(
        "function_calling",
        description=(
            "How structured output is requested: function_calling (OpenAI, vLLM, Ollama, llama.cpp), json_object "
            "(response_format json_object with a schema: llama-cpp-python), json_schema (OpenAI, vLLM, native llama.cpp)."
        ),
    )
    llm_max_tokens: int = Field(2048, ge=16, description="Completion token limit, sent as max_tokens and max_completion_tokens.")
    llm_backoff_s: float = Field(1.0, gt=0, description="First retry wait, in seconds; doubles per attempt, with jitter.")
    llm_max_wait_s: float = Field(60.0, gt=0, description="Longest single wait between attempts, Retry-After included.")
    llm_chunk_chars: int = Field(6000, ge=500, description="Largest article chunk sent in one extraction call, in characters.")
    llm_cache: bool = Field(True, description="Cache LLM replies by (model, prompt name@version, input hash) in the record store.")
    llm_recheck_interval_s: float = Field(
        300.0, gt=0, description="How often the server re-checks claims the offline fallback judged during an LLM outage."
    )

    api_keys: str = Field("", description="Comma-separated `key:read` / `key:write` (bare key = write); empty means"
                                          " no auth and localhost only. See service/http/auth.py.")
    host: str = Field("127.0.0.1", description="Interface the API binds to.")
    port: int = Field(8000, ge=1, le=65535, description="Port the API binds to.")
    log_level: str = Field("INFO", description="Python logging level.")

    chroma_timeout_s: float = Field(30.0, gt=0, description="Timeout of one request to a Chroma server, in seconds.")
    max_body_bytes: int | None = Field(
        None, ge=1, description="Largest request body (413 above); default 6 x max_text_bytes + 64 KiB, room for JSON escapes."
    )
    rate_limit_per_minute: float = Field(600.0, ge=0, description="Sustained requests per minute per API key (or per client address); 0 turns it off.")
    rate_limit_burst: int = Field(120, ge=1, description="Requests a caller may make at once before the per-minute rate applies.")
    rate_limit_storage: str | None = Field(
        None, description="Where rate-limit counters live (the `limits` library's URI): default a SQLite file in the data"
                          " folder, shared by every worker of the host; memory:// per process; redis://host:6379 across"
                          " hosts (install the redis package).")
    max_inflight: int = Field(32, ge=1, description="API requests handled at once; more wait in a bounded queue.")
    max_waiting: int = Field(256, ge=0, description="API requests waiting for a slot; beyond this they get 503 with Retry-After.")
    max_heavy_inflight: int = Field(2, ge=1, description="Texts (POST /v1/documents, /v1/check) analysed at once per process.")
    max_heavy_waiting: int = Field(32, ge=0, description="Texts waiting to be analysed; beyond this they get 503 with Retry-After.")

    @field_validator("api_keys")
    @classmethod
    def _valid_keys(cls, value: str) -> str:
        parse_api_keys(value)  # a malformed FACTCHECK_API_KEYS fails at start-up, not at the first request
        return value

    @cached_property
    def keys(self) -> list[ApiKey]:
        """The configured API keys, parsed."""
        return parse_api_keys(self.api_keys)

    @field_validator("data_dir")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @property
    def body_limit_bytes(self) -> int:
        return self.max_body_bytes or 6 * self.max_text_bytes + 65_536

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        scheme = value.get_secret_value().split("://", 1)[0].lower()
        if scheme.split("+")[0] not in ("postgresql", "postgres", "sqlite"):
            raise ValueError(f"FACTCHECK_DATABASE_URL: unsupported scheme {scheme!r}"
                             " (use postgresql://user@host:port/db or sqlite:///path)")
        return value

    @property
    def record_store_url(self) -> str | None:
        """The record store's URL when one is configured (None: the SQLite file under data_dir)."""
        return self.database_url.get_secret_value() if self.database_url else None

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "factcheck.sqlite3"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"
