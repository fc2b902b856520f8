"""Loaders for the labelled sets in ../shared/data, one function per set, mapped to the service's labels.

Every loader takes the split ("dev" or "test") and returns plain dataclasses. The split files are already
cut by the data README's rule (md5(key) % 5 == 0 -> test); where a file holds both splits the rule is applied
here with `in_test`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
import os
from pathlib import Path
from typing import Iterator

from service.models import Stance, Verdict

SPLITS = ("dev", "test")
REPO_ROOT = Path(__file__).resolve().parent.parent
# The shared data sits beside the repository (CI clones the repo with shared/ next to it); FACTCHECK_EVAL_DATA
# points elsewhere.
DEFAULT_DATA_DIR = Path(os.environ.get("FACTCHECK_EVAL_DATA", REPO_ROOT.parent / "shared" / "data"))
GOLD_DIR = Path(__file__).resolve().parent / "gold"

CLIMATE_FEVER_VERDICT: dict[str, Verdict] = {
    "SUPPORTS": "corroborated", "REFUTES": "contradicted", "DISPUTED": "disputed", "NOT_ENOUGH_INFO": "unverified",
}
AVERITEC_VERDICT: dict[str, Verdict] = {
    "Supported": "corroborated", "Refuted": "contradicted",
    "Conflicting Evidence/Cherrypicking": "disputed", "Not Enough Evidence": "unverified",
}
FEVER_STANCE: dict[str, Stance] = {
    "SUPPORTS": "supports", "REFUTES": "refutes", "NOT_ENOUGH_INFO": "neutral", "NOT ENOUGH INFO": "neutral",
}
XNLI_STANCE: dict[str, Stance] = {"entailment": "supports", "contradiction": "refutes", "neutral": "neutral"}
PROPSEGMENT_STANCE: dict[str, Stance] = {"entails": "supports", "contradicts": "refutes", "neither": "neutral"}


def in_test(key: str) -> bool:
    """The data README's split rule: an item is in test when md5(key) % 5 == 0."""
    return int(hashlib.md5(key.encode("utf-8")).hexdigest(), 16) % 5 == 0


def split_matches(key: str, split: str) -> bool:
    """True when the item with this split key belongs to `split`."""
    return in_test(key) == (split == "test")


def stable_order(key: str) -> str:
    """Sort key for deterministic subsampling that does not depend on file order."""
    return hashlib.md5(("order:" + key).encode("utf-8")).hexdigest()


def _check_split(split: str) -> None:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")


def _jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


_PTB = [("-LRB-", "("), ("-RRB-", ")"), ("-LSB-", "["), ("-RSB-", "]"), ("``", '"'), ("''", '"')]


