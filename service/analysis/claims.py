"""Offline claim extraction: sentences -> clauses carrying one fact each -> self-contained claims."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from service.analysis.atomic import atomic_pieces, english_subject, list_item_claim, relative_antecedent
from service.analysis.attribution import (
    addresses_the_model, find_reported_speech, is_claim_anaphora, is_hedged, is_imperative, is_negated,
    is_opinion_or_advice,
)
from service.analysis.entities import entity_key, extract_entities, is_person, known_names
from service.analysis.languages import pack
from service.analysis.nlp.shape import is_fragment
from service.analysis.quantity import extract_quantities
from service.analysis.text import Sentence, detect_language, normalise, sentences, tokens
from service.models import Attribution, ClaimDraft

def _alt(*parts: str) -> str:
    present = [f"(?:{p})" for p in parts if p]
    return "|".join(present) if present else "(?!)"


@dataclass(frozen=True)
class _Rules:
    """The compiled clause rules of one language pack (see languages/)."""

    hard_split: re.Pattern  # where one sentence holds two facts; the right-hand side starts a new clause
    coordination: re.Pattern
    verb_start: re.Pattern  # a coordinated verb phrase ("..., et a investi ...")
    subject_end: re.Pattern  # the auxiliary that ends a clause's subject
    auxiliaries: frozenset[str]
    name_then_verb: re.Pattern  # "..., and Meta has hired ...": a named subject with its own verb
    impersonal_report: re.Pattern  # "Il a été rapporté que X" -> "X"
    leading: re.Pattern  # discourse openers dropped from a claim
    person_pronoun: re.Pattern
    org_anaphor: re.Pattern  # "L'entreprise": the organisation the article is about
    parenthetical: re.Pattern
    self_reference: re.Pattern  # the writer speaking of itself

    @classmethod
    def of(cls, lp) -> _Rules:
        return cls(
            hard_split=re.compile(
                rf";\s+|,\s+(?:{_alt(lp.hard_split)})\s+"
                rf"|,\s+(?:{_alt(lp.relatives)})\s+(?=(?:{_alt(lp.relative_modal)}))"
                rf"|\s+(?:{_alt(lp.contrast)})\s+", re.IGNORECASE),
            coordination=re.compile(rf",?\s+(?:{_alt(lp.coordination)})\s+", re.IGNORECASE),
            verb_start=re.compile(rf"^(?:(?:{_alt(lp.verb_start_adverbs)})\s+)?(?:{_alt(lp.verb_start)})\b",
                                  re.IGNORECASE),
            subject_end=re.compile(rf"\s(?P<aux>{_alt(lp.subject_end)})\s", re.IGNORECASE),
            auxiliaries=lp.auxiliaries,
            name_then_verb=re.compile(rf"^[A-ZÀ-Ỹ][\w’'-]+(?:\s[A-ZÀ-Ỹ][\w’'-]+)*\s+(?:{_alt(lp.name_then_verb)})\b"),
            impersonal_report=re.compile(rf"^(?:{_alt(lp.impersonal_report)})\s+", re.IGNORECASE),
            leading=re.compile(rf"^(?:(?:{_alt(lp.leading_adverbials)})\s*,\s*|(?:{_alt(lp.leading_phrases)})\s+)",
                               re.IGNORECASE),
            person_pronoun=re.compile(rf"^(?i:{_alt(lp.person_pronouns)})\b"
                                      rf"(?!\s+(?:{_alt(lp.not_person_after_pronoun)})\b)(?!\s+[A-ZĐ])"),
            org_anaphor=re.compile(rf"^(?:{_alt(lp.org_anaphora)})\b(?!\s+(?-i:[A-ZÀ-ỸĐ]))", re.IGNORECASE),
            parenthetical=re.compile(rf",\s+(?:{_alt(lp.parentheticals)})\s*,(?=\s)", re.IGNORECASE),
            self_reference=re.compile(rf"^(?:{_alt(lp.self_reference)})", re.IGNORECASE),
        )


@cache
def _rules(language: str | None) -> _Rules:
    return _Rules.of(pack(language))


_EN_BE = {"is", "are", "was", "were"}
_EN_ADJECTIVAL_ED = re.compile(
    r"^[a-z]+ed\s+(?!(?:the|a|an|in|on|at|by|for|to|from|with|into|as|of|it|them|him|her|his|its|their|this|these|"
    r"that|several|many|some|up|out|over|down|off|back|and|or)\b)(?![A-Z\d])[a-z]+(?<!ly)\b"
)
# "X denied that P, saying Q" / "... and said Q": Q is a second statement of the same speaker, a claim of its own
_EN_SAYING = re.compile(r",?\s+(?:and\s+)?(?P<verb>saying|said|adding|added|insisting|insisted|arguing|argued|stressing|"
                        r"stressed)\s+(?=\S+\s+\S+\s+\S+)", re.IGNORECASE)
_EN_IRREGULAR = re.compile(
    r"^(?:also\s+|then\s+|later\s+)?(?:became|began|built|bought|brought|came|chose|drew|fell|found|gave|grew|held|"
    r"kept|knew|led|left|lost|made|met|paid|ran|rose|sold|sent|spent|stood|took|taught|told|went|won|wrote|"
    r"may|might|must|should|can|could)\b"
)


def _passive(clause: str, aux: str) -> bool:
    """True when the clause's 'was'/'is' is followed by a regular past participle ('was acquired')."""
    return bool(re.search(rf"\b{aux}\s+(?:\w+ly\s+)?[^\W\d_]+ed\b", clause, re.IGNORECASE))


