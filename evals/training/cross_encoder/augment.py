"""Training-only pair generators added in round 2 (data.py's `controlled_edit` stays the evaluation protocol).

- Unit conversions: a quantity restated in the other measurement system ("2 to 4 inches" -> "5 to 10 cm")
  keeps the label; the same quantity converted wrongly (a clear factor off, or the number kept with the other
  unit: "300 km" -> "300 miles") is a refutes pair. In English, French and Vietnamese surface forms.
- Contrastive refutes from fact-verification and NLI pairs: a SUPPORTS pair's claim with a figure or month
  that the evidence also states changed, or its main assertion negated / its negation removed -> refutes
  against the same evidence.
- Date edits on both sides of a translation pair (the same month/weekday swapped in both languages) -> supports,
  so a date that differs from the "usual" one is not read as a refutation by itself.
"""

from __future__ import annotations

import random
import re

from evals.training.cross_encoder import data as data_mod

# unit families: (imperial forms, metric forms, metric per imperial unit); forms per language, first = output form
UNITS = [
    ({"en": ["miles", "mile"], "fr": ["milles", "miles", "mille"], "vi": ["dặm"]},
     {"en": ["km", "kilometres", "kilometers", "kilometre", "kilometer"], "fr": ["km", "kilomètres", "kilomètre"],
      "vi": ["km", "ki-lô-mét", "cây số"]}, 1.609344),
    ({"en": ["feet", "foot", "ft"], "fr": ["pieds", "pied"], "vi": ["feet", "bộ"]},
     {"en": ["metres", "meters", "metre", "meter"], "fr": ["mètres", "mètre"], "vi": ["mét"]}, 0.3048),
    ({"en": ["inches", "inch"], "fr": ["pouces", "pouce"], "vi": ["inch"]},
     {"en": ["cm", "centimetres", "centimeters"], "fr": ["cm", "centimètres"], "vi": ["cm", "xen-ti-mét"]}, 2.54),
    ({"en": ["pounds", "pound", "lbs", "lb"], "fr": ["livres", "livre"], "vi": ["pound", "pao"]},
     {"en": ["kg", "kilograms", "kilogrammes", "kilos"], "fr": ["kg", "kilogrammes", "kilos"],
      "vi": ["kg", "ki-lô-gam", "cân"]}, 0.45359237),
    ({"en": ["mph", "miles per hour"], "fr": ["mph", "miles par heure"], "vi": ["dặm/giờ", "mph"]},
     {"en": ["km/h", "kilometres per hour"], "fr": ["km/h", "kilomètres par heure"], "vi": ["km/h", "km/giờ"]},
     1.609344),
    ({"en": ["gallons", "gallon"], "fr": ["gallons", "gallon"], "vi": ["gallon", "ga-lông"]},
     {"en": ["litres", "liters", "litre", "liter"], "fr": ["litres", "litre"], "vi": ["lít"]}, 3.785411784),
    ({"en": ["acres", "acre"], "fr": ["acres", "acre"], "vi": ["mẫu Anh"]},
     {"en": ["hectares", "hectare"], "fr": ["hectares", "hectare"], "vi": ["héc-ta"]}, 0.40468564),
]
_RANGE_WORDS = {"en": ["to", "and", "-", "–", "or"], "fr": ["à", "et", "-", "–", "ou"], "vi": ["đến", "tới", "-", "–", "và"]}
_NUM = r"\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?"


def _parse(raw: str, lang: str) -> float | None:
    s = raw.replace("\u00a0", " ").replace("\u202f", " ")
    if lang == "en":
        s = s.replace(",", "").replace(" ", "")
    else:  # fr / vi: decimal comma, thousands by space (fr) or dot (vi)
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", s):
            s = s.replace(".", "")
        s = s.replace(" ", "").replace(".", "").replace(",", ".") if lang == "vi" else s.replace(" ", "").replace(",", ".")
    try:
        return float(s)
    except ValueError:
        return None


