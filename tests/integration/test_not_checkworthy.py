"""A claim of an article that is not check-worthy gets no verdict of its own and is never evidence for another claim;
a claim a user asks to check is judged as given."""

from service.models import DocumentIn
from tests.support import find_claim, open_checker

FACT = ("Meta invested 14.3 billion dollars in Scale AI in June, the company said on Monday. "
        "Scale AI's chief executive Alexandr Wang joined Meta to lead its new superintelligence lab.")
FORECAST = ("Analysts predict that Meta will probably invest 14.3 billion dollars in Scale AI next year. "
            "Alexandr Wang joined Meta from Scale AI, where he was chief executive.")


def test_a_forecast_stays_unverified_and_is_no_evidence(tmp_path, embedder):
    fc = open_checker(tmp_path, embedder)
    try:
        (fact, _), (forecast, _) = fc.ingest_many([DocumentIn(text=FACT, source="wire"),
                                                   DocumentIn(text=FORECAST, source="analysts")])
        predicted = find_claim(fc.document_report(forecast.id), "14.3 billion")
        assert predicted is not None and not predicted.checkworthy
        assert predicted.verdict == "unverified" and predicted.evidence == []
        stated = find_claim(fc.document_report(fact.id), "14.3 billion")
        assert stated.checkworthy
        assert all(e.claim_id != predicted.id for e in stated.evidence)
        # the factual sentence the two share still corroborates (the other document is not ignored)
        joined = find_claim(fc.document_report(forecast.id), "Wang joined Meta")
        assert joined.checkworthy and any(e.document_id == fact.id for e in joined.evidence)
        # what a user asks to check is judged as given, whatever the extractor thinks of its check-worthiness
        asked = fc.check_claim("Meta will probably invest 14.3 billion dollars in Scale AI")
        assert not asked.checkworthy and any(e.document_id == fact.id for e in asked.evidence)
    finally:
        fc.close()