_BULLET = re.compile(r"^[\W_]+", re.UNICODE)
_TRAILING = " \t.;:,!…"


@dataclass
class _Clause:
    start: int  # offsets into the document
    end: int
    text: str  # decontextualised text
    context_entities: tuple[str, ...] = ()
    derived: bool = False  # rewritten from part of its quote (a list item, a relative clause): not the quote itself
    parsed: bool = False  # read on a dependency parse: subject restored and attribution found already
    unparsed_speech: bool = False  # parsed, but reported speech left for the patterns to read
    attribution: Attribution | None = None
    self_contained: bool = True
    fragment: bool = False  # no verb or no subject: never check-worthy
    spans: tuple[tuple[int, int], ...] = ()  # the clause's own text (its figures are those inside)
    entities: tuple[str, ...] = ()


def _trim(doc: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) to drop bullets, emoji and trailing punctuation."""
    segment = doc[start:end]
    lead = _BULLET.match(segment)
    if lead and not segment[len(lead.group(0)) :][:1] in ("'", '"', "“", "«", "$", "€", "£"):
        start += len(lead.group(0))
    while end > start and doc[end - 1] in _TRAILING:
        end -= 1
    while start < end and doc[start].isspace():
        start += 1
    return start, end


@cache
def _speaker_adverbs(language: str | None) -> re.Pattern:
    return re.compile(rf"(?:[\s,]+(?:{_alt(pack(language).speaker_adverbs)}))+$", re.IGNORECASE)


def _speaker_phrase(speaker: str, language: str | None) -> str:
    """'The company also' -> 'The company': adverbs before the reporting verb are not part of who speaks."""
    return _speaker_adverbs(language).sub("", speaker).strip(" ,") or speaker


def _strip_leading(text: str, language: str | None) -> str:
    """Drop every leading discourse marker: 'However, based on my knowledge, X' -> 'X'."""
    leading = _rules(language).leading
    while (stripped := leading.sub("", text, count=1)) != text:
        text = stripped
    return text


def _subject_of(clause: str, language: str | None) -> tuple[str, str] | None:
    """The subject of a clause and its auxiliary ('L'entreprise', 'a'), for a coordinated verb phrase to reuse."""
    rules = _rules(language)
    body = rules.leading.sub("", clause)
    m = rules.subject_end.search(" " + body)
    if not m:
        return None
    subject = body[: max(m.start(), 0)].strip(" ,")
    aux = m["aux"] if m["aux"].lower() in rules.auxiliaries else ""
    return (subject, aux) if 0 < len(subject.split()) <= 8 else None


def _english_carried_subject(left: str, coordinated: bool) -> tuple[str, str] | None:
    """Who does the verb phrase after 'and': the antecedent of a trailing ', which ...' ("Geranium, which has won
    X and is ranked Y"), else the subject of a trailing 'that' clause ("held that the law was fair and did not ..."),
    else the clause's own subject; with the auxiliary that follows it."""
    relative = re.search(r",\s+(?:which|who)\s+[^,]*$", left)
    if relative and coordinated:
        antecedent = relative_antecedent(left, relative.start())
        if antecedent:
            return antecedent, ""
    embedded = left.rfind(" that ")
    subject = english_subject(left[embedded + 6 :], allow_pronoun=True) if embedded > 0 else None
    rules = _rules("en")
    subject = subject or english_subject(rules.leading.sub("", left), allow_pronoun=True)
    if not subject:
        return None
    after = left[left.find(subject) + len(subject) :].split()[:1] if subject in left else []
    return subject, after[0] if after and after[0].lower() in rules.auxiliaries else ""


def _split_clauses(doc: str, sentence: Sentence) -> list[_Clause]:
    start, end = _trim(doc, sentence.start, sentence.end)
    text = doc[start:end]
    cuts: list[tuple[int, int]] = []  # (end of left clause, start of right clause) relative to `text`
    rules = _rules(sentence.language)
    for m in rules.hard_split.finditer(text):
        cuts.append((m.start(), m.end()))
    english = sentence.language == "en"
    said_by: dict[int, str] = {}  # start of a second statement -> its speaker
    for m in _EN_SAYING.finditer(text) if english else ():
        reported = find_reported_speech(text[: m.start()], "en")
        if reported and reported.speaker and reported.content_start > 0:
            cuts.append((m.start(), m.end()))
            said_by[m.end()] = reported.speaker
    for m in rules.coordination.finditer(text):
        right = text[m.end() :]
        if english and _EN_ADJECTIVAL_ED.match(right):
            continue  # "a disillusioned and bored priest"
        if rules.verb_start.match(right) or (english and _EN_IRREGULAR.match(right)) or rules.name_then_verb.match(right):
            cuts.append((m.start(), m.end()))
    cuts.sort()
    clauses: list[_Clause] = []
    cursor = 0
    pieces: list[tuple[int, int]] = []
    for left_end, right_start in cuts:
        if left_end - cursor < 12:  # too short to hold a fact on its own
            continue
        pieces.append((cursor, left_end))
        cursor = right_start
    pieces.append((cursor, len(text)))
    first_subject = _subject_of(text[pieces[0][0] : pieces[0][1]], sentence.language)
    if english:
        first_subject = _english_carried_subject(text[pieces[0][0] : pieces[0][1]], len(pieces) > 1)
    for i, (a, b) in enumerate(pieces):
        ca, cb = _trim(doc, start + a, start + b)
        if cb - ca < 3:
            continue
        piece = doc[ca:cb]
        carried = None
        if a in said_by:
            clauses.append(_Clause(ca, cb, f"{said_by[a]} said {piece}"))
            continue
        if i > 0 and (rules.verb_start.match(piece) or (english and _EN_IRREGULAR.match(piece))) and first_subject:
            subject, aux = first_subject
            first_word = piece.split()[0].lower()
            carried = subject if first_word in rules.auxiliaries or not aux else f"{subject} {aux}"
            if english and aux.lower() in _EN_BE and not _passive(text[pieces[0][0] : pieces[0][1]], aux):
                carried = subject  # "He was born in 1898 and served ..." -> "He served", not "He was served"
        clauses.append(_Clause(ca, cb, f"{carried} {piece}" if carried else piece))
    context = tuple(extract_entities(text))
    for clause in clauses[1:]:
        clause.context_entities = context
    return clauses


def _is_fact_shaped(text: str) -> bool:
    words = tokens(text)
    return len(words) >= 3 and not re.fullmatch(r"[\w-]+\.(?:png|jpe?g|gif|svg|webp)", text.strip(), re.IGNORECASE)


class OfflineClaimExtractor:
    """Rule-based extraction: clause splitting, attribution, denials, figures, names, check-worthiness."""

    name = "offline"

    def extract(self, text: str, language_hint: str | None = None) -> list[ClaimDraft]:
        """Claims of `text` (already normalised); quotes are exact substrings, offsets index into `text`."""
        sents = sentences(text, language_hint)
        names = known_names([s.text for s in sents])
        parsed = _parse_french(sents)
        french_context: list = []
        vietnamese_context = _vietnamese_context()
        drafts: list[ClaimDraft] = []
        last_person: str | None = None
        topic: str | None = None  # English: the subject the text is about, for "It", "They", "These changes"
        heading: tuple[str, int] | None = None  # "The four female presidents were:" and its paragraph
        org_mentions: dict[str, int] = {}
        for sentence in sents:
            # "L'entreprise" names the organisation the article is about: the one mentioned most so far.
            last_org = max(org_mentions, key=lambda k: org_mentions[k]) if org_mentions else None
            english = sentence.language == "en"
            item = _list_item(text, sentence, heading) if english and heading and heading[1] == sentence.paragraph \
                else None
            if not item and not _is_fact_shaped(sentence.text):
                continue
            if id(sentence) in parsed or sentence.language == "vi":
                found = _french(text, sentence, parsed[id(sentence)], french_context) if id(sentence) in parsed \
                    else _vietnamese(text, sentence, vietnamese_context)
                for clause in found:
                    draft = self._claim(text, sentence, clause, names, last_person, last_org, drafts)
                    if draft is not None:
                        drafts.append(draft)
                continue
            clauses = [item] if item else _split_clauses(text, sentence)
            if item and not _ITEM_LINE.match(sentence.text):
                clauses = [item] + _split_clauses(text, sentence)  # the glossary line also states its definition
            if not item:  # a list continues under its heading until a line that is not an item
                heading = (sentence.text.rstrip(), sentence.paragraph) if sentence.text.rstrip().endswith(":") else None
            own = english_subject(_rules("en").leading.sub("", clauses[0].text)) if english and clauses else None
            first = True
            for clause in clauses:
                for part in _atomic(text, clause, sentence.language):
                    # "It" opening the sentence is the previous topic; later in the sentence, this sentence's subject
                    current = topic if first else (own or topic)
                    first = False
                    if not _quoted_speech(text, part, sentence.language) and (  # a quoted "I ..." is a claim
                            _writer_about_itself(part.text, sentence.language)
                            or _not_a_statement(part.text, sentence.language, sentence.text)):
                        continue
                    draft = self._claim(text, sentence, part, names, last_person, last_org, drafts, current)
                    if draft is None:
                        continue
                    drafts.append(draft)
                    for name in draft.entities if len(draft.quote) > _MAX_READ_CHARS else \
                            extract_entities(doc_slice(text, draft), names):
                        if is_person(name):
                            last_person = name
                        else:
                            org_mentions[name] = org_mentions.get(name, 0) + 1
            topic = own or topic
        return drafts

    def _claim(
        self,
        doc: str,
        sentence: Sentence,
        clause: _Clause,
        names: set[str],
        last_person: str | None,
        last_org: str | None,
        previous: list[ClaimDraft],
        topic: str | None = None,
    ) -> ClaimDraft | None:
        quote = doc[clause.start : clause.end]
        if not _is_fact_shaped(clause.text):  # "hired 1,000 people" is a fact once its subject is restored
            return None
        language = sentence.language
        rules = _rules(language)
        claim_text = rules.impersonal_report.sub("", clause.text)
        attribution = clause.attribution
        denies_index = None
        reported = None if attribution else find_reported_speech(claim_text, language)
        if reported and clause.parsed and not clause.unparsed_speech and not (
                reported.stance == "denies" and reported.anaphoric):
            reported = None  # the parse already read who says what; only "X a démenti cette information" is left
        if reported:
            speaker = _speaker_phrase(rules.leading.sub("", reported.speaker).strip(" ,"), language)
            if rules.person_pronoun.match(speaker) and last_person:
                speaker = last_person
            elif rules.org_anaphor.fullmatch(speaker) and last_org:
                speaker = last_org  # "The company confirmed": the organisation the article is about
            speaker_names = extract_entities(speaker, names)
            people = [n for n in speaker_names if is_person(n)]
            speaker = people[0] if people else (speaker_names[-1] if speaker_names else speaker)
            attribution = Attribution(speaker=speaker, stance=reported.stance, cue=reported.cue)
            content = claim_text[reported.content_start : reported.content_end].strip(_TRAILING)
            if reported.anaphoric and reported.stance == "denies" and previous:
                denies_index = len(previous) - 1
                content = previous[-1].text
            if content and len(tokens(content)) >= 2:
                claim_text = _speaker_as_subject(content, speaker, rules)
        elif attribution and attribution.stance == "denies" and previous and is_claim_anaphora(claim_text, language):
            denies_index = len(previous) - 1  # the parse read "bà X đã bác bỏ thông tin này": it denies the last claim
            claim_text = previous[-1].text
        claim_text = _strip_leading(claim_text, language)
        if language == "en":
            claim_text = _resolve_english(claim_text, topic, last_person)
        if not clause.parsed:
            claim_text = _resolve_anaphora(claim_text, last_person, last_org, language)
        if clause.parsed:  # the parse's names, and those of the restored subject (named in an earlier clause)
            entities = list(clause.entities) + [e for d in previous for e in d.entities
                                                if e in claim_text and e not in clause.entities]
            entities = list(dict.fromkeys(entities))
        elif len(quote) > _MAX_READ_CHARS:
            entities = []  # run-on text (see below): not read for names or figures, so its cost stays linear and small
        else:
            entities = extract_entities(claim_text, names)
        if not entities and clause.context_entities:
            entities = list(clause.context_entities)  # "..., dont au moins 10 ont été embauchés" keeps its sentence's names
        if attribution and attribution.speaker and entity_key(attribution.speaker) not in {entity_key(e) for e in entities}:
            entities = entities + ([attribution.speaker] if extract_entities(attribution.speaker, names) else [])
        quantities = extract_quantities(quote, clause.start, sentence.language) if len(quote) <= _MAX_READ_CHARS else []
        if clause.spans:  # a clause states the figures of its own words, not those of the clauses cut from it
            quantities = [q for q in quantities if any(a <= q.start and q.end <= b for a, b in clause.spans)]
        elif clause.derived:  # one list item of the quote states only its own figures
            quantities = [q for q in quantities if q.text in claim_text]
        if denies_index is not None:
            quantities = previous[denies_index].quantities
            entities = list(dict.fromkeys(previous[denies_index].entities + entities))
        # Any statement of fact is checkworthy, named or not ("Genes code for proteins"); opinions, advice,
        # predictions and the writer's remarks about itself are not.
        checkworthy = (
            not addresses_the_model(quote)
            and not is_opinion_or_advice(claim_text, language)
            and not is_opinion_or_advice(quote, language)
            and not quote.rstrip().endswith("?")
            and len(tokens(claim_text)) + len(quantities) >= 4  # "Meta offered $1 billion" is a whole claim
            and len(quote) <= _MAX_READ_CHARS
            and (not clause.fragment or denies_index is not None)  # "bác bỏ thông tin này" states the denied claim
            and (clause.parsed or len(claim_text) <= _MAX_CHECKED_CHARS and not is_fragment(claim_text, language))
        )
        first_word = claim_text.split()[0] if claim_text.split() else ""
        if first_word[:1].islower() and not any(c.isupper() for c in first_word[1:]):
            claim_text = claim_text[0].upper() + claim_text[1:]
        return ClaimDraft(
            text=claim_text,
            quote=quote,
            start=clause.start,
            end=clause.end,
            language=sentence.language,
            checkworthy=checkworthy,
            attribution=attribution,
            quantities=quantities,
            entities=entities,
            negated=is_negated(claim_text, language) if denies_index is None else previous[denies_index].negated,
            denies_claim_index=denies_index,
            self_contained=clause.self_contained,
        )


_MAX_CHECKED_CHARS = 400  # an unparsed clause longer than this is run-on text, not one checkable fact
_MAX_READ_CHARS = 1000  # a quote longer than this (a run-on "sentence" cut at 2,000 characters) is kept for the
# reader but not read for figures and names, and never check-worthy: no news sentence states one fact that long


def _parse_french(sents: list[Sentence]) -> dict[int, object]:
    """spaCy parses of the French sentences short enough to parse (one batch per document), by sentence id."""
    from service.analysis.nlp.french import MAX_PARSE_CHARS, MAX_PARSED_CHARS, parse_sentences

    french, budget = [], MAX_PARSED_CHARS
    for s in sents:
        if s.language == "fr" and len(s.text) <= MAX_PARSE_CHARS and _is_fact_shaped(s.text) and budget >= len(s.text):
            french.append(s)
            budget -= len(s.text)
    return {id(s): doc for s, doc in zip(french, parse_sentences([s.text for s in french]))} if french else {}


def _french(doc: str, sentence: Sentence, parse, context: list) -> list[_Clause]:
    """The clauses the French parse finds, as the extractor's clauses."""
    from service.analysis.nlp.french import french_clauses

    out = []
    for c in french_clauses(parse, sentence.start, sentence.text, context):
        start, end = _trim(doc, c.start, c.end)
        if end - start < 3:
            continue
        attribution = Attribution(speaker=c.speaker, stance="denies" if c.denies else "asserts", cue=c.cue) \
            if c.speaker else None
        for text in [c.text, *c.items]:
            out.append(_Clause(start, end, text, derived=True, parsed=True, attribution=attribution,
                               self_contained=c.self_contained, fragment=not (c.has_verb and c.has_subject),
                               spans=tuple(c.spans), entities=tuple(c.entities), unparsed_speech=c.unparsed_speech))
    return out


def _vietnamese_context():
    from service.analysis.nlp.vietnamese import Context

    return Context()


def _vietnamese(doc: str, sentence: Sentence, context) -> list[_Clause]:
    """The clauses pyvi's words and tags give, as the extractor's clauses."""
    from service.analysis.nlp.vietnamese import vietnamese_clauses

    out = []
    for c in vietnamese_clauses(sentence.text, sentence.start, context):
        start, end = _trim(doc, c.start, c.end)
        if end - start < 3:
            continue
        attribution = Attribution(speaker=c.speaker, stance="denies" if c.denies else "asserts", cue=c.cue) \
            if c.speaker else None
        out.append(_Clause(start, end, c.text, derived=True, parsed=True, attribution=attribution,
                           self_contained=c.self_contained, fragment=c.fragment, spans=((start, end),),
                           entities=tuple(c.names)))
    return out


def _atomic(doc: str, clause: _Clause, language: str) -> list[_Clause]:
    """The atomic facts of a clause; reported speech stays whole so that its speaker and stance stay attached."""
    if find_reported_speech(clause.text, language):
        return [clause]
    rules = _rules(language)
    skip = 0
    while (lead := rules.leading.match(clause.text[skip:])) and lead.end():
        skip += lead.end()
    body = rules.parenthetical.sub("", clause.text[skip:])  # "Sourcers, on the other hand, focus on ..."
    pieces = atomic_pieces(body[:1].upper() + body[1:] if skip else body, language)
    if not pieces:
        return [clause] if body == clause.text[skip:] else [_Clause(clause.start, clause.end, body,
                                                                     clause.context_entities, derived=True)]
    verbatim = doc[clause.start : clause.end] == clause.text and body == clause.text[skip:]
    out = []
    for piece in pieces:
        start, end = clause.start, clause.end
        if verbatim:
            start, end = _trim(doc, clause.start + skip + piece.start, clause.start + skip + piece.end)
            if end - start < 3:
                start, end = clause.start, clause.end
        out.append(_Clause(start, end, piece.text, clause.context_entities, derived=True))
    return out


_EN_OPENER_PHRASE = re.compile(r"^(?:in|on|at|during|after|before|since|as|by|from|between|throughout|until|under|"
                               r"following|despite|once|when|while|in total|overall|today)\b[^,]{0,60},\s+"
                               r"(?=(?i:he|she|it|they|his|her|its|their)\b)", re.IGNORECASE)
_ITEM_LINE = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•–])\s*")


