"""Build the cross-document benchmark from NTREX-128: originals, independent reports with controlled changes, labels.

`python evals/gold/xdoc/build.py` rewrites dev/test .corpora.jsonl and .jsonl beside this file (README.md, "How it
is built"). Deterministic and stdlib only: every choice is seeded by md5 of its key. Hand-written inputs beside it:
paraphrases.jsonl (same-language reports) and edits.jsonl (reviewed replacements, or edits ruled unsafe).
`--check` lists what is missing (paraphrases to write, edits that fail) instead of failing on the first one;
`--review` prints every generated edit and hard negative for reading.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent.parent
# The same rule as evals/datasets.py (DEFAULT_DATA_DIR): shared data beside the repository, or FACTCHECK_EVAL_DATA.
DEFAULT_DATA_DIR = Path(os.environ.get("FACTCHECK_EVAL_DATA", REPO_ROOT.parent / "shared" / "data"))
NTREX = "ntrex_en_fr_vi/ntrex_en_fr_vi.{split}.jsonl"

LANGS = ("en", "fr", "vi")
# Each document is an original in the three directions of one row: every source and every target language once,
# so the 9 directions get the same documents three at a time and a document is never paraphrased in two rows.
LATIN_ROWS = (
    (("en", "en"), ("fr", "fr"), ("vi", "vi")),
    (("en", "fr"), ("fr", "vi"), ("vi", "en")),
    (("en", "vi"), ("fr", "en"), ("vi", "fr")),
)
DIRECTIONS = tuple(d for row in LATIN_ROWS for d in row)
EXTRA_DIRECTION = {"dev": False, "test": True}  # test: 27 documents x 4 directions (1,500 claims need more than 3)
DEV_DOCUMENTS = 42  # dev documents drawn (topic-distinct, 6 to 24 sentences); test uses all 27
DEV_MAX_SENTENCES = 24
MAX_REPORT_SHARE = 0.4  # a report carries at most this share of its original's sentences
MAX_REPORT = 7  # and at most this many: a short report, not a rewrite
SENTENCES_PER_PARAGRAPH = 2  # as the extraction gold (evals/datasets.py)
SAME_STORY = 10.0  # rarity-weighted shared names above which two documents may tell one story: never one corpus
DEV_DISTINCT = 8.0  # dev documents are drawn further apart than that
RESTATES = 0.4  # share of shared content words above which a left-out sentence may restate a report sentence
HARD_NEGATIVE_MAX_OVERLAP = 0.34  # a hard negative shares a name or figure, and little else
ROLE_TARGET = {"kept": 0.34, "denial": 0.16, "edited-figure": 0.125, "edited-date": 0.125, "edited-name": 0.125,
               "edited-negation": 0.125}
ROLE_ORDER = tuple(ROLE_TARGET)
EDIT_KINDS = ("edited-figure", "edited-date", "edited-name", "edited-negation")
GOLD = {"kept": "corroborated", "edited-figure": "contradicted", "edited-date": "contradicted",
        "edited-name": "contradicted", "edited-negation": "contradicted", "denial": "disputed",
        "left-out": "unverified", "hard-negative": "unverified"}
PHENOMENA = ("kept", *EDIT_KINDS, "denial", "left-out", "hard-negative")

# --- templates (invented outlets and spokespeople) ----------------------------------------------------------

OUTLETS = {
    "en": ("Harbourside Ledger", "Northgate Courier", "Riverton Daily Post", "Eastfield Herald", "Westmoor Gazette",
           "Lakeview Chronicle", "Brackenridge Observer", "Summerlea Times"),
    "fr": ("Le Courrier de Valmont", "La Gazette du Littoral", "L’Écho de Saint-Aubin", "Le Journal des Deux Rives",
           "La Dépêche de Montclair", "Le Veilleur du Nord", "La Tribune des Coteaux", "Le Quotidien de Mérival"),
    "vi": ("Báo Sông Hồng Mới", "Tin tức Ven Biển", "Thời báo Phương Nam", "Nhật báo Đồng Xanh", "Bản tin Cao Nguyên",
           "Báo Bình Minh", "Tạp chí Trường Sơn", "Báo Miền Duyên Hải"),
}
TITLES = {
    "en": ("{outlet}: news in brief", "{outlet}: the latest", "{outlet}: today's report"),
    "fr": ("{outlet} : l’essentiel", "{outlet} : les dernières informations", "{outlet} : le point du jour"),
    "vi": ("{outlet}: tin vắn", "{outlet}: tin mới nhất", "{outlet}: bản tin trong ngày"),
}
LEADS = {
    "en": ("By the {outlet} news desk. Here is what has been reported so far.",
           "From the {outlet} newsroom. This is a summary of what is known at this stage."),
    "fr": ("Par la rédaction de {outlet}. Voici ce que l’on sait à ce stade.",
           "Un résumé de la rédaction de {outlet} sur ce que l’on sait pour l’instant."),
    "vi": ("Theo ban biên tập {outlet}. Dưới đây là những gì được biết cho đến nay.",
           "Tổng hợp của {outlet} về những thông tin đã được biết tới thời điểm này."),
}
DENIERS = {
    "en": ("Daniel Hartley", "Claire Maddox", "Owen Pritchard", "Megan Colfer", "Simon Ashdown", "Laura Kinsella"),
    "fr": ("Julien Mercadier", "Sophie Lantier", "Marc Duvernoy", "Hélène Castagnet", "Pierre Vautrin",
           "Camille Roussel"),
    "vi": ("Ông Trần Quốc Bảo", "Bà Nguyễn Thị Thu Hà", "Ông Lê Minh Khang", "Bà Phạm Ngọc Lan", "Ông Đỗ Văn Hùng",
           "Bà Vũ Thanh Mai"),
}
DENIAL_ORGS = {
    "en": ("the people involved", "the organisation concerned", "the local authorities", "the parties concerned"),
    "fr": ("des personnes concernées", "de l’organisation concernée", "des autorités locales",
           "des parties concernées"),
    "vi": ("các bên liên quan", "tổ chức có liên quan", "chính quyền địa phương", "những người trong cuộc"),
}
DENIAL = {
    "en": "{who}, a spokesperson for {org}, denied that {content}.",
    "fr": "{who}, porte-parole {org}, a démenti l’information selon laquelle {content}.",
    "vi": "{who}, người phát ngôn của {org}, đã bác bỏ thông tin rằng {content}.",
}
# discourse connectives dropped when a sentence becomes the content of a denial ("denied that but ..." is not English)
CONNECTIVES = {
    "en": r"(?:And|But|So|Yet|Still|However|Meanwhile|Instead|Indeed|Also|Now|Then|Even so|In addition|Moreover),?\s+",
    "fr": r"(?:Et|Mais|Or|Donc|Cependant|Toutefois|Pourtant|Néanmoins|En outre|De plus|Par ailleurs|Entre-temps|"
          r"Ainsi|Enfin|Aussi),?\s+",
    "vi": r"(?:Và|Nhưng|Tuy nhiên|Tuy vậy thì|Tuy vậy|Trong khi đó|Cùng lúc đó|Ngoài ra|Thế nhưng|Vì vậy|Do đó|Rồi|"
          r"Song),?\s+",
}
SURNAMES = ("Halvorsen", "Brennick", "Castellane", "Durnford", "Ellery", "Fairbrook", "Garroway", "Ingleby",
            "Jessop", "Kettering", "Lockridge", "Marchetti", "Norcott", "Pellow", "Rainsford", "Stanwick",
            "Thornbury", "Underhill", "Whitcombe", "Ashgrove", "Belcastro", "Corrigan", "Delahaye", "Esterhuizen")

# --- English features (NTREX's English is the source every translation follows) --------------------------

STOP_CAPS = set(
    "The A An In On At It He She They We I This That These Those But And Or Of For To As By With From After Before "
    "When While If His Her Their Its Our My Your There Here What Who Why How Where Which Some Many More Most Also "
    "Now Then So Not No Yes However Meanwhile Although Though Despite During Since Until Because According Even "
    "Every Each All Another Other Both Such Only Just Still Yet Instead Speaking Asked Last Next First Second "
    "Third Last Mr Mrs Ms Dr Sir St Did Do Does Is Are Was Were Will Would Could Should Can May Might Must It's "
    "I'm I've I'll You We're They're He's She's There's That's Let's Well Oh Watch Read More Over Under Up Down "
    "Out About Around Among Against Into Onto Between Through Without Within Once Twice One Two Three Four Five "
    "Six Seven Eight Nine Ten Hundreds Thousands Dozens".split())
WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "vi": ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"),
}
MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
}
CONTENT_STOP = set(
    "the a an of to in on at and or but for with from by as is are was were be been being has have had will would "
    "could should can may might must that this these those it its he she they we i you his her their our my your "
    "there here what who which when where why how not no said says say also than then so if into about after "
    "before over under up down out more most some any all other such only just very do does did".split())
TITLE_WORDS = set("President Prime Minister Mr Mrs Ms Dr Sen Senator Judge Justice Secretary Chancellor General "
                  "Captain Coach Manager Sir Lord Lady Rev Father Officer Sgt Sergeant Detective Inspector Chief "
                  "Governor Rep Representative Congressman Congresswoman Ambassador Professor Prof Dame Queen King "
                  "Prince Princess Pope Lieutenant Colonel Major Vice Deputy Foreign Interior Home Health "
                  "Defence Defense Labour Conservative Democrat Democratic Republican Tory MP AM Chairman "
                  "Speaker Leader Mayor Commissioner Director Superintendent Constable".split())
NONPERSON = set(
    "Party League Cup Court Supreme House White Senate United States Kingdom North South East West New York Korea "
    "Club FC City County Street Road Avenue University College School Hospital Department Ministry Council "
    "Parliament Assembly Committee Commission Agency Office Service Services Police Force Army Navy Air Airlines "
    "Bank Group Company Corporation Inc Ltd News Times Post Herald Journal Magazine Channel Television Radio "
    "Festival Awards Prize Trust Foundation Institute Centre Center Museum Gallery Church Cathedral Islands "
    "Island Sea Ocean River Lake Mountain Mount Bay Valley Park Square Bridge Station Airport Stadium Arena "
    "Republic Union Federation Nations Organisation Organization Association Society Federal State National "
    "International European American British Chinese Indonesian Russian Scottish Welsh Irish English French "
    "German Mexican Spanish Catalan Syrian Turkish Indian Japanese Korean Premier Championship Division Open "
    "Tour Games Olympic World Global Day Week Year Hurricane Storm Tropical Live Saturday Night Show Game "
    "Thrones Reserve Unit Bureau Administration Guard Coast Red Cross Crescent Border Patrol Democrats "
    "Republicans Labour Conservatives Tories Liberal Green Greens Brexit Chequers Front Rapid Vienna Giants Rockies "
    "Stars Nationals Dodgers Tigers Commodores Google Facebook Twitter "
    "Instagram YouTube Apple Amazon Microsoft Act Bill Law Plan Report Review Survey Study".split())


def en_words(text: str) -> list[str]:
    return re.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]*", text)


def en_names(text: str) -> set[str]:
    """Capitalised words of an English sentence that are not sentence-starting function words (possessive dropped)."""
    out = set()
    for token in re.findall(r"[A-Z][\w'’.-]*[a-z]\w*|[A-Z]{2,}", text):
        token = re.sub(r"['’]s$", "", token).strip("'’.")
        if token and token not in STOP_CAPS and token not in TITLE_WORDS and len(token) > 1:
            out.add(token)
    return out


NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+|\d+)(?:[.,](\d+))?(?![\w])")


def digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def en_figures(text: str) -> set[str]:
    """Figures of a sentence as digit strings (separators dropped), without years and without a bare 1."""
    out = set()
    for m in NUMBER.finditer(text):
        d = digits(m.group(0))
        if d == "1" or is_year(m.group(0)):
            continue
        out.add(d)
    return out


def is_year(token: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d", token))


def content_words(text: str) -> set[str]:
    """Content words of an English sentence, cut to five letters (a crude stem: arrest, arrested, arrests)."""
    return {w[:5] for w in {w.lower().strip("'’") for w in en_words(text)} - CONTENT_STOP}


def overlap(a: str, b: str) -> float:
    """Shared content words over the smaller sentence's content words (English)."""
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def shares_name_or_figure(a: str, b: str) -> set[str]:
    return (en_names(a) & en_names(b)) | (en_figures(a) & en_figures(b))


