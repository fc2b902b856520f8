"""The fact-checking service: pipeline stages, persistence, the HTTP edge, the analyser and its language packs."""