def _list_item(doc: str, sentence: Sentence, heading: tuple[str, int]) -> _Clause | None:
    """A numbered or bulleted name under a heading that announces a list: the item is one of the heading's subject."""
    m = _ITEM_LINE.match(sentence.text)
    if not m:
        glossary = re.match(r"^(?P<term>[A-Z][^:\s]*(?:\s[^:\s]+){0,4}):\s", sentence.text)
        if glossary:  # "Intellilink: a tool for ..." under "The tools developed by Mondeca include:"
            claim = list_item_claim(glossary["term"], heading[0])
            return _Clause(sentence.start, sentence.end, claim, derived=True) if claim else None
        return None
    start, end = _trim(doc, sentence.start + m.end(), sentence.end)
    item = doc[start:end]
    if not item or len(item.split()) > 10 or re.search(r"\b(?:is|are|was|were|has|have|had)\b|[:;,]", item):
        return None
    claim = list_item_claim(item, heading[0])
    return _Clause(start, end, claim, derived=True) if claim else None


def _not_a_statement(text: str, language: str, sentence_text: str | None = None) -> bool:
    """Instructions to the reader ('Compare the quotes ...') and questions: neither true nor false."""
    if addresses_the_model(text):
        return False  # kept, never checkworthy, so that reviewers see the injection attempt
    if text.rstrip().endswith("?"):
        return True
    if sentence_text is not None and sentence_text.rstrip().endswith(":") and text.rstrip(" :") == sentence_text.rstrip(" :"):
        return True  # "Some of the tools include:" announces a list and states nothing itself
    body = _HEADING.sub("", _rules(language).leading.sub("", text.strip()))
    return language == "en" and is_imperative(body)