# --- data ----------------------------------------------------------------------------------------------------


@dataclass
class Sentence:
    doc_id: str
    n: int  # sentence_in_doc, 1-based
    text: dict[str, str]  # language -> text

    @property
    def key(self) -> str:
        return f"{self.doc_id}#{self.n}"

    @property
    def headline(self) -> bool:
        return self.n == 1


def seeded(*parts: object) -> random.Random:
    return random.Random(int(hashlib.md5(":".join(map(str, parts)).encode("utf-8")).hexdigest(), 16))


def stable(*parts: object) -> str:
    return hashlib.md5(("xdoc:" + ":".join(map(str, parts))).encode("utf-8")).hexdigest()


def load_documents(split: str, data_dir: Path) -> dict[str, list[Sentence]]:
    docs: dict[str, list[Sentence]] = defaultdict(list)
    with (data_dir / NTREX.format(split=split)).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                docs[row["doc_id"]].append(Sentence(row["doc_id"], row["sentence_in_doc"],
                                                    {lang: row[lang] for lang in LANGS}))
    for sentences in docs.values():
        sentences.sort(key=lambda s: s.n)
    return dict(docs)


def topic_weights(docs: dict[str, list[Sentence]]) -> dict[tuple[str, str], float]:
    """Rarity-weighted shared names of two documents: how much they are about the same story."""
    names = {d: set().union(*(en_names(s.text["en"]) for s in ss)) for d, ss in docs.items()}
    df = Counter(n for ns in names.values() for n in ns)
    ids = sorted(docs)
    out = {}
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            out[(a, b)] = out[(b, a)] = sum(math.log(len(ids) / df[n]) for n in names[a] & names[b])
    return out