def _fmt(value: float, lang: str) -> str:
    """A converted figure rounded as a translator would: whole numbers, or one decimal under 10."""
    if value < 10 and abs(value - round(value)) >= 0.25:
        text = f"{value:.1f}"
    elif value < 100:
        text = str(int(round(value)))
    else:
        digits = len(str(int(value)))
        text = str(int(round(value, -(digits - 2))))  # two significant figures
    if lang != "en":
        text = text.replace(".", ",")
    if len(text) > 3 and "," not in text and "." not in text:
        sep = {"en": ",", "fr": "\u202f", "vi": "."}[lang]
        head = len(text) % 3 or 3
        text = text[:head] + "".join(sep + text[i:i + 3] for i in range(head, len(text), 3))
    return text


def _unit_pattern(lang: str) -> re.Pattern:
    forms = sorted({f for imp, met, _ in UNITS for side in (imp, met) for f in side[lang]}, key=len, reverse=True)
    joiners = "|".join(re.escape(w) for w in _RANGE_WORDS[lang])
    return re.compile(rf"(?<![\w.,])({_NUM})(?:\s*({joiners})\s*({_NUM}))?\s*({'|'.join(re.escape(f) for f in forms)})(?![\w/])")


_PATTERNS = {lang: _unit_pattern(lang) for lang in data_mod.LANGS}


def _family(unit: str, lang: str) -> tuple[int, bool] | None:
    for i, (imp, met, _) in enumerate(UNITS):
        if unit in imp[lang]:
            return i, True
        if unit in met[lang]:
            return i, False
    return None


def unit_quantities(text: str, lang: str) -> list[re.Match]:
    return [m for m in _PATTERNS[lang].finditer(text) if _family(m.group(4), lang) and _parse(m.group(1), lang)]


def convert_units(text: str, lang: str, rng: random.Random, wrong: bool = False) -> str | None:
    """One quantity with a unit restated in the other system (or, when `wrong`, restated wrongly)."""
    matches = unit_quantities(text, lang)
    if not matches:
        return None
    m = rng.choice(matches)
    family, imperial = _family(m.group(4), lang)
    imp, met, factor = UNITS[family]
    ratio = factor if imperial else 1 / factor
    new_unit = (met if imperial else imp)[lang][0]
    if wrong:
        ratio = 1.0 if rng.random() < 0.4 else ratio * rng.choice([0.4, 0.5, 2.0, 2.5, 3.0])
    values = [_parse(m.group(1), lang)] + ([_parse(m.group(3), lang)] if m.group(3) else [])
    if any(v is None for v in values):
        return None
    new_values = [_fmt(v * ratio, lang) for v in values]
    if wrong and ratio == 1.0:
        new_values = [m.group(1)] + ([m.group(3)] if m.group(3) else [])
    quantity = new_values[0] + (f" {m.group(2)} {new_values[1]}" if m.group(3) else "") + " " + new_unit
    new = text[:m.start()] + quantity + text[m.end():]
    if not wrong and [_parse(x, lang) for x in new_values] == values:
        return None  # rounding left the figure unchanged: not a conversion
    return new


def unit_pairs_ntrex(docs: dict[str, list[dict]], seed: int, per_quantity: tuple[float, float] = (3.0, 2.0)) -> list:
    """NTREX sentences holding a quantity with a unit: its converted restatement (supports) and a wrong
    conversion (refutes), the claim in the sentence's language, the evidence in any language."""
    out = []
    for doc_id, rows in docs.items():
        for row in rows:
            rng = data_mod._rng(seed, f"units:{doc_id}:{row['sentence_in_doc']}")
            for b in data_mod.LANGS:
                if not unit_quantities(row[b], b):
                    continue
                for label, n, wrong in (("supports", per_quantity[0], False), ("refutes", per_quantity[1], True)):
                    for _ in range(int(n) + (1 if rng.random() < n - int(n) else 0)):
                        a = rng.choice(data_mod.LANGS)
                        claim = convert_units(row[b], b, rng, wrong)
                        if claim:
                            kind = "edit:unit" if wrong else "unit-converted"
                            out.append(data_mod.Pair(claim, row[a], label, "ntrex", kind, "nt" + doc_id, f"{a}-{b}"))
    return out


