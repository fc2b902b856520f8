"""The fact-checking pipeline as stages, each with one job; `service.checker.FactChecker` strings them together.

prepare (text -> claims with vectors) -> ingest (store under the write lock, crash-safe) -> verify (candidates,
stance, verdict) -> recompute (claims a change touches) -> reports (what readers see). Source groups and verdict
rules are the two policies the stages share.
"""
