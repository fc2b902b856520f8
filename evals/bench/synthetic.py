"""Synthetic multilingual news for benchmarks: a seeded world of facts told by many articles in en/fr/vi.

The world is a set of facts (company X invested amount A in Y in year Z, cut N jobs, holds P% of Y...).
Each article tells a handful of them in one language, in that language's formats ("$14.3 billion",
"14,3 milliards de dollars", "14,3 tỷ USD"), often through a named speaker ("X said", "X a affirmé",
"X cho biết"), mixed with opinions and context. A share of the tellings are deliberate contradictions
(a different figure) or denials ("X denied that ...", "X a démenti ...", "X bác bỏ ..."), and each
article records which fact it tells and how, so the corpus doubles as labelled data.

Deterministic: the same seed gives byte-identical articles. No model, no network.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator, Literal

LANGUAGES = ("en", "fr", "vi")
Telling = Literal["asserts", "contradicts", "denies"]

_PREFIXES = (
    "Northwind Aster Helios Borealis Cobalt Meridian Lumen Vireo Quanta Solace Tessera Kestrel Halcyon Orion Sable "
    "Zephyr Arden Calyx Dorado Ember Fjord Granite Harbor Iris Juniper Kairo Lattice Mistral Nimbus Opal Pavo "
    "Quill Rivage Sao Mai Hoa Sen Thanh Long Bach Dang Phuong Nam Truong Son Hai Van Cuu Long Ngoc Lan Tan Viet "
    "Alpine Basalt Cedar Delta Estuary Falcon Glacier Horizon Indigo Jade Krypton Lyra Magnolia Nova Onyx Polaris"
).split()
_SUFFIXES = (
    "Robotics Energy Systems Labs Capital Bank Motors Health Foods Logistics Semiconductors Networks Pharma "
    "Airlines Mining Insurance Media Telecom Analytics Biotech Steel Textiles Retail Software Shipping Cloud "
    "Power Games Materials Ventures Aerospace Water Agritech Batteries Solar Payments Studios Devices Chemicals"
).split()
_FIRST = {
    "en": "James Emily Robert Sarah Michael Laura David Karen Daniel Olivia Thomas Grace Peter Hannah Mark Rachel "
          "Steven Alice Brian Megan Kevin Julia Andrew Claire Paul Natalie Jason Rebecca Eric Victoria".split(),
    "fr": "Camille Julien Élodie Mathieu Céline Antoine Sophie Nicolas Aurélie Guillaume Chloé François Mathilde "
          "Olivier Léa Benoît Margaux Hugo Pauline Étienne Manon Rémi Inès Thibault Anaïs Cédric Hélène Yves "
          "Solène Loïc".split(),
    "vi": "An Bình Cường Dũng Giang Hà Hải Hạnh Hiếu Hoa Hùng Hương Khánh Lan Linh Long Mai Minh Nam Ngọc "
          "Phong Phương Quân Quang Sơn Tâm Thảo Thắng Trang Tuấn".split(),
}
_LAST = {
    "en": "Smith Johnson Carter Walsh Bennett Harper Coleman Fletcher Hughes Morgan Reed Porter Sullivan Hayes "
          "Brooks Foster Griffin Russell Palmer Warren Barrett Lawson Mitchell Spencer Turner Wallace Fisher "
          "Graham Holland Parker".split(),
    "fr": "Martin Bernard Dubois Lefèvre Moreau Laurent Girard Rousseau Fontaine Chevalier Mercier Garnier "
          "Lambert Faure Roussel Blanchard Marchand Perrin Gauthier Picard Renaud Duval Leclerc Aubert Brunet "
          "Caron Giraud Lemaire Rolland Vasseur".split(),
    "vi": "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trịnh Mai Tạ Lương "
          "Cao Chu Hà Kiều Lâm Quách Tô Từ Văn".split(),
}
_VI_MIDDLE = "Văn Thị Minh Đức Thanh Quốc Ngọc Hữu Thu Xuân".split()
_ROLES = {
    "en": ["chief executive of {c}", "chief financial officer of {c}", "a spokesperson for {c}", "chairman of {c}",
           "an analyst at {c}"],
    "fr": ["directeur général du groupe {c}", "directrice financière du groupe {c}", "porte-parole du groupe {c}",
           "président du groupe {c}", "analyste chez {c}"],
    "vi": ["tổng giám đốc {c}", "giám đốc tài chính {c}", "người phát ngôn của {c}", "chủ tịch {c}",
           "chuyên gia phân tích tại {c}"],
}

# One template per language per kind of fact. {s} subject, {o} object company, {a} amount, {n} count, {p} percent,
# {y} year. Past tense, one fact per sentence, so the offline extractor sees the clause it is meant to see.
_FACTS: dict[str, dict[str, list[str]]] = {
    "invest": {
        "en": ["{s} invested {a} in {o} in {y}", "{s} put {a} into {o} in {y}"],
        "fr": ["{s} a investi {a} dans {o} en {y}", "{s} a injecté {a} dans {o} en {y}"],
        "vi": ["{s} đã đầu tư {a} vào {o} năm {y}", "{s} đã rót {a} vào {o} năm {y}"],
    },
    "acquire": {
        "en": ["{s} agreed to buy {o} for {a} in {y}", "{s} acquired {o} for {a} in {y}"],
        "fr": ["{s} a racheté {o} pour {a} en {y}", "{s} a acquis {o} pour {a} en {y}"],
        "vi": ["{s} đã mua lại {o} với giá {a} năm {y}", "{s} đã thâu tóm {o} với giá {a} năm {y}"],
    },
    "revenue": {
        "en": ["{s} reported revenue of {a} for {y}", "{s} posted sales of {a} in {y}"],
        "fr": ["{s} a réalisé un chiffre d'affaires de {a} en {y}", "{s} a enregistré des ventes de {a} en {y}"],
        "vi": ["{s} đã báo cáo doanh thu {a} trong năm {y}", "{s} đã đạt doanh thu {a} năm {y}"],
    },
    "jobs": {
        "en": ["{s} cut {n} jobs in {y}", "{s} laid off {n} employees in {y}"],
        "fr": ["{s} a supprimé {n} emplois en {y}", "{s} a licencié {n} salariés en {y}"],
        "vi": ["{s} đã cắt giảm {n} việc làm năm {y}", "{s} đã sa thải {n} nhân viên năm {y}"],
    },
    "stake": {
        "en": ["{s} took a {p} stake in {o} in {y}", "{s} acquired a {p} stake in {o} in {y}"],
        "fr": ["{s} a pris une participation de {p} dans {o} en {y}", "{s} a acquis {p} du capital de {o} en {y}"],
        "vi": ["{s} đã mua {p} cổ phần của {o} năm {y}", "{s} đã nắm {p} cổ phần {o} năm {y}"],
    },
}
_ATTRIBUTED = {
    "en": ["{who}, {role}, said that {fact}.", "{who} said {fact}.", "According to {who}, {fact}."],
    "fr": ["{who}, {role}, a affirmé que {fact}.", "{who} a déclaré que {fact}.", "Selon {who}, {fact}."],
    "vi": ["{who}, {role}, cho biết {fact}.", "{who} khẳng định rằng {fact}.", "Theo {who}, {fact}."],
}
_DENIAL = {
    "en": ["{who}, {role}, denied that {fact}.", "{who} denied reports that {fact}."],
    "fr": ["{who}, {role}, a démenti que {fact}.", "{who} a nié que {fact}."],
    "vi": ["{who}, {role}, bác bỏ thông tin rằng {fact}.", "{who} phủ nhận rằng {fact}."],
}
_FILLER = {
    "en": ["Analysts expect the sector to keep consolidating over the next few years.",
           "The market reaction was muted on the day of the announcement.",
           "Investors will probably watch the next quarterly results closely.",
           "Competition for skilled engineers remains intense across the industry.",
           "Some observers think regulators could take a closer look at the deal."],
    "fr": ["Les analystes pensent que le secteur devrait continuer à se consolider.",
           "La réaction du marché est restée modérée le jour de l'annonce.",
           "Les investisseurs surveilleront sans doute de près les prochains résultats.",
           "La concurrence pour attirer des ingénieurs qualifiés reste intense dans le secteur.",
           "Certains observateurs estiment que les régulateurs pourraient examiner l'opération."],
    "vi": ["Các nhà phân tích cho rằng ngành này sẽ tiếp tục hợp nhất trong vài năm tới.",
           "Thị trường phản ứng khá trầm lắng trong ngày công bố thông tin.",
           "Giới đầu tư có thể sẽ theo dõi sát kết quả kinh doanh quý tới.",
           "Cuộc cạnh tranh thu hút kỹ sư giỏi vẫn diễn ra gay gắt trong ngành.",
           "Một số nhà quan sát tin rằng cơ quan quản lý có thể xem xét thương vụ này."],
}
_TITLE = {
    "en": "{s}: {kind} news", "fr": "{s} : actualité {kind}", "vi": "{s}: tin {kind}",
}
_KIND_WORD = {
    "en": {"invest": "investment", "acquire": "acquisition", "revenue": "results", "jobs": "jobs", "stake": "stake"},
    "fr": {"invest": "investissement", "acquire": "rachat", "revenue": "résultats", "jobs": "emploi",
           "stake": "participation"},
    "vi": {"invest": "đầu tư", "acquire": "mua bán", "revenue": "kết quả kinh doanh", "jobs": "việc làm",
           "stake": "cổ phần"},
}


@dataclass(frozen=True)
class Fact:
    """One fact of the world, the ground truth the articles tell, contradict or deny."""

    id: str
    kind: str
    subject: str
    object: str
    year: int
    value: float  # base units: USD/EUR for money, a count for jobs, percent for stakes
    unit: str  # USD, EUR, jobs, %


@dataclass
class FactTelling:
    """How an article tells one fact: the stated value and whether it asserts, contradicts or denies it."""

    fact_id: str
    telling: Telling
    stated_value: float
    sentence: str


@dataclass
class SyntheticArticle:
    """One generated article and the facts it tells."""

    id: str
    language: str
    title: str
    text: str
    source: str
    tellings: list[FactTelling] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


# ----------------------------------------------------------------------------------------------- figures


def _group_thousands(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


def _decimal(x: float, lang: str) -> str:
    text = f"{x:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang in ("fr", "vi") else text


def format_money(value: float, currency: str, lang: str) -> str:
    """'$14.3 billion' / '14,3 milliards de dollars' / '14,3 tỷ USD' for 14.3e9 USD."""
    if value >= 1e9:
        x, scale = value / 1e9, {"en": "billion", "fr": "milliards", "vi": "tỷ"}
    else:
        x, scale = value / 1e6, {"en": "million", "fr": "millions", "vi": "triệu"}
    num = _decimal(x, lang)
    if lang == "fr" and scale["fr"] == "milliards" and x < 2:
        scale = {**scale, "fr": "milliard"}
    if lang == "fr" and scale["fr"] == "millions" and x < 2:
        scale = {**scale, "fr": "million"}
    if lang == "en":
        return f"{'$' if currency == 'USD' else '€'}{num} {scale['en']}"
    if lang == "fr":
        return f"{num} {scale['fr']} {'de dollars' if currency == 'USD' else 'd’euros'}"
    return f"{num} {scale['vi']} {'USD' if currency == 'USD' else 'euro'}"


def format_count(n: int, lang: str) -> str:
    """'3,400' / '3 400' / '3.400'."""
    return _group_thousands(n, {"en": ",", "fr": "\u202f", "vi": "."}[lang])


def format_percent(p: float, lang: str) -> str:
    """'12.5%' / '12,5 %' / '12,5%'."""
    num = _decimal(p, lang)
    return f"{num}\u202f%" if lang == "fr" else f"{num}%"


# ----------------------------------------------------------------------------------------------- the world


def _stable_id(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


def _company_pool(rng: random.Random, n: int) -> list[str]:
    names = sorted({f"{p} {s}" for p in _PREFIXES for s in _SUFFIXES})
    rng.shuffle(names)
    return names[: max(2, min(n, len(names)))]


def _person(rng: random.Random, lang: str) -> str:
    if lang == "vi":
        return f"{rng.choice(_LAST['vi'])} {rng.choice(_VI_MIDDLE)} {rng.choice(_FIRST['vi'])}"
    return f"{rng.choice(_FIRST[lang])} {rng.choice(_LAST[lang])}"


def make_world(n_facts: int, seed: int = 0) -> list[Fact]:
    """A world of `n_facts` facts over a pool of companies sized to it."""
    rng = random.Random(f"world:{seed}")
    companies = _company_pool(rng, max(20, n_facts // 3))
    facts: list[Fact] = []
    kinds = list(_FACTS)
    for i in range(n_facts):
        kind = kinds[i % len(kinds)]
        s, o = rng.sample(companies, 2)
        year = rng.randint(2015, 2025)
        if kind in ("invest", "acquire", "revenue"):
            # Amounts with one decimal at most, in millions or billions, like the news writes them.
            if rng.random() < 0.5:
                value, unit = round(rng.uniform(1.0, 40.0), 1) * 1e9, "USD"
            else:
                value, unit = float(rng.randrange(20, 950, 10)) * 1e6, rng.choice(["USD", "EUR"])
        elif kind == "jobs":
            value, unit = float(rng.randrange(120, 12_000, 10)), "jobs"
        else:
            value, unit = float(rng.choice([5, 7.5, 10, 12, 15, 20, 25, 30, 35, 40, 49, 51])), "%"
        facts.append(Fact(_stable_id(seed, i, kind, s, o), kind, s, o, year, value, unit))
    return facts


def _wrong_value(rng: random.Random, fact: Fact) -> float:
    """A figure that clearly conflicts with the fact's (outside any rounding), in the same unit."""
    factor = rng.choice([0.25, 0.4, 2.5, 3.0])
    if fact.unit == "%":
        return float(min(95, max(1, round(fact.value * factor))))
    if fact.unit == "jobs":
        return float(max(10, round(fact.value * factor, -1)))
    return round(fact.value * factor / (1e9 if fact.value * factor >= 1e9 else 1e6), 1) * (
        1e9 if fact.value * factor >= 1e9 else 1e6
    )