def unit_pairs_facts(pairs: list, seed: int) -> list:
    """Fact-verification / NLI pairs with a unit quantity: the quantity converted on the side that holds it
    keeps the label; a supports pair's claim converted wrongly becomes refutes."""
    out = []
    for p in pairs:
        rng = data_mod._rng(seed, f"units-fact:{p.source}:{p.claim}:{p.evidence[:80]}")
        for side in ("claim", "evidence"):
            text = getattr(p, side)
            if not unit_quantities(text, "en"):
                continue
            new = convert_units(text, "en", rng)
            if new:
                claim, evidence = (new, p.evidence) if side == "claim" else (p.claim, new)
                out.append(data_mod.Pair(claim, evidence, p.label, p.source, "unit-converted", p.group, p.langs))
            if side == "claim" and p.label == "supports":
                wrong = convert_units(text, "en", rng, wrong=True)
                if wrong:
                    out.append(data_mod.Pair(wrong, p.evidence, "refutes", p.source, "edit:unit", p.group, p.langs))
    return out


# a figure or date inside a bound ("more than 280", "born before 1989") may stay true when changed
_BOUND = re.compile(r"\b(more|less|fewer|greater|higher|lower|over|under|above|below|at least|at most|up to|nearly|almost|"
                    r"about|around|approximately|roughly|some|before|after|since|by|until|within|between|than)\b", re.I)
_MONTH_OR_DAY = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\b")


def contrastive_refutes(pairs: list, seed: int, rate: float = 1.0) -> list:
    """A supports pair's claim edited so the same evidence refutes it: a figure (or month) that the evidence
    also states changed, else the claim's assertion negated (or its negation removed)."""
    out = []
    for p in pairs:
        if p.label != "supports":
            continue
        rng = data_mod._rng(seed, f"contrastive:{p.source}:{p.claim}:{p.evidence[:80]}")
        if rng.random() >= rate:
            continue
        edited, kind = None, None
        shared = [m.group(0) for m in data_mod._NUMBER.finditer(p.claim) if m.group(0) in p.evidence]
        months = [m.group(0) for m in _MONTH_OR_DAY.finditer(p.claim) if m.group(0) in p.evidence
                  and (m.group(0) != "May" or re.search(r"\bMay\s+\d", p.claim))]
        options = [] if _BOUND.search(p.claim) else (["figure"] if shared else []) + (["date"] if months else [])
        if options and rng.random() < 0.7:
            kind = rng.choice(options)
            if kind == "figure":
                edited = data_mod.edit_figure(p.claim, "en", rng, target=rng.choice(shared))
            else:
                edited = data_mod.edit_date(p.claim, "en", rng)
        if not edited:
            edited, kind = data_mod.edit_negation(p.claim, "en", rng), "negation"
        if edited and edited != p.claim:
            out.append(data_mod.Pair(edited, p.evidence, "refutes", p.source, "contrastive:" + kind, p.group, p.langs))
    return out


def _date_names(text: str, lang: str) -> list[tuple[re.Match, list[str]]]:
    found = []
    for names in (data_mod._MONTHS.get(lang, []), data_mod._WEEKDAYS.get(lang, [])):
        for name in names:
            pattern = r"\bMay\b(?=\s+\d)" if name == "May" else r"\b" + re.escape(name) + r"\b"
            for m in re.finditer(pattern, text, 0 if lang == "en" else re.IGNORECASE):
                found.append((m, names))
    return found


