"""Reported speech, denials, negation and hedges in English, French and Vietnamese."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Reporting verbs that assert the reported content. Each pattern matches the verb group only.
_ASSERT = [
    r"said|says|say|told|tells|stated|states|claimed|claims|announced|announces|revealed|reveals|reported|reports|"
    r"confirmed|confirms|noted|notes|added|adds|wrote|writes|explained|explains|insisted|insists|argued|argues|"
    r"stressed|stresses|mentioned|mentions|disclosed|discloses|acknowledged|acknowledges|admitted|admits|asserted|asserts",
    r"(?:a|ont|avait|avaient)\s+(?:également\s+|aussi\s+|déjà\s+|récemment\s+)?"
    r"(?:affirmé|déclaré|dit|révélé|annoncé|confirmé|indiqué|précisé|assuré|expliqué|souligné|mentionné|"
    r"rapporté|reconnu|admis|estimé|ajouté|écrit|raconté|soutenu|prétendu)",
    r"affirme|affirment|déclare|déclarent|dit|disent|révèle|révèlent|annonce|annoncent|confirme|confirment|"
    r"indique|indiquent|précise|précisent|assure|assurent|explique|expliquent|souligne|soulignent|mentionne|"
    r"reconnaît|ajoute|ajoutent|soutient|prétend",
    r"cho biết|cho hay|nói|khẳng định|tiết lộ|nhấn mạnh|tuyên bố|thông báo|xác nhận|chia sẻ|thừa nhận|"
    r"công bố|phát biểu|giải thích|đưa tin|bày tỏ",
]
_DENY = [
    r"denied|denies|deny|rejected|rejects|disputed|disputes|refuted|refutes|dismissed|dismisses|"
    r"contradicted|contradicts|rebutted|rebuts",
    r"(?:a|ont|avait|avaient)\s+(?:également\s+|aussi\s+|fermement\s+|catégoriquement\s+)?"
    r"(?:nié|démenti|contesté|rejeté|réfuté|infirmé)",
    r"nie|nient|dément|démentent|conteste|contestent|rejette|rejettent|réfute",
    r"bác bỏ|phủ nhận|bác tin|phủ định|bác thông tin",
]
# Passive denials: "cette affirmation a été niée par Meta", "the claim was denied by Meta", "bị Meta bác bỏ".
_PASSIVE_DENY = re.compile(
    r"(?:(?:a|ont|avait)\s+été|(?:était|est|sont))\s+(?:formellement\s+|catégoriquement\s+)?"
    r"(?:niée?s?|démentie?s?|contestée?s?|rejetée?s?|réfutée?s?)\s+par\s+(?P<fr>[^,.;]+)"
    r"|(?:was|were|has been|have been|is|are)\s+(?:flatly\s+|strongly\s+)?"
    r"(?:denied|rejected|disputed|refuted|dismissed)\s+by\s+(?P<en>[^,.;]+)"
    r"|(?:bị|đã bị)\s+(?P<vi>[^,.;]+?)\s+(?:bác bỏ|phủ nhận)",
    re.IGNORECASE,
)
_ACCORDING = re.compile(
    r"^(?:according to|selon|d['’]après|theo)\s+(?P<who>[^,]+),\s*", re.IGNORECASE
)
# Anaphora for what was said just before: "this claim", "cette affirmation", "thông tin này".
_ANAPHORA = re.compile(
    r"^(?:this|that|the)\s+(?:claim|statement|report|assertion|allegation|figure)|^(?:it|this|that)\b"
    r"|^(?:cette|cet|ces|la)\s+(?:affirmation|déclaration|information|allégation|rumeur|accusation|assertion)s?"
    r"|^(?:ce|le)\s+(?:chiffre|propos)|^(?:thông tin|tuyên bố|khẳng định|con số|cáo buộc)\s+(?:này|đó|trên)",
    re.IGNORECASE,
)
# Attribution after the content: "..., Sam Altman said on a podcast." / "..., a déclaré Altman." / "..., theo X."
_TRAILING_SPEECH = re.compile(
    r",\s*(?:(?P<who>[A-ZĐ][^,]{1,60}?)\s+(?P<verb>said|says|told \w+|claimed|stated|wrote|cho biết|nói|khẳng định)"
    r"|(?P<verb2>a déclaré|a affirmé|a dit|a indiqué|affirme|déclare|a assuré|selon|according to|theo)\s+(?P<who2>[^,]{2,60}?))"
    r"(?:\s+(?:on|in|at|to|last|this|lors|dans|sur|trong|vào)\b[^,]{0,40})?\s*[.!]?$",
)
_COMPLEMENTISER = re.compile(r"^\s*(?:that|que|qu['’]|rằng|là|:)\s*", re.IGNORECASE)

_NEGATION = re.compile(
    r"\b(?:not|never|no longer|n['’]t|cannot|neither|nor|none)\b"
    r"|\bne\b|\bn['’](?=\w)|\b(?:pas|jamais|aucun|aucune|guère|nullement)\b"
    r"|(?<!\w)(?:không|chưa|chẳng|chả|đâu có)(?!\w)",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:i think|we think|believe|believes|in my opinion|should|must|ought|might|may|could|would|will|"
    r"likely|probably|perhaps|possibly|expected to|predict|forecast|hope|"
    r"pensent|pense|estime|estiment|croit|croient|devrait|devraient|pourrait|pourraient|doit|doivent|"
    r"probablement|peut-être|sans doute|est convaincu|sont convaincus|espère|"
    r"nên|cần phải|có thể|sẽ|dự báo|dự đoán|hy vọng|tin rằng|cho rằng)\b",
    re.IGNORECASE,
)


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


_VERB = re.compile(
    rf"(?<!\w)(?P<verb>{_alternation(_DENY)}|{_alternation(_ASSERT)})(?!\w)", re.IGNORECASE
)
_DENY_ONLY = re.compile(rf"^(?:{_alternation(_DENY)})$", re.IGNORECASE)


@dataclass(frozen=True)
class Reported:
    """A clause split into who speaks, how, and what is said (offsets relative to the clause)."""

    speaker: str
    stance: str  # asserts | denies
    cue: str
    content_start: int
    content_end: int
    anaphoric: bool  # the content is "this claim": it refers to the previous clause


def find_reported_speech(clause: str) -> Reported | None:
    """Attribution of a clause, if it reports speech: 'Altman a affirmé que X' -> (Altman, asserts, X)."""
    m = _ACCORDING.match(clause)
    if m:
        return Reported(m["who"].strip(), "asserts", clause[: m.start("who")].strip(), m.end(), len(clause), False)
    m = _TRAILING_SPEECH.search(clause)
    if m:
        who = (m["who"] or m["who2"]).strip()
        return Reported(who, "asserts", (m["verb"] or m["verb2"]).strip(), 0, m.start(), False)
    m = _PASSIVE_DENY.search(clause)
    if m:
        speaker = (m["fr"] or m["en"] or m["vi"]).strip()
        subject = clause[: m.start()].strip()
        anaphoric = bool(_ANAPHORA.match(subject)) or not subject
        return Reported(speaker, "denies", m.group(0).split(speaker)[0].strip(), 0, m.start(), anaphoric)
    for m in _VERB.finditer(clause):
        subject = clause[: m.start()].strip(" ,")
        # The speaker is the subject before the verb; it must be short (a name or a noun phrase).
        if not subject or len(subject.split()) > 12:
            continue
        rest = clause[m.end() :]
        comp = _COMPLEMENTISER.match(rest)
        stance = "denies" if _DENY_ONLY.match(m["verb"]) else "asserts"
        content_start = m.end() + (comp.end() if comp else 0)
        content = clause[content_start:].strip()
        if stance == "asserts" and not comp:
            continue  # "X announced a product": an action, not reported speech
        anaphoric = not content or bool(_ANAPHORA.match(content))
        return Reported(subject, stance, m["verb"], content_start, len(clause), anaphoric)
    return None


# Text addressed to a model rather than to readers: prompt injection, in our three languages.
_ADDRESSES_MODEL = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:(?:all|any|your|the|previous|prior|above|earlier)\s+)*"
    r"(?:instructions?|rules?|prompts?|directions?|guidelines?)\b"
    r"|\bsystem prompt\b|\byou are now\b|\bas an ai (?:model|assistant)\b"
    r"|\bmark (?:every|all|each|this|these|the) (?:claims?|statements?)\b"
    r"|\b(?:ignore[zs]?|oublie[zs]?)\s+(?:toutes\s+)?(?:les|tes|vos)\s+(?:instructions|consignes)\b"
    r"|\bbỏ qua (?:(?:các|mọi|tất cả)\s+)?(?:hướng dẫn|chỉ dẫn|chỉ thị)",
    re.IGNORECASE,
)


def addresses_the_model(text: str) -> bool:
    """True for text that gives instructions to a language model: it is never a claim nor evidence."""
    return bool(_ADDRESSES_MODEL.search(text))


def is_negated(text: str) -> bool:
    """True when the clause contains a negation cue (not, ne…pas, không …)."""
    return bool(_NEGATION.search(text))


def is_hedged(text: str) -> bool:
    """True for opinions, predictions and modal statements, which are not checkworthy facts."""
    return bool(_HEDGE.search(text))


# Opinions, advice, predictions and the writer talking about itself: statements nobody can check against a source.
# Narrower than _HEDGE: "can", "may" and "will" state general facts in explanations ("the waves can be detected").
_OPINION = re.compile(
    r"\b(?:i|we) (?:think|believe|feel|recommend|suggest|hope)\b|\bin my (?:opinion|view)\b|\bi(?:['’]m| am) sorry\b"
    r"|\bas an? (?:ai|language model|artificial intelligence)\b|\bmy (?:knowledge|training)(?: cutoff| data)?\b"
    r"|\bi (?:do not|don['’]t|cannot|can['’]t|could not|am unable|am not able)\b"
    r"|\b(?:would|might|should|ought to|must|probably|perhaps|possibly|likely|unlikely|expected to|speculative)\b"
    r"|\bit(?:['’]s| is) (?:important|essential|crucial|advisable|recommended|best|difficult|hard|possible|unclear)\b"
    r"|\byou (?:can|could|should|may|might|need|will|must)\b|\b(?:please|make sure|be sure)\b"
    r"|\b(?:reflects|illustrates|symboli[sz]es|exemplifies)\b"
    r"|\b(?:je|nous) (?:pense|pensons|crois|croyons|recommande|recommandons)\b"
    r"|\b(?:pensent|pense|croit|croient|estime|estiment|devrait|devraient|pourrait|pourraient|probablement|"
    r"peut-être|sans doute|est convaincu|sont convaincus|espère|espèrent|il est (?:important|essentiel|difficile))\b"
    r"|\b(?:reflète|reflètent|illustre|illustrent|témoigne|témoignent|symbolise|symbolisent)\b"
    r"|(?<!\w)(?:tôi nghĩ|tôi cho rằng|cho rằng|tin rằng|nên|có lẽ|có thể là|hy vọng|dự báo|dự đoán|phản ánh)(?!\w)",
    re.IGNORECASE,
)
# An instruction to the reader: a bare verb followed by its object ("Compare the quotes", "Research online").
_IMPERATIVE = re.compile(
    r"^(?!(?:During|After|Before|Since|Until|For|With|From|Under|Over|Between|Among|Despite|Through|Within|Without|"
    r"Across|Against|Along|Around|Behind|Beyond|Into|Like|Near|Of|On|In|At|By|To|Upon|When|While|If|Unlike|Then|"
    r"Once|Today|Also|All|Both|Each|Only|Even|Just|Here|There|Now|Overall|However|Thus|Therefore|Finally|But|And|"
    r"Or|So|Yet|As|Once|About|Above|Below|Some|Most|Many|Other|Such|What|Which|Who|How|Why|Where)\b)"
    r"(?:[A-Z][a-z]+)(?<!s)(?<!ed)(?<!ing)\s+(?:the|your|a|an|a few|some|these|this|those|any|all|online|them|it|"
    r"up|out|with|for|to|each)\b"
)


def is_imperative(text: str) -> bool:
    """True for an English instruction to the reader: 'Compare the quotes', 'Research online to find ...'."""
    return bool(_IMPERATIVE.match(text.strip()))


def is_opinion_or_advice(text: str) -> bool:
    """True for opinions, advice, predictions, self-reference by the writer and instructions to the reader."""
    stripped = text.strip()
    return bool(_OPINION.search(stripped) or _IMPERATIVE.match(stripped) or stripped.endswith(":"))