def choose_documents(split: str, docs: dict[str, list[Sentence]], weights) -> list[str]:
    """Test: every document. Dev: topic-distinct documents of moderate length, in a fixed hash order."""
    if split == "test":
        return sorted(docs)
    chosen: list[str] = []
    for doc_id in sorted(docs, key=lambda d: stable("pick", d)):
        if not 6 <= len(docs[doc_id]) <= DEV_MAX_SENTENCES:
            continue
        if any(weights[(doc_id, other)] >= DEV_DISTINCT for other in chosen):
            continue
        chosen.append(doc_id)
        if len(chosen) == DEV_DOCUMENTS:
            break
    return sorted(chosen)


def assign_rows(doc_ids: list[str], docs, weights) -> dict[str, int]:
    """Documents to Latin rows: same-story documents apart, sentence counts balanced; greedy, then swaps."""
    cap = math.ceil(len(doc_ids) / len(LATIN_ROWS))
    size = {d: len(docs[d]) for d in doc_ids}
    rows: list[list[str]] = [[] for _ in LATIN_ROWS]
    for d in sorted(doc_ids, key=lambda d: (-size[d], stable("row", d))):
        best = min((i for i in range(len(rows)) if len(rows[i]) < cap),
                   key=lambda i: (conflict(d, rows[i], weights), sum(size[m] for m in rows[i]), i))
        rows[best].append(d)

    def cost() -> float:
        totals = [sum(size[m] for m in r) for r in rows]
        clash = sum(conflict(d, [m for m in r if m != d], weights) for r in rows for d in r) / 2
        return 100 * clash + max(totals) - min(totals)

    improved = True
    while improved:
        improved = False
        current = cost()
        for i, j in ((0, 1), (0, 2), (1, 2)):
            for a in list(rows[i]):
                for b in list(rows[j]):
                    rows[i][rows[i].index(a)], rows[j][rows[j].index(b)] = b, a
                    if cost() < current - 1e-9:
                        improved = True
                        break
                    rows[i][rows[i].index(b)], rows[j][rows[j].index(a)] = a, b
                if improved:
                    break
            if improved:
                break
    return {d: i for i, r in enumerate(rows) for d in r}


def conflict(d: str, members, weights) -> float:
    return sum(weights[(d, m)] for m in members if m != d and weights[(d, m)] >= SAME_STORY)


def assign_directions(split: str, doc_ids: list[str], docs, weights) -> dict[tuple[str, str], list[str]]:
    """Each document in the three directions of its Latin row; on test each also in one more direction outside
    its row (EXTRA_DIRECTION), filling every direction equally, never beside a document of the same story."""
    rows = assign_rows(doc_ids, docs, weights)
    members: dict[tuple[str, str], list[str]] = {d: [] for d in DIRECTIONS}
    for doc_id in doc_ids:
        for direction in LATIN_ROWS[rows[doc_id]]:
            members[direction].append(doc_id)
    if not EXTRA_DIRECTION[split]:
        return {d: sorted(m) for d, m in members.items()}
    slots = math.ceil(len(doc_ids) / len(DIRECTIONS))  # extra documents a direction takes at most
    taken: dict[tuple[str, str], int] = dict.fromkeys(DIRECTIONS, 0)
    for doc_id in sorted(doc_ids, key=lambda d: (rows[d] != 0, -len(docs[d]), stable("extra", d))):
        own = LATIN_ROWS[rows[doc_id]]
        # a document of the same-language row goes to a cross-language direction: one paraphrase set per document
        options = [d for d in DIRECTIONS if d not in own and taken[d] < slots and (rows[doc_id] != 0 or d[0] != d[1])
                   and not conflict(doc_id, members[d], weights)]
        if options:  # a document of a story told in several documents may find none
            best = min(options, key=lambda d: (taken[d], sum(len(docs[m]) for m in members[d]),
                                               DIRECTIONS.index(d)))
            members[best].append(doc_id)
            taken[best] += 1
    return {d: sorted(m) for d, m in members.items()}


# --- edits -----------------------------------------------------------------------------------------------------

FIRST_DIGIT = {"1": "4", "2": "6", "3": "8", "4": "9", "5": "2", "6": "3", "7": "3", "8": "4", "9": "4"}
RANGE = r"-?\s*(?:to|à|á|au|đến|tới)\s*\d|\s*[-–/]\s*\d"
MONTH_AFTER = (r"\s*(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
               r"January|February|March|April|May|June|July|August|September|October|November|December|tháng)\b")
MONTH_BEFORE = (r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|April|June|July|"
                r"August|September|October|November|December|ngày|tháng)\.?\s*$")
TIME_AFTER = r"\s*(?:[ap]\.?m\b|giờ|heures?\b|h\b|h\d|:\d)"


