"""The offline stance judge: rules first, the model only where they leave a pair open, within the policy's bars."""

from __future__ import annotations

import numpy as np

from service.analysis import Candidate
from service.analysis.stance import OfflineStanceJudge, StancePolicy


def _claim(text: str, doc: str):
    from service.analysis.claims import single_claim
    from service.models import Claim

    draft = single_claim(text)
    return Claim(**draft.model_dump(), id=f"{doc}:0", document_id=doc, index=0)


class _Model:
    """A stand-in for the cross-encoder that gives every pair the same probabilities, and counts the pairs it read."""

    thresholds = {"supports": 0.5, "refutes": 0.45}

    def __init__(self, proba: list[float]) -> None:
        self.proba = proba
        self.read = 0

    def predict_proba(self, claims, evidences):
        self.read += len(claims)
        return np.tile(self.proba, (len(claims), 1))


def test_a_given_pair_is_judged_where_a_search_result_would_be_set_aside() -> None:
    """The similarity bars sort search results; judge_pair's caller already says the two are about one thing."""
    judge = OfflineStanceJudge()
    claim = _claim("The startup raised $5 million in its first round.", "a")
    other = _claim("The startup raised $9 million in its first round.", "b")
    (searched,) = judge.judge(claim, [Candidate(claim=other, similarity=0.5)])
    (given,) = judge.judge(claim, [Candidate(claim=other, similarity=0.5, given=True)])
    assert searched.stance == "neutral"
    assert given.stance == "refutes" and "5" in given.rationale and "9" in given.rationale


def test_the_model_may_back_an_opinion_but_not_contradict_it() -> None:
    judge = OfflineStanceJudge(model=_Model([0.05, 0.9, 0.05]))
    opinion = _claim("Global warming will probably be a good thing for farmers.", "a")
    fact = _claim("Global warming is good for farmers.", "a")
    other = _claim("Global warming harms crop yields for farmers.", "b")
    (on_opinion,) = judge.judge(opinion, [Candidate(claim=other, similarity=0.9)])
    (on_fact,) = judge.judge(fact, [Candidate(claim=other, similarity=0.9)])
    (given,) = judge.judge(opinion, [Candidate(claim=other, similarity=0.9, given=True)])
    assert on_opinion.stance == "neutral"
    assert on_fact.stance == "refutes" and given.stance == "refutes"
    assert on_fact.basis == "model" and "model 0.90" in on_fact.rationale


def test_the_model_reads_only_the_most_similar_open_candidates() -> None:
    model = _Model([0.9, 0.05, 0.05])
    judge = OfflineStanceJudge(model=model, policy=StancePolicy(max_model_pairs=2))
    claim = _claim("Global warming is good for farmers.", "a")
    others = [Candidate(claim=_claim(f"Global warming is good for farmers in region {i}.", f"b{i}"),
                        similarity=0.95 - i / 100) for i in range(5)]
    results = judge.judge(claim, others)
    assert model.read == 2
    assert [r.stance for r in results] == ["supports", "supports", "neutral", "neutral", "neutral"]
    assert "not read by the model" in results[-1].rationale


def test_a_documents_claims_are_read_in_one_call_with_the_same_results_as_one_by_one() -> None:
    class Counting(_Model):
        calls = 0

        def predict_proba(self, claims, evidences):
            self.calls += 1
            self.read += len(claims)
            return np.array([[0.9, 0.05, 0.05] if "farmers" in c else [0.05, 0.9, 0.05] for c in claims])

    model = Counting([0.0, 0.0, 1.0])
    judge = OfflineStanceJudge(model=model, policy=StancePolicy(max_model_pairs=2))
    items = [(_claim(f"Global warming is good for {who}.", "a"),
              [Candidate(claim=_claim(f"Global warming is good for {who} in region {i}.", f"b{i}"), similarity=0.95 - i / 100)
               for i in range(3)])
             for who in ("farmers", "fishermen")]
    together = judge.judge_many(items)
    assert model.calls == 1 and model.read == 4  # two claims, the two most similar candidates of each
    one_by_one = [judge.judge(claim, candidates) for claim, candidates in items]
    assert [[(r.stance, r.rationale) for r in rs] for rs in together] == \
        [[(r.stance, r.rationale) for r in rs] for rs in one_by_one]
    assert [r.stance for r in together[0]] == ["supports", "supports", "neutral"]
    assert [r.stance for r in together[1]] == ["refutes", "refutes", "neutral"]


def test_the_rules_keep_precedence_over_the_model() -> None:
    judge = OfflineStanceJudge(model=_Model([0.9, 0.05, 0.05]))  # a model that would call it support
    claim = _claim("The startup raised $5 million in its first round.", "a")
    other = _claim("The startup raised $9 million in its first round.", "b")
    (result,) = judge.judge(claim, [Candidate(claim=other, similarity=0.97)])
    assert result.stance == "refutes" and result.basis == "rule"


def test_figures_pair_off_one_to_one() -> None:
    """Their price, repeated by the claim, does not also conflict with the claim's other sum (a valuation)."""
    judge = OfflineStanceJudge()
    claim = _claim("Morvan agreed to buy a 65% stake in Dong Xanh for €1.2 billion, a deal that values the whole "
                   "company at roughly €1.85 billion.", "a")
    same_price = _claim("Morvan is buying 65% of Dong Xanh for €1.2 billion.", "b")
    other_price = _claim("Morvan is buying 65% of Dong Xanh for €1.5 billion.", "c")
    (repeated,) = judge.judge(claim, [Candidate(claim=same_price, similarity=0.9, given=True)])
    (differs,) = judge.judge(claim, [Candidate(claim=other_price, similarity=0.9, given=True)])
    assert repeated.stance == "supports", repeated.rationale
    assert differs.stance == "refutes" and "1.5" in differs.rationale
    # Repeated in other words (a French headline that says "treats itself to" for "buys"), the price is still theirs.
    headline = _claim("Le laitier breton Morvan s'offre le vietnamien Dong Xanh pour 1,2 milliard d'euros.", "d")
    (other_words,) = judge.judge(claim, [Candidate(claim=headline, similarity=0.9, given=True)])
    assert not (other_words.stance == "refutes" and other_words.basis == "rule"), other_words.rationale