_HEADING = re.compile(r"^[^\W\d_][\w’' -]{0,40}:\s+")


def _quoted_speech(doc: str, clause: _Clause, language: str | None) -> bool:
    """True when the clause reports someone's words: a speaker is found, or its source span holds quotation marks."""
    return bool(find_reported_speech(clause.text, language)) or any(q in doc[clause.start : clause.end + 2] for q in "\"“”«»")


def _writer_about_itself(text: str, language: str | None) -> bool:
    """The writer speaking of itself ("As an AI language model, I cannot...", "I'm sorry"): not about the world."""
    rules = _rules(language)
    return bool(rules.self_reference.match(rules.leading.sub("", text.strip())))


_EN_EXPLETIVE = re.compile(
    r"^it(?:\s+is|\s+was|['’]s)\s+(?:\S+\s+){0,3}?(?:to(?!\s+(?:the|a|an|most|many|all|some|this|these|its|their|"
    r"his|her|[A-Z\d]))|that|whether|because)\b|^it\s+(?:seems|appears|takes|remains)\b",
    re.IGNORECASE,
)


def _plural(noun_phrase: str) -> bool:
    words = noun_phrase.split()
    head = words[-1]
    if len(words) > 1 and head[:1].isupper():
        return False  # a name: "Microsoft Research Asia"
    return head.lower().endswith("s") and not head.lower().endswith(("ss", "us", "is", "ics", "sis"))