def edit_figure(text: str, en: str) -> str | None:
    """Change the first digit of the first figure that the English sentence also has (not a year, a time, an
    ordinal, a range, a score, a name's number or a bare 1): 35 -> 85, 1,5 million -> 4,5 million. None when there
    is none, or when the sentence gives one quantity twice (a converted unit in brackets)."""
    if re.search(r"\(\s*\d", text):
        return None
    en_digits = {digits(m.group(0)) for m in NUMBER.finditer(en)}
    for m in NUMBER.finditer(text):
        token = m.group(0)
        d = digits(token)
        if d == "1" or d.startswith("0") or is_year(token) or d not in en_digits:
            continue
        before, after = text[: m.start()], text[m.end():]
        if re.match(TIME_AFTER, after, flags=re.IGNORECASE) or re.search(r"\d[:h]$", before[-2:]):
            continue  # a time
        if re.match(RANGE, after) or re.search(r"\d\s*[-–/]\s*$", before):
            continue  # the first end of a range, a score or a fraction
        if re.match(r"\s+[A-Z][a-z]", after):
            continue  # "60 Minutes": part of a name
        if re.match(r"(st|nd|rd|th|e|er|ème|è)\b", after):
            continue  # an ordinal
        if re.match(MONTH_AFTER, after, flags=re.IGNORECASE) or re.search(MONTH_BEFORE, before):
            continue  # a day of the month: a date, not a quantity
        if re.search(r"(thứ|số|hạng|No\.|n°|#)\s*$", before):
            continue  # an ordinal or a number used as a name
        if re.search(r"[A-ZÀ-Ý][\w’'-]*\s$", before) and not re.search(r"(?:[$£€]|US\$)\s*$", before):
            continue  # "Bellator 206", "Ayr 38": a name's number or a score line
        return before + FIRST_DIGIT[token[0]] + token[1:] + after
    return None


VI_WEEKDAY = re.compile(r"\b([Tt]hứ) (Hai|Ba|Tư|Năm|Sáu|Bảy)\b|\b(Chủ [Nn]hật)\b")
VI_DAYS = ("Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy")
EN_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS["en"]) + r")\b")
EN_MONTH = re.compile(r"\b(January|February|March|April|June|July|August|September|October|November|December)\b")


def _en_weekday(en: str) -> int | None:
    """The one weekday an English sentence names as a day (None for none, two, or "The Sunday Telegraph")."""
    found = list(EN_WEEKDAY.finditer(en))
    if len(found) != 1:
        return None
    m = found[0]
    if re.search(r"\bThe\s+$", en[: m.start()]) or re.match(r"['’]?s?\s+(?!" + EN_MONTH.pattern[2:-2] + r")[A-Z]",
                                                            en[m.end():]):
        return None
    return WEEKDAYS["en"].index(m.group(1))


def _en_month(en: str) -> int | None:
    found = list(EN_MONTH.finditer(en))
    return MONTHS["en"].index(found[0].group(1)) if len(found) == 1 else None


def _fr_elide(before: str, word: str) -> str:
    """'de' + 'avril' -> 'd’avril', 'd’' + 'mars' -> 'de mars'."""
    if word[0] in "aeiouéèâàîôûAEIOUÉ" and re.search(r"\bde $", before):
        return before[:-3] + "d’"
    if word[0] not in "aeiouéèâàîôûAEIOUÉ" and re.search(r"\bd[’']$", before):
        return before[:-2] + "de "
    return before


def edit_date(text: str, lang: str, en: str) -> str | None:
    """Move the sentence's weekday by three days, else its month by five, else its year by three, when the English
    sentence names the same one (once). None when there is none."""
    day = _en_weekday(en)
    if day is not None:
        new = (day + 3) % 7
        if lang == "en":
            m = re.search(r"\b" + WEEKDAYS["en"][day] + r"\b", text)
            if m:
                return text[: m.start()] + WEEKDAYS["en"][new] + text[m.end():]
        elif lang == "fr":
            found = list(re.finditer(r"\b(" + WEEKDAYS["fr"][day] + r")\b", text, flags=re.IGNORECASE))
            if len(found) == 1:
                m = found[0]
                word = WEEKDAYS["fr"][new]
                word = word.capitalize() if m.group(1)[0].isupper() else word
                return text[: m.start()] + word + text[m.end():]
        else:
            found = [m for m in VI_WEEKDAY.finditer(text) if (6 if m.group(3) else VI_DAYS.index(m.group(2))) == day]
            if len(found) == 1:
                m = found[0]
                capital = (m.group(1) or m.group(3))[0].isupper()
                word = "Chủ nhật" if new == 6 else f"thứ {VI_DAYS[new]}"
                word = word[0].upper() + word[1:] if capital else word
                return text[: m.start()] + word + text[m.end():]
    month = _en_month(en)
    if month is not None:
        new = (month + 5) % 12
        if lang in MONTHS:
            flags = 0 if lang == "en" else re.IGNORECASE
            found = list(re.finditer(r"\b(" + MONTHS[lang][month] + r")\b", text, flags=flags))
            if len(found) == 1 and not (lang == "fr" and month == 4 and found[0].group(1) != "mai"):
                m = found[0]
                word = MONTHS[lang][new]
                word = word.capitalize() if m.group(1)[0].isupper() else word
                before = _fr_elide(text[: m.start()], word) if lang == "fr" else text[: m.start()]
                return before + word + text[m.end():]
        else:
            found = list(re.finditer(r"\b([Tt]háng) (" + str(month + 1) + r")\b", text))
            if len(found) == 1:
                m = found[0]
                return text[: m.start(2)] + str(new + 1) + text[m.end(2):]
    for m in re.finditer(r"(?<!\d)((?:19|20)\d\d)(?!\d|['’]?s\b)", text):
        if re.search(r"(années|những năm|thập niên|thập kỷ)\s*$", text[: m.start()]):
            continue  # a decade
        if m.group(1) in en and not re.search(m.group(1) + r"['’]?s\b", en):
            year = str(int(m.group(1)) - 3)
            return text[: m.start(1)] + year + text[m.end(1):]
    return None


PERSON_ROLES = (r"president|coach|manager|striker|midfielder|forward|defender|goalkeeper|linebacker|quarterback|"
                r"player|professor|spokesman|spokeswoman|spokesperson|director|minister|senator|judge|secretary|"
                r"chairman|chairwoman|leader|star|actor|actress|singer|rapper|officer|captain|author|writer|"
                r"analyst|lawyer|attorney|mother|father|son|daughter|wife|husband|suspect|victim|chief|founder|"
                r"designer|teacher|student|doctor|colleague|rival|boss|champion|winner|host|presenter|Mr|Mrs|Ms|"
                r"Dr|Sir|Dame|Prof|Sen|Rep|Gov")