def detokenize(text: str) -> str:
    """Undo FEVER/VitaminC's Penn-Treebank escapes so the analyser reads ordinary text."""
    for escaped, plain in _PTB:
        text = text.replace(escaped, plain)
    text = re.sub(r" ([.,;:!?%)\]])", r"\1", text)
    text = re.sub(r"([(\[]) ", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


# --- claim verdicts -------------------------------------------------------------------------------------


@dataclass
class EvidenceDoc:
    """One evidence text to ingest as a document, with its gold stance towards its claim when known."""

    id: str
    text: str
    title: str | None
    source: str | None
    gold_stance: Stance | None = None


@dataclass
class VerdictCase:
    """A claim with its gold verdict and the evidence documents that came with it."""

    id: str
    claim: str
    gold: Verdict
    evidence: list[EvidenceDoc] = field(default_factory=list)


def load_climate_fever(split: str, data_dir: Path = DEFAULT_DATA_DIR) -> list[VerdictCase]:
    """CLIMATE-FEVER claims with their 5 Wikipedia evidence sentences (source = the article)."""
    _check_split(split)
    cases = []
    for row in _jsonl(data_dir / "climate_fever" / f"climate_fever.{split}.jsonl"):
        evidence = [
            EvidenceDoc(
                id=ev["evidence_id"], text=ev["evidence"], title=ev["article"], source=ev["article"],
                gold_stance=FEVER_STANCE[ev["evidence_label"]],
            )
            for ev in row["evidences"]
        ]
        cases.append(VerdictCase(id="cf" + row["claim_id"], claim=row["claim"],
                                 gold=CLIMATE_FEVER_VERDICT[row["claim_label"]], evidence=evidence))
    return cases


_UNANSWERABLE = "Unanswerable"


def qa_statement(question: str, answer: str, answer_type: str | None, explanation: str | None = None) -> str:
    """A question and its answer as one statement the analyser reads as a claim.

    A question alone is no claim, and a short answer ("No.", "In 2019") says nothing without it; so the two are
    written as one sentence: "Has Syria complied with the Chemical Weapons Convention: not so." For yes/no answers
    the answer becomes a polarity the stance rules read ("not so" is a negation), and the explanation follows.
    """
    head = question.strip().rstrip("?").rstrip()
    answer = answer.strip()
    if answer_type == "Boolean":
        polarity = "not so" if answer.lower().startswith("no") else "yes, so"
        text = f"{head}: {polarity}."
        return f"{text} {explanation.strip()}" if explanation else text
    return f"{head}: {answer}"


def load_averitec(split: str, data_dir: Path = DEFAULT_DATA_DIR) -> list[VerdictCase]:
    """AVeriTeC claims; each answered question becomes one evidence document, read as question + answer."""
    _check_split(split)
    cases = []
    for row in _jsonl(data_dir / "averitec" / f"averitec.{split}.jsonl"):
        evidence = []
        for q_index, qa in enumerate(row.get("questions") or []):
            for a_index, answer in enumerate(qa.get("answers") or []):
                if answer.get("answer_type") == _UNANSWERABLE:
                    continue  # "No answer could be found" carries no evidence, only noise
                evidence.append(EvidenceDoc(
                    id=f"{row['id']}:{q_index}:{a_index}",
                    text=qa_statement(qa["question"], answer["answer"], answer.get("answer_type"),
                                      answer.get("boolean_explanation")),
                    title=qa["question"].strip()[:500], source=(answer.get("source_url") or None),
                ))
        cases.append(VerdictCase(id=f"av{row['id']}", claim=row["claim"], gold=AVERITEC_VERDICT[row["label"]],
                                 evidence=evidence))
    return cases


# --- stance pairs ---------------------------------------------------------------------------------------


@dataclass
class StancePair:
    """A claim and one evidence text with the gold stance of the evidence towards the claim."""

    id: str
    claim: str
    evidence: str
    gold: Stance
    group: str = ""
    tags: list[str] = field(default_factory=list)


_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (Unicode-aware, so French and Vietnamese words stay whole)."""
    return _TOKEN.findall(text.lower())


def _has_figure(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _figure_flip(a: StancePair, b: StancePair) -> bool:
    """True when two pairs differ in label and every token that differs between them is a figure."""
    if a.gold == b.gold:
        return False
    diff = set(tokens(a.claim + " " + a.evidence)) ^ set(tokens(b.claim + " " + b.evidence))
    return bool(diff) and all(_has_figure(tok) for tok in diff)


def load_vitaminc(split: str, data_dir: Path = DEFAULT_DATA_DIR) -> list[StancePair]:
    """VitaminC real revisions; tags: 'contrastive' (its case has another label), 'figure_flip' (only figures differ)."""
    _check_split(split)
    pairs = [
        StancePair(id=row["unique_id"], claim=detokenize(row["claim"]), evidence=detokenize(row["evidence"]),
                   gold=FEVER_STANCE[row["label"]], group=row["case_id"])
        for row in _jsonl(data_dir / "vitaminc" / f"vitaminc.{split}.jsonl")
    ]
    by_case: dict[str, list[StancePair]] = defaultdict(list)
    for pair in pairs:
        by_case[pair.group].append(pair)
    for members in by_case.values():
        for pair in members:
            others = [o for o in members if o is not pair]
            if any(o.gold != pair.gold for o in others):
                pair.tags.append("contrastive")
            if any(_figure_flip(pair, o) for o in others):
                pair.tags.append("figure_flip")
    return pairs


def load_fever_symmetric(split: str, data_dir: Path = DEFAULT_DATA_DIR) -> list[StancePair]:
    """FEVER-Symmetric (dev file for dev, test file for test); tag 'figure' when claim or evidence has a figure."""
    _check_split(split)
    pairs = []
    for row in _jsonl(data_dir / "fever_small" / f"fever_symmetric_{split}.jsonl"):
        claim, evidence = detokenize(row["claim"]), detokenize(row["evidence"])
        tags = ["figure"] if _has_figure(claim) or _has_figure(evidence) else []
        pairs.append(StancePair(id=f"fs{row['id']}", claim=claim, evidence=evidence,
                                gold=FEVER_STANCE[row["label"]], tags=tags))
    return pairs


@dataclass
class XnliRow:
    """One XNLI pair in English, French and Vietnamese (professional translations, same label)."""

    id: str
    gold: Stance
    premise: dict[str, str]
    hypothesis: dict[str, str]


XNLI_LANGUAGES = ("en", "fr", "vi")


def load_xnli(split: str, data_dir: Path = DEFAULT_DATA_DIR) -> list[XnliRow]:
    """XNLI dev rows, row-aligned across en/fr/vi."""
    _check_split(split)
    return [
        XnliRow(id=f"x{row['id']}", gold=XNLI_STANCE[row["label"]],
                premise={lang: row[f"premise_{lang}"] for lang in XNLI_LANGUAGES},
                hypothesis={lang: row[f"hypothesis_{lang}"] for lang in XNLI_LANGUAGES})
        for row in _jsonl(data_dir / "xnli_en_fr_vi" / f"xnli_en_fr_vi.{split}.jsonl")
    ]


# --- claim extraction -----------------------------------------------------------------------------------


@dataclass
class GoldSentence:
    """A sentence of a gold document with its human claims (or propositions) and check-worthiness."""

    text: str
    claims: list[str]
    checkworthiness: str  # Factcheck-Bench: yes / opinion / not_a_claim / other; PropSegmEnt: "yes"
    claim_checkworthiness: list[str] = field(default_factory=list)
    alternatives: list[list[str]] = field(default_factory=list)  # other raters' segmentations (PropSegmEnt)


@dataclass
class ExtractionDoc:
    """A text to extract claims from, with the gold decomposition of (some of) its sentences."""

    id: str
    text: str
    sentences: list[GoldSentence]


def load_factcheck_bench(split: str, data_dir: Path = DEFAULT_DATA_DIR) -> list[ExtractionDoc]:
    """Factcheck-Bench: 94 ChatGPT answers, human-split into sentences and decontextualised claims."""
    _check_split(split)
    docs = []
    path = data_dir / "factcheck_gpt" / "factcheck-GPT-benchmark.jsonl"
    for index, row in enumerate(_jsonl(path)):
        if not split_matches(f"fg{index}", split):
            continue
        sentences = []
        for key in sorted(row["sentences"], key=lambda k: int(k.removeprefix("sentence"))):
            sent = row["sentences"][key]
            sentences.append(GoldSentence(text=sent["text"], claims=list(sent["claims"]),
                                          checkworthiness=sent["sentence_checkworthiness"],
                                          claim_checkworthiness=list(sent["claim_checkworthiness"])))
        docs.append(ExtractionDoc(id=f"fg{index}", text=row["response"], sentences=sentences))
    return docs


@dataclass
class PropDocument:
    """A PropSegmEnt Wikipedia document (machine-translated to English) of a cluster of three."""

    id: str
    cluster_id: str
    text: str
    sentences: list[str]


def load_propsegment_documents(split: str, data_dir: Path = DEFAULT_DATA_DIR) -> list[PropDocument]:
    """PropSegmEnt Wikipedia documents of the split (split key "p"+cluster_id)."""
    _check_split(split)
    return [
        PropDocument(id=row["document_id"], cluster_id=row["cluster_id"], text=row["text"],
                     sentences=list(row["sentences"]))
        for row in _jsonl(data_dir / "propsegment" / "documents.jsonl")
        if split_matches("p" + row["cluster_id"], split)
    ]


def load_propsegment_propositions(split: str, data_dir: Path = DEFAULT_DATA_DIR) -> list[ExtractionDoc]:
    """PropSegmEnt documents with their annotated sentences' reference propositions (and other raters')."""
    _check_split(split)
    by_doc: dict[str, list[GoldSentence]] = defaultdict(list)
    for row in _jsonl(data_dir / "propsegment" / "propositions_wiki.jsonl"):
        if not split_matches("p" + row["cluster_id"], split):
            continue
        alternatives = [seg["propositions"] for seg in row["rater_segmentations"] if not seg["is_reference_response"]]
        reference = row["reference_propositions"]
        # no reference segmentation means the raters judged the sentence non-informational: no claim to find
        by_doc[row["document_id"]].append(GoldSentence(text=row["sentence"], claims=list(reference or []),
                                                       checkworthiness="yes" if reference else "not_a_claim",
                                                       alternatives=alternatives))
    return [ExtractionDoc(id=doc.id, text=doc.text, sentences=by_doc[doc.id])
            for doc in load_propsegment_documents(split, data_dir) if by_doc.get(doc.id)]


@dataclass
class Relationship:
    """A proposition of one document judged against another document of the same cluster."""

    id: str
    cluster_id: str
    premise_document_id: str
    hypothesis_document_id: str
    proposition: str
    sentence: str
    gold: Stance


def load_propsegment_relationships(split: str, data_dir: Path = DEFAULT_DATA_DIR) -> list[Relationship]:
    """PropSegmEnt (premise document, hypothesis proposition) judgements with a clear majority label."""
    _check_split(split)
    rows = []
    for index, row in enumerate(_jsonl(data_dir / "propsegment" / f"relationships.{split}.jsonl")):
        label = PROPSEGMENT_STANCE.get(row["majority_label"])
        if label is None:
            continue  # ties and "unspecified" have no gold stance
        rows.append(Relationship(
            id=f"pr{index}", cluster_id=row["cluster_id"], premise_document_id=row["premise_document_id"],
            hypothesis_document_id=row["hypothesis_document_id"], proposition=row["hypothesis_proposition"],
            sentence=row["hypothesis_sentence"], gold=label))
    return rows


# --- seeds ----------------------------------------------------------------------------------------------


@dataclass
class SeedGold:
    """A gold verdict for one claim of a seed (or extra) article, found by a quote substring."""

    id: str
    scenario: str
    document: str
    quote: str
    gold: Verdict
    note: str


@dataclass
class SeedScenario:
    """A corpus built from some seed and extra articles, and the gold verdicts expected inside it."""

    name: str
    documents: dict[str, str]  # file name -> text
    golds: list[SeedGold]


def load_seeds(split: str, gold_dir: Path = GOLD_DIR, seeds_dir: Path = REPO_ROOT / "seeds") -> list[SeedScenario]:
    """The seed articles' gold verdicts, by scenario; the same (hand-written) file serves both splits."""
    _check_split(split)
    scenarios_meta = json.loads((gold_dir / "scenarios.json").read_text(encoding="utf-8"))
    golds: dict[str, list[SeedGold]] = defaultdict(list)
    for row in _jsonl(gold_dir / "seeds.jsonl"):
        golds[row["scenario"]].append(SeedGold(id=row["id"], scenario=row["scenario"], document=row["document"],
                                               quote=row["quote"], gold=row["verdict"], note=row.get("note", "")))
    scenarios = []
    for name, files in scenarios_meta.items():
        documents = {}
        for file_name in files:
            path = seeds_dir / file_name if (seeds_dir / file_name).exists() else gold_dir / "articles" / file_name
            documents[file_name] = path.read_text(encoding="utf-8")
        scenarios.append(SeedScenario(name=name, documents=documents, golds=golds.get(name, [])))
    return scenarios


