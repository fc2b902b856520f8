"""The labelled sets: each `run_<set>` takes an EvalContext and returns a SetOutcome.

Corpora are fresh per set (a temporary data directory), so no set sees another's documents. Item failures are
recorded on the row (`error`) and counted as wrong, so one bad item never hides the rest of a run.
"""

from __future__ import annotations

from evals.sets.common import (
    ANCHORS,
    TARGETS,
    EvalContext,
    SetOutcome,
    open_eval_checker,
    subsample,
)
from evals.sets.extraction import (
    run_extraction_en, run_extraction_fr, run_extraction_vi, run_factcheck_bench, run_propsegment_props,
)
from evals.sets.retrieval import run_xnli_retrieval
from evals.sets.stance import run_fever_symmetric, run_vitaminc, run_xnli_stance
from evals.sets.verdicts import (
    run_averitec,
    run_climate_fever,
    run_news,
    run_propsegment_xdoc,
    run_seeds,
)
from evals.sets.xdoc import run_xdoc

SETS = {
    "climate_fever": run_climate_fever,
    "averitec": run_averitec,
    "xnli_retrieval": run_xnli_retrieval,
    "xnli_stance": run_xnli_stance,
    "vitaminc": run_vitaminc,
    "fever_symmetric": run_fever_symmetric,
    "factcheck_bench": run_factcheck_bench,
    "propsegment_props": run_propsegment_props,
    "extraction_en": run_extraction_en,
    "extraction_fr": run_extraction_fr,
    "extraction_vi": run_extraction_vi,
    "propsegment_xdoc": run_propsegment_xdoc,
    "seeds": run_seeds,
    "news": run_news,
    "xdoc": run_xdoc,
}
BACKEND_INDEPENDENT = {"xnli_retrieval"}  # runs once, whatever the backends

__all__ = ["ANCHORS", "BACKEND_INDEPENDENT", "SETS", "TARGETS", "EvalContext", "SetOutcome", "open_eval_checker",
           "subsample"]