SPEECH = (r"said|says|say|told|tells|added|adds|explained|wrote|writes|tweeted|insisted|argued|claimed|stated|"
          r"announced|noted|reported|according to|asked|replied|recalled|warned|admitted|acknowledged|confirmed|"
          r"denied|denies|dismissed|dismisses|branded|brands|called|calls|described|describes|vowed|vows|claims|"
          r"insists|tweeted")


def person_surnames(doc: list[Sentence]) -> set[str]:
    """Last words of names the document's English treats as people: two or three capitalised words (after any
    title) with none of them an organisation, place or function word, and the surname seen with a person cue
    (a title or role noun before it, a speech verb after it, an age in commas)."""
    candidates: dict[str, str] = {}
    text = " ".join(s.text["en"] for s in doc)
    for m in re.finditer(r"(?:[A-Z][a-z’'A-Z.-]+ ){1,4}[A-Z][a-z’']+(?:-[A-Z][a-z’']+)*", text):
        words = [re.sub(r"['’]s$", "", w) for w in m.group(0).split()]
        while words and (words[0] in STOP_CAPS or words[0].strip(".") in TITLE_WORDS):
            words = words[1:]
        if 2 <= len(words) <= 3 and not any(w in NONPERSON or w in STOP_CAPS or w.strip(".") in TITLE_WORDS
                                            for w in words):
            candidates[words[-1]] = " ".join(words)
    out = set()
    for surname, full in candidates.items():
        s, f = re.escape(surname), re.escape(full)
        if re.search(rf"\b[Tt]he (?:\w+ )?{s}\b", text):
            continue  # "the Giants", "the Colorado Rockies": a team or a group, not a person
        cues = (rf"\b(?:{PERSON_ROLES})\.? (?:{f}|{s})\b", rf"\b(?:{f}|{s})(?:['’]s)? (?:{SPEECH})\b",
                rf"\b(?:{SPEECH}) (?:{f}|{s})\b", rf"\b(?:{f}|{s}), (?:aged )?\d+,")
        if any(re.search(cue, text) for cue in cues):
            out.add(surname)
    return out


def is_speaker(name: str, en: str) -> bool:
    """The name only says who spoke: changing it does not change what is claimed (the content is checked)."""
    n = re.escape(name)
    return bool(re.search(rf"\b{n}\b(?:['’]s)?(?:,[^;:]{{0,200}}?)?\s+(?:\w+\s+)?(?:{SPEECH})\b", en)
                or re.search(rf"\b(?:{SPEECH})\s+(?:[A-Z][\w.’'-]*\s+){{0,4}}{n}\b", en)
                or re.search(rf"\b(?:{SPEECH})\s+(?:\w+\s+){{0,2}}{n}\b", en))


def edit_name(text: str, en: str, surnames: set[str], key: str, taken: str) -> str | None:
    """Replace a person's surname (one the English sentence has too, not as the speaker) with an invented one,
    everywhere in the sentence. None when the sentence names nobody else."""
    for m in re.finditer(r"\b[A-Z][a-z’']+(?:-[A-Z][a-z’']+)*\b", text):
        word = re.sub(r"['’]s$", "", m.group(0))
        if word in surnames and re.search(r"\b" + re.escape(word) + r"\b", en) and not is_speaker(word, en):
            rng = seeded("surname", key)
            options = [s for s in SURNAMES if s not in taken]
            new = options[rng.randrange(len(options))]
            return re.sub(r"\b" + re.escape(word) + r"\b", new, text)
    return None


SPEECH_EN = (r"(said|says|told|stated|announced|added|claimed|insisted|argued|reported|explained|noted|wrote|tweeted|"
             r"warned|joked)")
EN_NEGATED = re.compile(r"\b(did|does|do|is|are|was|were|has|have|had|will|would|could|can|should|must)"
                        r"( not\b|n[’']t\b)|\b(won[’']t|can[’']t|cannot)\b")
EN_AUX = re.compile(r"\b(is|are|was|were|will|would|could|can|should|must|has|have|had)\b (?!not\b|been said)(\w+)")


def edit_negation_en(text: str) -> str | None:
    m = EN_NEGATED.search(text)
    if m:
        if m.group(3):
            word = {"won": "will", "can": "can", "cannot": "can"}[re.split(r"[’']", m.group(3))[0].lower()]
            if m.group(3)[0].isupper():
                word = word.capitalize()
            return text[: m.start()] + word + text[m.end():]
        return text[: m.end(1)] + text[m.end():]
    for m in EN_AUX.finditer(text):
        aux, nxt = m.group(1), m.group(2)
        if re.fullmatch(SPEECH_EN, nxt):
            continue
        if aux in ("has", "have", "had") and not re.fullmatch(r"\w+(ed|en|wn|ne|ht|ut|un|id|ft|ld|ck|ng)|been|"
                                                              r"made|said|left|lost|won|met|held|set|put|got", nxt):
            continue
        if (re.search(r"\b(who|which|that|if|whether|when|what|[Nn]obody|[Nn]o one|[Nn]one|[Nn]othing|than)\s+$",
                      text[: m.start()][-12:])
                or re.search(r"\b(if|whether|when|because|since|although|though|while|unless)\s+(?:\S+\s+){0,3}$",
                             text[: m.start()])):
            continue  # inside a relative, conditional or other subordinate clause, not the sentence's assertion
        neg = "cannot" if aux == "can" else f"{aux} not"
        return text[: m.start(1)] + neg + text[m.end(1):]
    return None


FR_NEGATED = re.compile(r"\b(ne |n[’'])([^ ]+(?: [^ ]+)?)( pas)\b")
FR_VERBS = ("est", "sont", "était", "étaient", "sera", "seront", "a", "ont", "avait", "avaient", "aura", "auront",
            "va", "vont", "peut", "peuvent", "pourrait", "pourraient", "doit", "doivent", "devrait", "devraient")
FR_AUX = re.compile(r"(?<![’'\w-])(" + "|".join(FR_VERBS) + r")\b (?!pas\b)(\S+)")