def test_dates_of_different_things_do_not_conflict() -> None:
    """A founding year and a revenue year are two dates, however close the two sentences embed."""
    judge = OfflineStanceJudge()
    revenue = _claim("Năm 2025, Đồng Xanh đạt doanh thu 9.800 tỷ đồng.", "a")
    founded = _claim("Fondé en 1994, Đồng Xanh exploite des usines.", "b")
    (result,) = judge.judge(revenue, [Candidate(claim=founded, similarity=0.95)])
    assert not (result.stance == "refutes" and result.basis == "rule"), result.rationale


def test_a_denial_refutes_only_what_it_denies() -> None:
    """The company denying plant closures says nothing about the acquisition it announced, however close the two
    embed; it refutes a claim that it plans closures."""
    judge = OfflineStanceJudge()
    denial = _claim("Laiteries Morvan denied on Tuesday any plan to close plants after the acquisition.", "b")
    assert denial.attribution is not None and denial.attribution.stance == "denies"
    deal = _claim("Laiteries Morvan agreed to buy a 65% stake in Dong Xanh.", "a")
    closures = _claim("Laiteries Morvan plans to close two plants after the acquisition.", "a")
    (on_deal,) = judge.judge(deal, [Candidate(claim=denial, similarity=0.93)])
    (on_closures,) = judge.judge(closures, [Candidate(claim=denial, similarity=0.93)])
    assert on_deal.stance == "neutral" or on_deal.basis != "rule", on_deal.rationale
    assert on_closures.stance == "refutes" and "denied by" in on_closures.rationale


def test_a_flipped_negation_needs_the_same_words() -> None:
    """"One says it, the other says it is not so" is read only from nearly the same words; two claims of one story,
    one of them negated, are left to the model however close they embed."""
    judge = OfflineStanceJudge()
    claim = _claim("The agreement includes an engine maintenance contract.", "a")
    negated = _claim("The agreement does not include an engine maintenance contract.", "b")
    unrelated = _claim("The pilots' unions were not consulted about the agreement.", "c")
    (flipped,) = judge.judge(claim, [Candidate(claim=negated, similarity=0.95)])
    (other,) = judge.judge(claim, [Candidate(claim=unrelated, similarity=0.95)])
    assert flipped.stance == "refutes" and flipped.basis == "rule" and "not so" in flipped.rationale
    assert not (other.stance == "refutes" and other.basis == "rule"), other.rationale


def test_a_negated_claim_agrees_with_a_denial_of_the_same_thing() -> None:
    judge = OfflineStanceJudge()
    claim = _claim("The Vinacargo agreement does not include an engine maintenance contract, a Boeing spokesperson "
                   "said.", "a")
    denial = _claim("Boeing denied that the Vinacargo agreement included an engine maintenance contract.", "b")
    assert denial.attribution is not None and denial.attribution.stance == "denies"
    (result,) = judge.judge(claim, [Candidate(claim=denial, similarity=0.95)])
    assert result.stance == "supports" and "also denied by Boeing" in result.rationale


def test_the_model_reads_what_a_denial_denies() -> None:
    """The model compares contents: a denial whose content it finds restated refutes the claim, and a denial whose
    content it finds contradicted backs it."""
    denial = _claim("Boeing denied that the Vinacargo agreement included an engine maintenance contract.", "b")
    claim = _claim("The Vinacargo agreement covers the maintenance of the engines for ten years.", "a")
    (restated,) = OfflineStanceJudge(model=_Model([0.9, 0.05, 0.05])).judge(claim, [Candidate(denial, 0.88)])
    (contradicted,) = OfflineStanceJudge(model=_Model([0.05, 0.9, 0.05])).judge(claim, [Candidate(denial, 0.88)])
    assert restated.stance == "refutes" and restated.kind == "denial" and "Boeing" in restated.rationale
    assert contradicted.stance == "supports" and "agrees with the denial" in contradicted.rationale


def test_across_languages_a_denial_needs_the_same_event() -> None:
    """A French headline on the strike is no assertion of the plan to move production that the company denies,
    however close one story's claims embed across languages: the denial rule does not decide it."""
    judge = OfflineStanceJudge(model=_Model([0.05, 0.9, 0.05]))
    denial = _claim("A Lumora spokeswoman denied reports that the company plans to move production to India.", "b")
    headline = _claim("Vietnam : grève dans l'usine Lumora de Bac Ninh", "a")
    plan = _claim("Lumora envisage de transférer sa production en Inde.", "c")
    assert headline.language == plan.language == "fr"
    (on_headline,) = judge.judge(headline, [Candidate(claim=denial, similarity=0.88)])
    (on_plan,) = judge.judge(plan, [Candidate(claim=denial, similarity=0.88)])
    assert on_headline.stance == "neutral" or on_headline.basis == "model", on_headline.rationale  # no denial rule
    assert on_plan.stance == "refutes" and on_plan.kind == "denial" and on_plan.basis == "rule"
