"""Reported speech, denials, negation and hedges, read with the language pack of the text's language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from service.analysis.languages import LanguagePack, any_language, pack


def _alt(parts) -> str:
    """An alternation of the non-empty parts; one that never matches when there is none."""
    present = [f"(?:{p})" for p in parts if p]
    return "|".join(present) if present else "(?!)"


@dataclass(frozen=True)
class _Speech:
    """The compiled reported-speech patterns of one language pack."""

    verb: re.Pattern
    deny_only: re.Pattern
    passive_deny: re.Pattern
    according: re.Pattern
    anaphora: re.Pattern
    trailing: re.Pattern
    complementiser: re.Pattern
    negation: re.Pattern
    hearsay: re.Pattern
    bare_speech: re.Pattern
    bare_content: re.Pattern
    hedge: re.Pattern
    opinion: re.Pattern
    continuation: re.Pattern
    in_relative: re.Pattern
    subject_extras: re.Pattern

    @classmethod
    def of(cls, lp: LanguagePack) -> _Speech:
        deny, assertion = _alt(lp.deny_verbs), _alt(lp.assert_verbs)
        return cls(
            verb=re.compile(rf"(?<!\w)(?P<verb>{deny}|{assertion})(?!\w)", re.IGNORECASE),
            deny_only=re.compile(rf"^(?:{deny})$", re.IGNORECASE),
            # "cette affirmation a été niée par Meta", "the claim was denied by Meta", "bị Meta bác bỏ"
            passive_deny=re.compile(_numbered_speakers(_alt([lp.passive_denial])), re.IGNORECASE),
            according=re.compile(rf"^(?:{_alt([lp.according_to])})\s+(?P<who>[^,]+),\s*", re.IGNORECASE),
            # What was said just before: "this claim", "cette affirmation", "thông tin này".
            anaphora=re.compile(rf"^(?:{_alt([lp.claim_anaphora])})", re.IGNORECASE),
            # Attribution after the content: "..., Sam Altman said on a podcast." / "..., a déclaré Altman."
            trailing=re.compile(
                rf",\s*(?:(?P<who>[A-ZĐ][^,]{{1,60}}?)\s+(?P<verb>{_alt([lp.speaker_then_verb])})"
                rf"|(?P<verb2>{_alt([lp.verb_then_speaker])})\s+(?P<who2>[^,]{{2,60}}?))"
                rf"(?:\s+(?:{_alt([lp.trailing_time])})\b[^,]{{0,40}})?\s*[.!]?$"
            ),
            # "denied on Tuesday that", "said in a statement that": a short adverbial may come before the complementiser
            complementiser=re.compile(
                rf"^(?:\s+(?:{_alt([lp.trailing_time])})(?:\s+[^\s,;:.!?\"“”«»]+){{1,4}}?)?"
                rf"\s*(?:{_alt([lp.complementisers])}|:)\s*", re.IGNORECASE),
            negation=re.compile(_alt([lp.negation]), re.IGNORECASE),
            hearsay=re.compile(rf"^\s*(?:{_alt([lp.hearsay])})\s+", re.IGNORECASE),
            bare_speech=re.compile(rf"^(?:{_alt([lp.bare_speech])})$", re.IGNORECASE),
            # After such a verb: an optional addressee ("told reporters"), then a clause of three words or more that
            # is not an object ("said nothing", "said so").
            bare_content=re.compile(rf"\s+(?:(?:{_alt([lp.speech_addressees])})\s+)?(?!(?:{_alt([lp.not_speech_content])})"
                                    rf"\b)(?=\S+\s+\S+\s+\S+)", re.IGNORECASE),
            hedge=re.compile(rf"\b(?:{_alt([lp.hedges])})\b", re.IGNORECASE),
            opinion=re.compile(_alt([lp.opinion]), re.IGNORECASE),
            continuation=re.compile(_alt([lp.speech_continuation]), re.IGNORECASE),
            # "Coursio, which says ...": a reporting verb right after a relative pronoun is the relative clause's
            in_relative=re.compile(rf"(?:^|[\s,])(?:{_alt([lp.relatives])})$", re.IGNORECASE),
            # what a speaker's noun phrase carries before its verb: ", which is based in Tunis," / "on Wednesday"
            subject_extras=re.compile(rf",\s*(?:{_alt([lp.relatives])})\b.*?(?:,\s|$)"
                                      rf"|\s+(?:{_alt([lp.trailing_time])})\s+[^\s,]+(?:\s+\d+)?$", re.IGNORECASE),
        )


def _numbered_speakers(pattern: str) -> str:
    """Each language's passive denial names its speaker group `speaker`; in a union they become speaker0, 1, ..."""
    parts = pattern.split("(?P<speaker>")
    return parts[0] + "".join(f"(?P<speaker{i}>{part}" for i, part in enumerate(parts[1:]))