def edit_negation_fr(text: str) -> str | None:
    m = FR_NEGATED.search(text)
    if m and not re.search(r"\b(que|qu[’'])\s*$", text[: m.start()]):
        return text[: m.start()] + m.group(2) + text[m.end():]
    for m in FR_AUX.finditer(text):
        before = text[: m.start()]
        if re.search(r"(?:\b(?:l|s|m|t|y|en|se|le|la|les|lui|leur|y)[’' ]|\b(?:qui|que|qu[’']|si|dont|s[’']ils?))\s*$",
                     before[-10:]):
            continue  # an object pronoun to move, or a subordinate clause
        if re.search(r"(?:^|\b)(?:[Ss]i|[Ss][’']ils?|[Dd]epuis que|[Ll]orsque|[Qq]uand|[Bb]ien que|[Pp]arce que|"
                     r"[Cc]omme|[Dd]u fait que|[Tt]andis que)\s+(?:\S+\s+){0,3}$", before):
            continue  # a subordinate clause a few words back
        if re.match(r"\s+(?:(?:également|aussi|déjà|encore|ensuite|toujours|ainsi)\s+)?(?:déclaré|affirmé|indiqué|"
                    r"annoncé|précisé|ajouté|expliqué|dit|souligné|estimé|écrit|confié|rapporté|assuré|averti|prévenu|"
                    r"signalé|raconté|répondu|reconnu|admis|qualifié|démenti|nié)\b", text[m.end(1):]):
            continue  # the speech act, not what was said
        verb = m.group(1)
        neg = ("n’" if verb[0] in "aeéiou" else "ne ") + verb + " pas"
        rest = re.sub(r"^ (également|aussi)\b", "", text[m.end(1):])  # "n'a pas également" is not French
        return text[: m.start(1)] + neg + rest
    return None


VI_SPEECH = r"(cho biết|nói|tuyên bố|phát biểu|khẳng định|nhấn mạnh|chia sẻ|viết|thông báo|tiết lộ|cho hay|kể|cảnh báo)"


def edit_negation_vi(text: str) -> str | None:
    for pattern, repl in ((r"\bkhông thể\b", "có thể"), (r"\bđã không\b", "đã"), (r"\bsẽ không\b", "sẽ")):
        m = re.search(pattern, text)
        if m:
            return text[: m.start()] + repl + text[m.end():]
    for m in re.finditer(r"\b(đã|sẽ|có thể)\b (?!không\b)", text):
        if re.match(VI_SPEECH, text[m.end():]):
            continue
        if re.search(r"\b(mà|nếu|khi|vì|để)\s+(?:\S+\s+){0,2}$", text[: m.start()]):
            continue  # a relative or subordinate clause
        word = m.group(1)
        if word == "có thể" and text[m.end():].startswith("sẽ "):
            continue  # "có thể sẽ" (is likely to): "might not" would not contradict it
        neg = "không thể" if word == "có thể" else f"{word} không"
        return text[: m.start()] + neg + text[m.end() - 1:]
    return None


def edit_negation(text: str, lang: str) -> str | None:
    return {"en": edit_negation_en, "fr": edit_negation_fr, "vi": edit_negation_vi}[lang](text)


def word_cases(texts: list[str]) -> Counter[str]:
    """How often each word is written lower-case (key 'w') or capitalised (key 'W') when it does not start a
    sentence: whether a sentence's first word is a common word or a name."""
    counts: Counter[str] = Counter()
    for text in texts:
        for word in re.findall(r"(?<=\s)[^\W\d_][\w’'-]*", text):
            counts[word] += 1
    return counts


def denial_content(text: str, lang: str, cases: Counter[str]) -> str:
    """A sentence as the content of a denial: final punctuation and a leading connective off, and the first word
    lower-cased when the language writes it lower-case mid-sentence more often than capitalised (not a name)."""
    content = re.sub(r"[.!]+$", "", text.strip())
    content = re.sub(r"^" + CONNECTIVES[lang], "", content)
    if re.match(r"(?:L|D|Qu|S|N|J|C)[’']", content):
        return content[0].lower() + content[1:]  # an elided article or pronoun
    first = re.match(r"[^\W\d_][\w-]*", content)
    if first and not first.group(0).isupper():
        word = first.group(0)
        if cases[word.lower()] > cases[word] or (len(word) == 1 and word in "AÀ"):
            content = content[0].lower() + content[1:]
    return content


def reportable(s: Sentence) -> bool:
    """A sentence a report can carry and a checker can decide: a statement of fact with a name, a figure or a date,
    not a question, not first or second person (quotations of opinion), at least six words."""
    en = s.text["en"].strip()
    if re.search(r"\?\W*$", en) or len(en.split()) < 6:
        return False
    if re.search(r"\b(I|we|We|my|My|our|Our|me|us|you|You|your|Your)\b", en):
        return False
    return bool(en_names(en) or en_figures(en) or _en_weekday(en) is not None or _en_month(en) is not None
                or re.search(r"\b(19|20)\d\d\b", en))


def denial_ok(s: Sentence, lang: str) -> bool:
    """A sentence a named party can be said to deny: not the headline, not a quotation (in English or in the
    report's language)."""
    en = s.text["en"].strip()
    return (not s.headline and en[0] not in "\"'“‘" and not re.search(r"[\"“”]", en)
            and not re.search(r"[\"“”«»]", s.text[lang]))


# --- building ----------------------------------------------------------------------------------------------


@dataclass
class Overrides:
    paraphrases: dict[tuple[str, str, int, str], str]
    # (split, direction "en-fr", doc_id, n) -> {kind: row}; a row has the edited "text", or "skip": true
    edits: dict[tuple[str, str, str, int], dict[str, dict]]

    @classmethod
    def load(cls, here: Path = HERE) -> Overrides:
        para, edits = {}, {}
        for path, target in ((here / "paraphrases.jsonl", para), (here / "edits.jsonl", edits)):
            if not path.exists():
                continue
            for line in path.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                row = json.loads(line)
                if target is para:
                    para[(row["split"], row["doc_id"], row["sentence_in_doc"], row["lang"])] = row["text"]
                else:
                    key = (row["split"], row["direction"], row["doc_id"], row["sentence_in_doc"])
                    edits.setdefault(key, {})[row["kind"]] = row
        return cls(para, edits)