def _agrees(pronoun: str, topic: str) -> bool:
    """'It' takes a singular topic, 'they' a plural one or a name (companies are 'they' as often as 'it')."""
    if pronoun == "it":
        return not _plural(topic)
    return _plural(topic) or all(w[:1].isupper() for w in topic.split() if w.lower() not in {"the", "of", "and", "for"})


def _person_like(name: str | None) -> bool:
    return bool(name) and 1 <= len(name.split()) <= 5 and all(w[:1].isupper() for w in name.split())


def _resolve_english(text: str, topic: str | None, last_person: str | None) -> str:
    """'It'/'They' -> the topic, 'He'/'She' -> the person written about, 'His research' -> 'Gary Smith's research',
    'These changes' -> 'Epigenetic changes' when the topic ends in that noun."""
    opener = _EN_OPENER_PHRASE.match(text)
    if opener:
        return text[: opener.end()] + _resolve_english(text[opener.end() :], topic, last_person)
    person = topic if _person_like(topic) else last_person
    m = re.match(r"(?i:he|she)\b", text)
    if m:
        return person + text[m.end() :] if person else text
    m = re.match(r"(?i:it|they)\b(?!['’])", text)
    if m and topic and not _EN_EXPLETIVE.match(text) and _agrees(m.group(0).lower(), topic):
        return topic + text[m.end() :]
    m = re.match(r"(?i:(his|her)|(its|their))\s+(?=[a-z])", text)
    if m:
        owner = person if m.group(1) else topic
        if not owner:
            return text
        return f"{owner}’ {text[m.end() :]}" if owner.endswith("s") and not _person_like(owner) else \
            f"{owner}'s {text[m.end() :]}"
    m = re.match(r"(?i:this|these|that|those)\s+([a-z]+)\b", text)
    if m and topic and topic.split()[-1].lower().rstrip("s") == m.group(1).lower().rstrip("s"):
        return topic + text[m.end() :]
    return text