def both_dated(row: dict, a: str, b: str, rng: random.Random) -> tuple[str, str] | None:
    """The same month or weekday swapped for the same other one on both sides (a translation pair) -> supports."""
    left, right = _date_names(row[a], a), _date_names(row[b], b)
    common = []
    for ma, names_a in left:
        idx = [n.lower() for n in names_a].index(ma.group(0).lower())
        for mb, names_b in right:
            if len(names_a) == len(names_b) and [n.lower() for n in names_b].index(mb.group(0).lower()) == idx:
                common.append((ma, names_a, mb, names_b, idx))
    if not common:
        return None
    ma, names_a, mb, names_b, idx = rng.choice(common)
    new = rng.choice([i for i in range(len(names_a)) if i != idx])

    def put(text: str, m: re.Match, names: list[str]) -> str:
        word = names[new]
        if m.group(0)[:1].isupper():
            word = word[:1].upper() + word[1:]
        return text[:m.start()] + word + text[m.end():]

    return put(row[b], mb, names_b), put(row[a], ma, names_a)


def date_pairs_ntrex(docs: dict[str, list[dict]], seed: int, edits: float = 2.0, both: float = 0.5) -> list:
    """Extra month/weekday pairs (round 1's weakest refutes): forced date edits (refutes) of sentences that have
    a date, and the same date swapped on both sides (supports)."""
    out = []
    for doc_id, rows in docs.items():
        for row in rows:
            rng = data_mod._rng(seed, f"dates:{doc_id}:{row['sentence_in_doc']}")
            n_edit = int(edits) + (1 if rng.random() < edits - int(edits) else 0)
            for _ in range(n_edit):
                a, b = rng.choice(data_mod.DIRECTIONS_ALL)
                if rng.random() < 0.5:
                    new = data_mod.edit_date(row[b], b, rng)
                    if new:
                        out.append(data_mod.Pair(new, row[a], "refutes", "ntrex", "edit:date", "nt" + doc_id, f"{a}-{b}"))
                else:
                    new = data_mod.edit_date(row[a], a, rng)
                    if new:
                        out.append(data_mod.Pair(row[b], new, "refutes", "ntrex", "edit:date", "nt" + doc_id, f"{a}-{b}"))
            if rng.random() < both:
                a, b = rng.choice(data_mod.DIRECTIONS_ALL)
                pair = both_dated(row, a, b, rng)
                if pair:
                    out.append(data_mod.Pair(pair[0], pair[1], "supports", "ntrex", "both-edited:date", "nt" + doc_id,
                                             f"{a}-{b}"))
    return out


# --- round 3: pairs shaped like the product's -------------------------------------------------------------
# The product judges claims extracted from news (reported content whose speaker may deny it, two facts in one
# sentence, speech tags cut from a quote) against sentences of other documents. Templates per language wrap an
# NTREX sentence P (or its translation) so that: a denial of P refutes P (both ways); "S said/confirmed P"
# supports P; the same denial in two languages supports itself; "P1, and P2" is not supported by P1 alone
# (neutral); a bare speech tag ("a salué le maire", "the ministry said") is neutral against any sentence.