@dataclass
class Problems:
    missing_paraphrases: list[dict] = field(default_factory=list)
    failed_edits: list[dict] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.missing_paraphrases or self.failed_edits)


@dataclass
class ReportSentence:
    sentence: Sentence
    role: str
    text: str


def edit_for(kind: str, text: str, lang: str, s: Sentence, surnames: set[str], key: str, doc_text: str) -> str | None:
    if kind == "edited-figure":
        return edit_figure(text, s.text["en"])
    if kind == "edited-date":
        return edit_date(text, lang, s.text["en"])
    if kind == "edited-name":
        return edit_name(text, s.text["en"], surnames, key, doc_text)
    return edit_negation(text, lang)


def eligible_roles(s: Sentence, direction: tuple[str, str], split: str, surnames: set[str], overrides: Overrides,
                   doc_text: str) -> list[str]:
    """Roles a sentence can take in a report in `lang`, judged on the professional translation (so that a
    same-language paraphrase never changes the plan) and on the reviewed overrides."""
    roles = ["kept"]
    lang = direction[1]
    hand = overrides.edits.get((split, "-".join(direction), s.doc_id, s.n), {})
    for kind in EDIT_KINDS:
        row = hand.get(kind)
        if row is not None:
            if not row.get("skip"):
                roles.append(kind)
        elif edit_for(kind, s.text[lang], lang, s, surnames, s.key, doc_text) is not None:
            roles.append(kind)
    if denial_ok(s, lang):
        roles.append("denial")
    return roles


def pick_report(split: str, direction: tuple[str, str], doc: list[Sentence]) -> list[Sentence]:
    """At most 40% (and MAX_REPORT) of the sentences, among the reportable ones, drawn with weights favouring
    dates and figures."""
    pool = [s for s in doc if reportable(s)]
    n_report = min(len(pool), max(1, min(MAX_REPORT, math.floor(MAX_REPORT_SHARE * len(doc)))))
    rng = seeded("pick", split, *direction, doc[0].doc_id)
    chosen = []
    while len(chosen) < n_report:
        weights = [1 + 2 * bool(_en_weekday(s.text["en"]) is not None or _en_month(s.text["en"]) is not None)
                   + bool(en_figures(s.text["en"])) + 0.5 * bool(en_names(s.text["en"])) for s in pool]
        pick = rng.choices(range(len(pool)), weights=weights)[0]
        chosen.append(pool.pop(pick))
    return chosen


def base_text(split: str, direction: tuple[str, str], s: Sentence, overrides: Overrides,
              problems: Problems) -> str | None:
    """What the report says before any change: the professional translation, or a hand-written paraphrase when the
    report is in the original's language."""
    src, dst = direction
    if src != dst:
        return s.text[dst]
    text = overrides.paraphrases.get((split, s.doc_id, s.n, dst))
    if text is None:
        problems.missing_paraphrases.append({"split": split, "doc_id": s.doc_id, "sentence_in_doc": s.n, "lang": dst,
                                             "source": s.text[dst]})
    return text


def paragraphs(sentences: list[str]) -> str:
    return "\n\n".join(" ".join(sentences[i : i + SENTENCES_PER_PARAGRAPH])
                       for i in range(0, len(sentences), SENTENCES_PER_PARAGRAPH))


def original_text(doc: list[Sentence], lang: str) -> str:
    """The headline on its own line, then the sentences two to a paragraph."""
    return doc[0].text[lang] + "\n\n" + paragraphs([s.text[lang] for s in doc[1:]])


def build_split(split: str, data_dir: Path, overrides: Overrides, problems: Problems, review: list[str] | None = None
                ) -> tuple[list[dict], list[dict]]:
    """The corpora and labelled claims of one split."""
    docs = load_documents(split, data_dir)
    weights = topic_weights(docs)
    doc_ids = choose_documents(split, docs, weights)
    members = assign_directions(split, doc_ids, docs, weights)
    cases = {lang: word_cases([s.text[lang] for ss in docs.values() for s in ss]) for lang in LANGS}
    corpora, claims = [], []
    for direction in DIRECTIONS:
        src, dst = direction
        counts: Counter[str] = Counter()
        for doc_id in members[direction]:
            doc = docs[doc_id]
            pair = f"xdoc-{split}-{src}-{dst}-{doc_id}"
            surnames = person_surnames(doc)
            all_text = " ".join(s.text[lang] for s in doc for lang in LANGS)
            chosen = pick_report(split, direction, doc)
            report: list[ReportSentence] = []
            for s in chosen:
                roles = eligible_roles(s, direction, split, surnames, overrides, all_text)
                if not any(r.role == "kept" for r in report) and len(chosen) > 1 and s is chosen[-1]:
                    roles = ["kept"]  # every report keeps one sentence as it is
                total = sum(counts.values()) + 1
                role = max(roles, key=lambda r: (ROLE_TARGET[r] * total - counts[r], -ROLE_ORDER.index(r)))
                counts[role] += 1
                base = base_text(split, direction, s, overrides, problems)
                if base is None:
                    report.append(ReportSentence(s, role, s.text[dst]))
                    continue
                text = base
                if role in EDIT_KINDS:
                    hand = overrides.edits.get((split, f"{src}-{dst}", s.doc_id, s.n), {}).get(role)
                    text = hand["text"] if hand else edit_for(role, base, dst, s, surnames, s.key, all_text)
                    if text is None or text == base:
                        problems.failed_edits.append({"split": split, "direction": f"{src}-{dst}", "doc_id": doc_id,
                                                      "sentence_in_doc": s.n, "lang": dst, "kind": role,
                                                      "base": base})
                        text = base + " [EDIT FAILED]"
                elif role == "denial":
                    rng = seeded("denial", split, *direction, s.key)
                    text = DENIAL[dst].format(who=rng.choice(DENIERS[dst]), org=rng.choice(DENIAL_ORGS[dst]),
                                              content=denial_content(base, dst, cases[dst]))
                report.append(ReportSentence(s, role, text))
            outlet_rng = seeded("outlet", split, *direction, doc_id)
            outlet = outlet_rng.choice(OUTLETS[dst])
            head = next((r for r in report if r.sentence.headline), None)
            body = sorted((r for r in report if r is not head), key=lambda r: r.sentence.n)
            if len(body) >= 3:  # light reordering: one adjacent pair swapped
                i = outlet_rng.randrange(len(body) - 1)
                body[i], body[i + 1] = body[i + 1], body[i]
            title = head.text if head else outlet_rng.choice(TITLES[dst]).format(outlet=outlet)
            lead = outlet_rng.choice(LEADS[dst]).format(outlet=outlet)
            report_text = title + "\n\n" + lead + "\n\n" + paragraphs([r.text for r in body])
            orig_text = original_text(doc, src)
            original_id, report_id = f"{pair}-original", f"{pair}-report"
            corpora.append({"id": original_id, "split": split, "direction": f"{src}-{dst}", "pair": pair,
                            "role": "original", "language": src, "title": doc[0].text[src],
                            "source": f"ntrex:{doc_id}:{src}", "text": orig_text})
            corpora.append({"id": report_id, "split": split, "direction": f"{src}-{dst}", "pair": pair,
                            "role": "report", "language": dst, "title": title, "source": outlet,
                            "text": report_text})

            def label(document: str, text: str, side: str, s: Sentence, quote: str, phenomenon: str) -> None:
                if text.count(quote) != 1:
                    return  # a quote must find its place unambiguously
                claims.append({"id": f"{pair}-{side}-{s.n}", "split": split, "direction": f"{src}-{dst}",
                               "pair": pair, "document": document, "quote": quote, "gold": GOLD[phenomenon],
                               "phenomenon": phenomenon, "side": side, "source_sentence": s.key})

            in_report = {r.sentence.n: r for r in report}
            kept_en = [r.sentence.text["en"] for r in report if r.role == "kept"]
            report_en = [r.sentence.text["en"] for r in report]
            for s in doc:
                r = in_report.get(s.n)
                if r is not None:
                    label(original_id, orig_text, "original", s, s.text[src], r.role)
                    continue
                en = s.text["en"]
                if any(overlap(en, other) >= RESTATES and len(content_words(en) & content_words(other)) >= 3
                       for other in report_en):
                    continue  # it may restate a sentence the report carries: no safe label
                shared = [(k, shares_name_or_figure(en, k)) for k in kept_en]
                hard = [(k, what) for k, what in shared if what and overlap(en, k) < HARD_NEGATIVE_MAX_OVERLAP]
                phenomenon = "hard-negative" if hard else "left-out"
                label(original_id, orig_text, "original", s, s.text[src], phenomenon)
                if hard and review is not None:
                    review.append(f"HARD {split} {src}-{dst} {s.key} shares {sorted(hard[0][1])}\n  L: {en}\n"
                                  f"  K: {hard[0][0]}")
            for r in report:
                label(report_id, report_text, "report", r.sentence, r.text, r.role)
                if review is not None and r.role != "kept":
                    review.append(f"{r.role.upper()} {split} {src}-{dst} {r.sentence.key}\n"
                                  f"  B: {base_text(split, direction, r.sentence, overrides, Problems()) or ''}\n"
                                  f"  E: {r.text}")
    return corpora, claims