def _speaker_as_subject(content: str, speaker: str | None, rules: _Rules) -> str:
    """In reported speech a pronoun subject is the speaker: "Alvora Rail denied that it paid bribes" -> "Alvora Rail
    paid bribes"; "Fournier said she would resign" -> "Fournier would resign". Only a named speaker replaces it."""
    if not speaker or not speaker[:1].isupper():
        return content
    m = rules.person_pronoun.match(content) or re.match(r"(?i:it|they|il|elle|ils|elles|nó|họ)\b(?!['’])", content)
    if not m and not is_person(speaker):  # "Samsung denied reports that the company plans ..."
        m = rules.org_anaphor.match(content)
    if m:
        return speaker + content[m.end() :]
    owner = re.match(r"(?:its|their)\s", content, re.IGNORECASE)  # "Callexa denied that its systems ..."
    return f"{speaker}'s {content[owner.end():]}" if owner else content


def doc_slice(text: str, draft: ClaimDraft) -> str:
    """The quoted text of a draft: names are counted where they are written, not where they were carried."""
    return text[draft.start : draft.end]


def _resolve_anaphora(text: str, last_person: str | None, last_org: str | None, language: str | None) -> str:
    """Replace a leading 'Il'/'He'/'L'entreprise' with the person or organisation last named."""
    rules = _rules(language)
    m = rules.person_pronoun.match(text)
    if m and last_person:
        return last_person + text[m.end() :]
    m = rules.org_anaphor.match(text)
    if m and last_org:
        return last_org + text[m.end() :]
    return text


def extract_claims(text: str, language_hint: str | None = None) -> list[ClaimDraft]:
    """Convenience: normalise then extract with the offline extractor."""
    return OfflineClaimExtractor().extract(normalise(text), language_hint)


def single_claim(text: str, language: str | None = None) -> ClaimDraft:
    """The whole (normalised) text as one claim: for checking a claim as given, without splitting it."""
    language = language or detect_language(text)
    quote = text.strip()
    start = text.find(quote) if quote else 0
    reported = find_reported_speech(quote, language)
    attribution, content = None, quote
    if reported:
        attribution = Attribution(speaker=reported.speaker, stance=reported.stance, cue=reported.cue)
        content = quote[reported.content_start : reported.content_end].strip(_TRAILING) or quote
    entities = extract_entities(content)
    if attribution and attribution.speaker:
        entities += [n for n in extract_entities(attribution.speaker) if n not in entities]
    quantities = extract_quantities(quote, start, language)
    return ClaimDraft(
        text=content, quote=quote, start=start, end=start + len(quote), language=language,
        checkworthy=bool(entities or quantities) and not is_hedged(content, language), attribution=attribution,
        quantities=quantities, entities=entities, negated=is_negated(content, language),
    )