# --- news gold set --------------------------------------------------------------------------------------


@dataclass
class NewsArticle:
    """One article of a news story's corpus, with what it copies or translates (if anything)."""

    file: str
    text: str
    outlet: str
    language: str
    date: str
    same_source_as: str | None  # the article it translates or copies: the two are one source group


@dataclass
class NewsGold:
    """A gold verdict (and check-worthiness) for one claim of a news article, found by a quote substring."""

    id: str
    document: str
    quote: str
    gold: Verdict
    checkworthy: bool
    rule: str
    note: str
    phenomena: tuple[str, ...] = ()  # what the claim exercises (the stories written after the first four carry them)
    speaker: str | None = None
    polarity: str | None = None


@dataclass
class NewsStory:
    """A story's corpus of articles and the gold verdicts expected inside it."""

    name: str
    articles: list[NewsArticle]
    golds: list[NewsGold]


def load_news(split: str, gold_dir: Path = GOLD_DIR / "news") -> list[NewsStory]:
    """The news gold set's stories of `split` (whole stories are on one side; evals/gold/news/RULES.md, Split)."""
    _check_split(split)
    meta = json.loads((gold_dir / "corpora.json").read_text(encoding="utf-8"))["stories"]
    golds: dict[str, list[NewsGold]] = defaultdict(list)
    for row in _jsonl(gold_dir / "gold.jsonl"):
        golds[row["story"]].append(NewsGold(id=row["id"], document=row["document"], quote=row["quote"],
                                            gold=row["verdict"], checkworthy=row["checkworthy"], rule=row["rule"],
                                            note=row.get("note", ""), phenomena=tuple(row.get("phenomena", ())),
                                            speaker=row.get("speaker"), polarity=row.get("polarity")))
    stories = []
    for name, story in sorted(meta.items()):
        if story["split"] != split:
            continue
        articles = [NewsArticle(file=a["file"], text=(gold_dir / "articles" / a["file"]).read_text(encoding="utf-8"),
                                outlet=a["outlet"], language=a["language"], date=a["date"],
                                same_source_as=a.get("translation_of") or a.get("copy_of"))
                    for a in story["articles"]]
        stories.append(NewsStory(name=name, articles=articles, golds=golds[name]))
    return stories