def tables(claims: list[dict]) -> str:
    """Markdown tables of claims per direction x gold and per direction x phenomenon."""
    splits = sorted({c["split"] for c in claims}, key=lambda s: ("test", "dev").index(s))
    out = []
    for split in splits:
        rows = [c for c in claims if c["split"] == split]
        docs = {c["pair"] for c in rows}
        out.append(f"**{split}**: {len(rows)} claims, {len(docs)} original/report pairs, "
                   f"{len({p.split('-', 4)[4] for p in docs})} documents\n")
        cols = list(PHENOMENA)
        out.append("| direction | pairs | claims | " + " | ".join(cols) + " | corroborated | contradicted | disputed |"
                   " unverified |")
        out.append("|---" * (len(cols) + 7) + "|")
        for src, dst in DIRECTIONS:
            d = [c for c in rows if c["direction"] == f"{src}-{dst}"]
            ph, gold = Counter(c["phenomenon"] for c in d), Counter(c["gold"] for c in d)
            out.append(f"| {src}-{dst} | {len({c['pair'] for c in d})} | {len(d)} | "
                       + " | ".join(str(ph[p]) for p in cols) + " | "
                       + " | ".join(str(gold[g]) for g in ("corroborated", "contradicted", "disputed", "unverified"))
                       + " |")
        ph, gold = Counter(c["phenomenon"] for c in rows), Counter(c["gold"] for c in rows)
        out.append(f"| all | {len(docs)} | {len(rows)} | " + " | ".join(str(ph[p]) for p in cols) + " | "
                   + " | ".join(str(gold[g]) for g in ("corroborated", "contradicted", "disputed", "unverified"))
                   + " |\n")
    return "\n".join(out)


def build(data_dir: Path = DEFAULT_DATA_DIR, overrides: Overrides | None = None,
          review: list[str] | None = None) -> tuple[dict[str, tuple[list[dict], list[dict]]], Problems]:
    """Both splits: {split: (corpora, claims)} and what is missing."""
    overrides = overrides or Overrides.load()
    problems = Problems()
    return {split: build_split(split, data_dir, overrides, problems, review) for split in ("dev", "test")}, problems


def write(built: dict[str, tuple[list[dict], list[dict]]], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for split, (corpora, claims) in built.items():
        for name, items in ((f"{split}.corpora.jsonl", corpora), (f"{split}.jsonl", claims)):
            (out_dir / name).write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items),
                                        encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--out", type=Path, default=HERE, help="where the four files go (default: beside this file)")
    parser.add_argument("--check", action="store_true", help="list missing paraphrases and failed edits")
    parser.add_argument("--review", type=Path, help="write every edit, denial and hard negative to this file")
    args = parser.parse_args(argv)
    review: list[str] | None = [] if args.review else None
    built, problems = build(args.data_dir, review=review)
    if review is not None:
        args.review.write_text("\n".join(review) + "\n", encoding="utf-8")
    if problems:
        for row in problems.missing_paraphrases:
            print("PARAPHRASE", json.dumps(row, ensure_ascii=False))
        for row in problems.failed_edits:
            print("EDIT", json.dumps(row, ensure_ascii=False))
        print(f"{len(problems.missing_paraphrases)} paraphrases missing, {len(problems.failed_edits)} edits failed",
              file=sys.stderr)
        if not args.check:
            return 1
    if args.check:
        print(tables([c for _, claims in built.values() for c in claims]))
        return 0 if not problems else 1
    write(built, args.out)
    print(tables([c for _, claims in built.values() for c in claims]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