def _speaker(match: re.Match) -> str:
    return next(v for k, v in match.groupdict().items() if k.startswith("speaker") and v is not None)


@cache
def _speech(language: str | None) -> _Speech:
    return _Speech.of(pack(language))


@dataclass(frozen=True)
class Reported:
    """A clause split into who speaks, how, and what is said (offsets relative to the clause)."""

    speaker: str
    stance: str  # asserts | denies
    cue: str
    content_start: int
    content_end: int
    anaphoric: bool  # the content is "this claim": it refers to the previous clause


def find_reported_speech(clause: str, language: str | None = None) -> Reported | None:
    """Attribution of a clause, if it reports speech: 'Altman a affirmé que X' -> (Altman, asserts, X)."""
    rx = _speech(language)
    m = rx.according.match(clause)
    if m:
        return Reported(m["who"].strip(), "asserts", clause[: m.start("who")].strip(), m.end(), len(clause), False)
    m = rx.trailing.search(clause)
    if m:
        who = (m["who"] or m["who2"]).strip()
        return Reported(who, "asserts", (m["verb"] or m["verb2"]).strip(), 0, m.start(), False)
    m = rx.passive_deny.search(clause)
    if m:
        speaker = _speaker(m).strip()
        subject = clause[: m.start()].strip()
        anaphoric = bool(rx.anaphora.match(subject)) or not subject
        return Reported(speaker, "denies", m.group(0).split(speaker)[0].strip(), 0, m.start(), anaphoric)
    for m in rx.verb.finditer(clause):
        subject = clause[: m.start()].strip(" ,")
        # The speaker is the subject before the verb; it must be short (a name or a noun phrase).
        if not subject or len(subject.split()) > 12 or rx.in_relative.search(subject):
            continue
        subject = rx.subject_extras.sub("", subject).strip(" ,") or subject
        rest = clause[m.end() :]
        stance = "denies" if rx.deny_only.match(m["verb"]) else "asserts"
        # "denied reports that X" denies X
        comp = rx.complementiser.match(rest) or (rx.hearsay.match(rest) if stance == "denies" else None)
        if stance == "asserts" and not comp and rx.bare_speech.match(m["verb"]):
            comp = rx.bare_content.match(rest)  # "Police said 12 people were killed", "told reporters the plant ..."
        content_start = m.end() + (comp.end() if comp else 0)
        content = clause[content_start:].strip()
        if stance == "asserts" and not comp:
            continue  # "X announced a product": an action, not reported speech
        anaphoric = not content or bool(rx.anaphora.match(content))
        more = rx.continuation.search(clause, content_start)  # "..., saying Q": Q is another statement
        return Reported(subject, stance, m["verb"], content_start, more.start() if more else len(clause), anaphoric)
    return None


def is_claim_anaphora(text: str, language: str | None = None) -> bool:
    """True when the text is only a reference to what was said before: "this claim", "thông tin này"."""
    return bool(_speech(language).anaphora.fullmatch(text.strip(" .,;:!")))


# Text addressed to a model rather than to readers (prompt injection): looked for in every language whatever the
# text's language, since an injection need not be written in the article's language.
_ADDRESSES_MODEL = re.compile(any_language().addresses_model, re.IGNORECASE)


def addresses_the_model(text: str) -> bool:
    """True for text that gives instructions to a language model: it is never a claim nor evidence."""
    return bool(_ADDRESSES_MODEL.search(text))


def is_negated(text: str, language: str | None = None) -> bool:
    """True when the clause contains a negation cue (not, ne…pas, không …)."""
    return bool(_speech(language).negation.search(text))


def without_negation(text: str, language: str | None = None) -> str:
    """The clause with its negation cues taken out ("Meta did not offer $1B" -> "Meta did offer $1B")."""
    return _speech(language).negation.sub(" ", text)


def is_hedged(text: str, language: str | None = None) -> bool:
    """True for opinions, predictions and modal statements, which are not checkworthy facts."""
    return bool(_speech(language).hedge.search(text))


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


def is_opinion_or_advice(text: str, language: str | None = None) -> bool:
    """True for opinions, advice, predictions, self-reference by the writer and instructions to the reader.

    Narrower than `is_hedged`: "can", "may" and "will" state general facts in explanations.
    """
    stripped = text.strip()
    imperative = language in (None, "en", "und") and _IMPERATIVE.match(stripped)  # English word shapes: "Palin a
    # plaidé" is no instruction to the reader
    return bool(_speech(language).opinion.search(stripped) or imperative or stripped.endswith(":"))