SPEAKERS = {
    "en": ["The ministry", "A company spokesperson", "Officials", "The government", "Police", "The mayor's office",
           "A union representative", "The hospital", "Prosecutors"],
    "fr": ["Le ministère", "Un porte-parole de l'entreprise", "La préfecture", "Le gouvernement", "La police",
           "La mairie", "Un représentant syndical", "L'hôpital", "Le parquet"],  # singular: French verbs agree
    "vi": ["Bộ", "Người phát ngôn của công ty", "Giới chức", "Chính phủ", "Cảnh sát", "Văn phòng thị trưởng",
           "Đại diện công đoàn", "Bệnh viện", "Viện kiểm sát"],
}
DENIALS = {
    "en": ["{S} denied that {p}.", "{S} denied reports that {p}.", "{S} rejected claims that {p}.",
           "{S} said it was not true that {p}."],
    "fr": ["{S} a démenti les informations selon lesquelles {p}.", "{S} a rejeté l'affirmation selon laquelle {p}.",
           "{S} dément que {p}.", "{S} a affirmé qu'il était faux que {p}."],
    "vi": ["{S} đã bác bỏ thông tin rằng {p}.", "{S} phủ nhận việc {p}.", "{S} khẳng định không có chuyện {p}.",
           "{S} bác bỏ thông tin cho rằng {p}."],
}
REPORTS = {
    "en": ["{S} said that {p}.", "{S} confirmed that {p}.", "{S} announced that {p}."],
    "fr": ["{S} a déclaré que {p}.", "{S} a confirmé que {p}.", "{S} a annoncé que {p}."],
    "vi": ["{S} cho biết {p}.", "{S} xác nhận rằng {p}.", "{S} thông báo rằng {p}."],
}
SPEECH_TAGS = {
    "en": ["{S} said.", "{S} told reporters.", "{S} said on Monday.", "{S} welcomed the decision.",
           "{S} expressed regret.", "{S} added.", "{S} declined to comment."],
    "fr": ["A déclaré {s}.", "A indiqué {s} à la presse.", "{S} a salué la décision.", "{S} regrette l'opposition.",
           "A ajouté {s}.", "{S} n'a pas souhaité commenter.", "A salué {s}."],
    "vi": ["{S} cho biết.", "{S} nói với báo chí.", "{S} hoan nghênh quyết định.", "{S} bày tỏ tiếc nuối.",
           "{S} nói thêm.", "{S} từ chối bình luận."],
}
AND = {"en": ", and ", "fr": ", et ", "vi": ", và "}
_OPENERS = {  # capitalised only because they open the sentence: lower-cased once P is embedded
    "en": {"The", "A", "An", "This", "That", "These", "Those", "It", "He", "She", "They", "We", "There", "Its",
           "Their", "His", "Her", "Some", "Many", "Most", "All", "In", "On", "At", "After", "Before", "When",
           "While", "Since", "As", "For", "If", "One", "Two", "Three", "No", "More", "Both", "Several"},
    "fr": {"Le", "La", "Les", "Un", "Une", "Des", "Ce", "Cette", "Ces", "Il", "Elle", "Ils", "Elles", "On", "En",
           "Dans", "Après", "Avant", "Depuis", "Pour", "Au", "Aux", "Du", "De", "Leur", "Leurs", "Son", "Sa", "Ses",
           "Plusieurs", "Certains", "Lors", "Plus", "Tous", "Toutes", "Deux", "Trois"},
    "vi": {"Các", "Những", "Một", "Người", "Theo", "Trong", "Sau", "Trước", "Khi", "Nhiều", "Tại", "Đây", "Điều",
           "Hai", "Ba", "Ông", "Bà", "Họ", "Nó", "Có", "Đó", "Vào", "Từ", "Hiện"},
}


def embedded(sentence: str, lang: str, proper: set[str] = frozenset()) -> str | None:
    """A sentence as the content of a that-clause: final punctuation dropped, the first word lower-cased unless
    it is a name (`proper`: words the story capitalises inside sentences). Questions, quotes and very long
    sentences are skipped (None)."""
    text = sentence.strip().rstrip(".!…").strip()
    if not text or text.endswith("?") or '"' in text or "«" in text or "“" in text or len(text.split()) > 35:
        return None
    first, _, rest = text.partition(" ")
    if first in _OPENERS[lang] or (first not in proper and first[1:2].islower() and not rest[:1].isupper()):
        text = first[:1].lower() + first[1:] + (" " + rest if rest else "")
    return text


def _fill(template: str, speaker: str, p: str | None = None) -> str:
    """A template filled; a generic speaker ("Le ministère") is lower-cased after the verb, a name is not."""
    generic = any(speaker in forms for forms in SPEAKERS.values())
    lower = speaker[:1].lower() + speaker[1:] if generic and not speaker.startswith("Bộ") else speaker
    out = template.replace("{S}", speaker).replace("{s}", lower)
    if p is not None:
        out = out.replace("{p}", p)
    out = re.sub(r"\bque (?=[aeiouéèêàâîôûh])", "qu'", out)  # French elision before a vowel
    out = re.sub(r"\bde le\b", "du", out)
    return out[:1].upper() + out[1:]