# --- the team's English, French and Vietnamese extraction gold ---------------------------------------------------

EXTRACTION_GOLD_DIR = GOLD_DIR / "extraction"
SENTENCES_PER_PARAGRAPH = 2  # news paragraphs are short; two sentences each keeps the document readable


def extraction_story_key(source: str) -> str:
    """The split key of a gold row: its story's document ('ntrex:upi.176266#3' -> 'ex:upi.176266')."""
    return "ex:" + source.split(":", 1)[1].split("#", 1)[0]


def load_extraction_gold(language: str, split: str, gold_dir: Path = EXTRACTION_GOLD_DIR) -> list[ExtractionDoc]:
    """The team's gold for `language` ('en', 'fr' or 'vi'): one document per story, its sentences two to a paragraph."""
    _check_split(split)
    stories: dict[str, list[dict]] = defaultdict(list)
    for row in _jsonl(gold_dir / f"{language}.jsonl"):
        if split_matches(extraction_story_key(row["source"]), split):
            stories[row["story"]].append(row)
    docs = []
    for story, rows in stories.items():
        paragraphs = [" ".join(r["sentence"] for r in rows[i : i + SENTENCES_PER_PARAGRAPH])
                      for i in range(0, len(rows), SENTENCES_PER_PARAGRAPH)]
        sentences = [GoldSentence(text=r["sentence"], claims=list(r["claims"]), checkworthiness="yes",
                                  claim_checkworthiness=list(r.get("claim_checkworthiness") or
                                                             ["factual"] * len(r["claims"])))
                     for r in rows]
        docs.append(ExtractionDoc(id=f"{language}:{story}", text="\n\n".join(paragraphs), sentences=sentences))
    return docs