def render_fact(fact: Fact, value: float, lang: str, rng: random.Random) -> str:
    """The fact as a clause of `lang` (no final full stop), stating `value`."""
    template = rng.choice(_FACTS[fact.kind][lang])
    amount = format_money(value, fact.unit, lang) if fact.unit in ("USD", "EUR") else ""
    count = format_count(int(value), lang) if fact.unit == "jobs" else ""
    pct = format_percent(value, lang) if fact.unit == "%" else ""
    return template.format(s=fact.subject, o=fact.object, a=amount, n=count, p=pct, y=fact.year)


def _sentence(clause: str) -> str:
    return clause[0].upper() + clause[1:] + "."


# ----------------------------------------------------------------------------------------------- articles


@dataclass
class GeneratorConfig:
    """Knobs of the generator; the defaults give news-like articles of 6-12 sentences."""

    facts_per_article: tuple[int, int] = (3, 7)
    fillers_per_article: tuple[int, int] = (1, 3)
    attributed_share: float = 0.35
    contradiction_share: float = 0.06
    denial_share: float = 0.03
    languages: tuple[str, ...] = LANGUAGES
    facts_per_article_step: float = 1.75  # news moves on: article i tells facts near index i * step of the world
    window: int = 150  # ... within this many facts of it, so each fact is retold by a few articles around it
    evergreen_share: float = 0.08  # and sometimes one of the few stories everyone keeps citing
    evergreen_facts: int = 200
    evergreen_skew: float = 0.6  # Zipf-like over the evergreen stories