def product_pairs_ntrex(docs: dict[str, list[dict]], seed: int, rates: dict[str, float]) -> list:
    """Round 3's product-shaped pairs from NTREX training documents (kinds and labels in the comment above).
    `rates`: expected pairs per sentence for "denial", "reported", "denial-both", "two-fact", "speech-tag"."""
    out = []
    for doc_id, rows in docs.items():
        pools = {lang: [n for r in rows for n in data_mod.names_in(r[lang]) if len(n.split()) >= 2] for lang in data_mod.LANGS}
        proper = {lang: {w.strip(",.;:()’'") for r in rows for w in r[lang].split()[1:] if w[:1].isupper()}
                  for lang in data_mod.LANGS}
        for row in rows:
            if row["sentence_in_doc"] == 1:
                continue  # the headline: no sentence to embed or to join
            rng = data_mod._rng(seed, f"product:{doc_id}:{row['sentence_in_doc']}")
            others = [r for r in rows if r is not row]

            def speaker(lang: str, pick: int, named: bool = True) -> str:
                """A name of the story (30 %) or a generic speaker; generic ones are aligned across languages
                by `pick`, so both sides of a "denial-both" pair have the same speaker."""
                names = pools[lang]
                if named and names and rng.random() < 0.3:
                    return names[pick % len(names)]
                return SPEAKERS[lang][pick % len(SPEAKERS[lang])]

            def add(claim: str, evidence: str, label: str, kind: str, a: str, b: str) -> None:
                out.append(data_mod.Pair(claim, evidence, label, "ntrex", kind, "nt" + doc_id, f"{a}-{b}"))

            for kind, rate in rates.items():
                for _ in range(int(rate) + (1 if rng.random() < rate - int(rate) else 0)):
                    a, b = rng.choice(data_mod.DIRECTIONS_ALL)
                    who = rng.randrange(1000)
                    if kind in ("denial", "reported", "denial-both"):
                        pa, pb = embedded(row[a], a, proper[a]), embedded(row[b], b, proper[b])
                        if not pa or not pb:
                            continue
                        table = REPORTS if kind == "reported" else DENIALS
                        form = rng.randrange(len(table["en"]))
                        wrapped_a = _fill(table[a][form % len(table[a])], speaker(a, who, kind != "denial-both"), pa)
                        if kind == "reported":
                            add(row[b], wrapped_a, "supports", "product:reported", a, b)
                        elif kind == "denial-both":
                            wrapped_b = _fill(DENIALS[b][form % len(DENIALS[b])], speaker(b, who, False), pb)
                            add(wrapped_b, wrapped_a, "supports", "product:denial-both", a, b)
                        elif rng.random() < 0.5:  # the evidence denies what the claim states
                            add(row[b], wrapped_a, "refutes", "product:denial", a, b)
                        else:  # the claim is the denial, the evidence states it
                            wrapped_b = _fill(DENIALS[b][form % len(DENIALS[b])], speaker(b, who), pb)
                            add(wrapped_b, row[a], "refutes", "product:denial", a, b)
                    elif kind == "two-fact" and others:
                        other = rng.choice(others)
                        second = embedded(other[b], b, proper[b])
                        first = row[b].strip().rstrip(".!…")
                        if second and len(first.split()) + len(second.split()) <= 45:
                            add(first + AND[b] + second + ".", row[a], "neutral", "product:two-fact", a, b)
                    elif kind == "speech-tag":
                        tag = _fill(rng.choice(SPEECH_TAGS[b]), speaker(b, who))
                        if others and rng.random() < 0.5:
                            evidence = rng.choice(others)[a]
                        else:
                            evidence = _fill(rng.choice(SPEECH_TAGS[a]), speaker(a, who + 1))
                        add(tag, evidence, "neutral", "product:speech-tag", a, b)
    return out