def generate_articles(world: list[Fact], n_articles: int, seed: int = 0,
                      config: GeneratorConfig | None = None, start: int = 0) -> Iterator[SyntheticArticle]:
    """`n_articles` articles telling facts of `world`; article i depends only on (seed, i), not on n."""
    cfg = config or GeneratorConfig()
    n = len(world)
    hot = min(cfg.evergreen_facts, n)
    cum: list[float] = []
    total = 0.0
    for r in range(hot):
        total += 1.0 / (r + 1) ** cfg.evergreen_skew
        cum.append(total)

    def pick(rng: random.Random, i: int) -> Fact:
        if rng.random() < cfg.evergreen_share:
            return world[_pick(rng, cum, total)]
        centre = int(i * cfg.facts_per_article_step) % n
        lo, hi = max(0, centre - cfg.window), min(n - 1, centre + cfg.window)
        return world[rng.randint(lo, hi)]

    for i in range(start, start + n_articles):
        rng = random.Random(f"article:{seed}:{i}")
        lang = rng.choice(cfg.languages)
        k = rng.randint(*cfg.facts_per_article)
        chosen: list[Fact] = []
        seen: set[str] = set()
        # Half the facts of an article share its lead company, like a story about one firm.
        lead = pick(rng, i)
        subject_facts = _facts_about(world, lead.subject)[:8]
        for f in [lead, *rng.sample(subject_facts, min(len(subject_facts), k // 2))]:
            if f.id not in seen:
                chosen.append(f)
                seen.add(f.id)
        while len(chosen) < k:
            f = pick(rng, i)
            if f.id not in seen:
                chosen.append(f)
                seen.add(f.id)
        sentences: list[str] = []
        tellings: list[FactTelling] = []
        for fact in chosen:
            roll = rng.random()
            if roll < cfg.denial_share:
                telling: Telling = "denies"
                value = fact.value
            elif roll < cfg.denial_share + cfg.contradiction_share:
                telling, value = "contradicts", _wrong_value(rng, fact)
            else:
                telling, value = "asserts", fact.value
            clause = render_fact(fact, value, lang, rng)
            who = _person(rng, lang)
            role = rng.choice(_ROLES[lang]).format(c=fact.subject)
            if telling == "denies":
                sentence = rng.choice(_DENIAL[lang]).format(who=who, role=role, fact=clause)
            elif rng.random() < cfg.attributed_share:
                sentence = rng.choice(_ATTRIBUTED[lang]).format(who=who, role=role, fact=clause)
            else:
                sentence = _sentence(clause)
            sentences.append(sentence)
            tellings.append(FactTelling(fact.id, telling, value, sentence))
        for filler in rng.sample(_FILLER[lang], rng.randint(*cfg.fillers_per_article)):
            sentences.insert(rng.randint(1, len(sentences)), filler)
        paragraphs = [" ".join(sentences[j : j + 3]) for j in range(0, len(sentences), 3)]
        title = _TITLE[lang].format(s=lead.subject, kind=_KIND_WORD[lang][lead.kind])
        text = "\n\n".join(paragraphs) + "\n"  # the headline travels as the title, not as a claim
        yield SyntheticArticle(
            id=_stable_id("article", seed, i), language=lang, title=title, text=text,
            source=f"synthetic://{seed}/{i}", tellings=tellings,
        )


def _pick(rng: random.Random, cum: list[float], total: float) -> int:
    import bisect

    return min(bisect.bisect_left(cum, rng.random() * total), len(cum) - 1)


_BY_SUBJECT: dict[int, dict[str, list[Fact]]] = {}


def _facts_about(world: list[Fact], subject: str) -> list[Fact]:
    index = _BY_SUBJECT.get(id(world))
    if index is None:
        index = {}
        for f in world:
            index.setdefault(f.subject, []).append(f)
        _BY_SUBJECT.clear()
        _BY_SUBJECT[id(world)] = index
    return index.get(subject, [])


WORLD_FACTS = 25_000  # one world for every corpus size, so a smaller corpus is a prefix of a larger one


def corpus_for_claims(n_claims: int, seed: int = 0, claims_per_article: float = 7.0,
                      config: GeneratorConfig | None = None,
                      world_facts: int = WORLD_FACTS) -> tuple[list[Fact], list[SyntheticArticle]]:
    """A world and enough articles for about `n_claims` claims (facts + checkworthy fillers per article).

    The world does not depend on `n_claims`: the 1k-claim corpus is the first articles of the 100k one.
    The real claim count depends on the extractor; benchmarks report the count the pipeline stored.
    """
    n_articles = max(1, round(n_claims / claims_per_article))
    world = make_world(world_facts, seed)
    return world, list(generate_articles(world, n_articles, seed, config))


def main(argv: list[str] | None = None) -> int:
    """Write a synthetic corpus as one .txt per article plus labels.jsonl."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="folder to write the articles into")
    ap.add_argument("--claims", type=int, default=1000, help="approximate number of claims")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    _, articles = corpus_for_claims(args.claims, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "labels.jsonl").open("w", encoding="utf-8") as labels:
        for i, a in enumerate(articles):
            (args.out / f"{i:06d}_{a.language}.txt").write_text(a.text, encoding="utf-8")
            labels.write(json.dumps({k: v for k, v in a.to_json().items() if k != "text"}, ensure_ascii=False) + "\n")
    print(f"{len(articles)} articles in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
