"""French clauses from spaCy's dependency parse: one fact per clause, each with its subject restored.

A sentence is cut at its predicates: the main verb, verbs coordinated with it, relative clauses (found by their
relative pronoun, since the parser often attaches them elsewhere), the content of reported speech (`ccomp` or
`parataxis` of a reporting verb) and appositions that give a role ("Mike Coupe, directeur général de Sainsbury's"
-> "Mike Coupe est directeur général de Sainsbury's"). Each clause keeps its own tokens; a subject it lacks is
restored from the clause it depends on (a coordinated verb takes its neighbour's subject, a relative pronoun its
antecedent), and a subject pronoun is resolved to the nearest earlier subject that agrees with it in gender and
number, or the clause is marked not self-contained.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from service.analysis.attribution import find_reported_speech
from service.analysis.languages import pack
from service.analysis.nlp.shape import FRENCH_RELATIVES, opens_with_subject

MAX_PARSE_CHARS = 1200  # longer "sentences" are run-on text: not parsed, so the cost per sentence stays bounded
# The parser reads about 10 ms of sentence per 100 characters on a busy 2-core machine: a document's first 300,000
# characters of French are parsed (half a minute at most), the rest is read with the clause rules.
MAX_PARSED_CHARS = 300_000

_SUBJECT = ("nsubj", "nsubj:pass", "csubj")
_PERSONAL = {"il": ("Masc", "Sing"), "elle": ("Fem", "Sing"), "ils": ("Masc", "Plur"), "elles": ("Fem", "Plur"),
             "celui-ci": ("Masc", "Sing"), "celle-ci": ("Fem", "Sing"), "ceux-ci": ("Masc", "Plur"),
             "celles-ci": ("Fem", "Plur")}
_DEMONSTRATIVE = {"ce", "c'", "cela", "ceci", "ça"}
_RELATIVE = FRENCH_RELATIVES
_LIST_OPENERS = {"notamment", "dont", "comme", "telles", "tels", "telle", "tel", "y", "surtout", "par", "soit"}
_DETERMINERS = {"le", "la", "les", "l'", "l’", "un", "une", "des", "du", "ce", "cet", "cette", "ces"}
_NP_DEPS = {"det", "amod", "nmod", "flat:name", "flat", "nummod", "case", "fixed", "compound", "advmod"}


@dataclass
class FrenchClause:
    """One fact of a sentence: offsets into the document, the restored text and what the parse said of it."""

    start: int
    end: int
    text: str
    subject: str | None  # the restored subject, for later pronouns
    has_verb: bool
    has_subject: bool
    self_contained: bool = True
    speaker: str | None = None  # reported speech: who, and whether they deny it
    denies: bool = False
    cue: str | None = None
    entities: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # document ranges of the clause's own tokens
    items: list[str] = field(default_factory=list)  # the same clause for its other coordinated objects
    unparsed_speech: bool = False  # a reporting verb whose content the parser did not attach


@dataclass
class Antecedent:
    """A subject that a later pronoun may refer to."""

    text: str
    gender: str | None
    number: str | None
    person: bool = False
    recent: bool = True  # named in the previous sentence (earlier people are kept only to spell names in full)


def parse_sentences(texts: list[str]) -> list[Any]:
    """spaCy Docs of `texts`, parsed in one batch; typographic apostrophes read as ASCII (same length, so every
    character offset of the Doc is an offset of the original text)."""
    from service.analysis.nlp.models import french

    return list(french().pipe(t.replace("’", "'") for t in texts))


def _morph(token) -> tuple[str | None, str | None]:
    """Gender and number; a name's grammatical gender says nothing of what it names ("Meta", "Sainsbury's")."""
    gender = token.morph.get("Gender") if token.pos_ == "NOUN" and not token.text[:1].isupper() else None
    number = token.morph.get("Number")
    return (gender[0] if gender else None), (number[0] if number else None)


def _agrees(features: tuple[str, str], antecedent: Antecedent) -> bool:
    gender, number = features
    if antecedent.number and antecedent.number != number:
        return False
    return not (antecedent.gender and antecedent.gender != gender and not antecedent.person)


class _Sentence:
    """The parse of one sentence and the clause decomposition read from it."""

    def __init__(self, doc, offset: int, source: str, context: list[Antecedent]):
        self.doc = doc
        self.offset = offset
        self.source = source  # the sentence as written (the Doc reads ASCII apostrophes)
        self.context = context
        lp = pack("fr")
        self.reporting = set(lp.reporting_lemmas)
        self.denying = set(lp.denial_lemmas)
        self.according = set(lp.according_lemmas)
        self.heads: dict[int, str] = {}  # token index -> kind of clause it heads
        self.subjects: list[Antecedent] = []  # subjects and objects of this sentence's clauses, in order
        self.objects: list[Antecedent] = []
        self.dropped: set[int] = set()  # tokens of a trailing attribution ("..., a indiqué NBC News.")

    # -- which tokens head a clause -------------------------------------------------------------------------

    def predicate(self, token) -> bool:
        if token.pos_ in ("VERB", "AUX") or "Fin" in token.morph.get("VerbForm"):
            return True
        return any(c.dep_ in _SUBJECT or c.dep_ == "cop" for c in token.children)

    def reporting_verb(self, token) -> bool:
        lemma = token.lemma_.lower()
        if lemma in self.reporting or lemma in self.denying:
            return True
        return lemma == "faire" and any(c.lemma_.lower() == "savoir" for c in token.children)

    def find_heads(self) -> None:
        doc = self.doc
        for token in doc:
            if token.i in self.dropped:
                continue
            dep = token.dep_
            if dep == "ROOT":
                self.heads[token.i] = "root"
            elif self._hearsay_content(token):
                self.heads[token.i] = "content"
            elif self._relative_head(token):
                self.heads[token.i] = "relcl"
            elif dep in ("ccomp", "parataxis") and self.reporting_verb(token.head) and self.predicate(token):
                self.heads[token.i] = "content"
            elif dep == "conj" and self.predicate(token) and self._after_coordinator(token):
                self.heads[token.i] = "conj"
            elif dep == "appos" and token.pos_ == "NOUN" and token.head.pos_ in ("PROPN", "NOUN", "X") \
                    and token.i > token.head.i and self._comma_before(token) and len(list(token.subtree)) >= 2 \
                    and min(token.subtree, key=lambda t: t.i).lower_ not in _LIST_OPENERS:
                self.heads[token.i] = "appos"
            elif dep == "parataxis" and self.predicate(token) and any(c.dep_ in _SUBJECT for c in token.children):
                self.heads[token.i] = "conj"
            elif self._surface_apposition(token):
                self.heads[token.i] = "appos"  # the parser took "le fils aîné de ..." for the subject or object
            elif self._detached_attribute(token):
                self.heads[token.i] = "appos"  # "Saipov, âgé de 30 ans, ..." -> "Saipov est âgé de 30 ans"
            elif dep in ("advcl", "conj", "acl") and token.pos_ == "VERB" and "Pres" in token.morph.get("Tense") \
                    and "Part" in token.morph.get("VerbForm") and any(c.lower_ == "en" for c in token.children):
                self.heads[token.i] = "gerund"  # "..., tout en continuant à recruter": a second fact

    def _stray_verbs(self) -> None:
        """'Renault, qui a vendu ..., a ouvert une usine': when the parser made the subject noun the root, the main
        verb hangs somewhere below it; a finite verb after a comma with no subject of its own is that verb."""
        root = next((t for t in self.doc if t.dep_ == "ROOT"), None)
        if root is None or self.predicate(root):
            return
        for token in self.doc:
            if token.i in self.heads or token.pos_ != "VERB" or any(c.dep_ in _SUBJECT for c in token.children):
                continue
            finite = "Fin" in token.morph.get("VerbForm") or any(c.dep_.startswith("aux") for c in token.children)
            if finite and self._comma_before(token):
                self.heads[token.i] = "conj"

    def _surface_apposition(self, token) -> bool:
        """', le propriétaire de la chaîne Lloyds,' right after a name: a determiner phrase between commas (or a comma
        and the sentence end) with no verb in it, whatever dependency the parser gave it."""
        if token.pos_ != "NOUN" or token.dep_ in ("ROOT", "conj") or not any(c.dep_ == "det" for c in token.children):
            return False
        span = sorted(token.subtree, key=lambda t: t.i)
        first, last = span[0], span[-1]
        if first.lower_ not in _DETERMINERS or first.i < 2 or self.doc[first.i - 1].text != ",":
            return False
        name = self.doc[first.i - 2]
        after = self.doc[last.i + 1] if last.i + 1 < len(self.doc) else None
        return name.pos_ in ("PROPN", "X") and name.text[:1].isupper() and (after is None or after.text in (",", ".")) \
            and not any(t.pos_ in ("VERB", "AUX") for t in span) and len(span) >= 3

    def _detached_attribute(self, token) -> bool:
        """A participle or adjective phrase between commas after a name or noun ("située dans le Worcestershire")."""
        if token.dep_ not in ("acl", "amod", "appos", "nmod") or token.head.pos_ not in ("NOUN", "PROPN", "X") \
                or not self._comma_before(token):
            return False  # a participle hanging on the verb ("..., accompagné d'un investissement") is not about a noun
        participle = token.pos_ == "VERB" and "Part" in token.morph.get("VerbForm") and "Past" in token.morph.get("Tense")
        adjective = token.pos_ == "ADJ" and any(c.dep_ in ("obl:arg", "obl:mod", "nmod", "obl") for c in token.children)
        if not (participle or adjective) or len(list(token.subtree)) < 3:
            return False
        first = min(token.subtree, key=lambda t: t.i)
        last = max(token.subtree, key=lambda t: t.i)
        closed = last.i + 1 < len(self.doc) and self.doc[last.i + 1].text == ","  # an insertion between commas; at
        # the sentence end a participle is about the whole clause ("..., accompagné d'un investissement de X")
        return closed and first.i >= 2 and self.doc[first.i - 2].pos_ in ("NOUN", "PROPN", "X") and not any(
            c.dep_.startswith("aux") or c.dep_ in _SUBJECT for c in token.children)

    def _hearsay_content(self, token) -> bool:
        """"a démenti les informations selon lesquelles X": X is what is denied (or reported)."""
        noun = token.head
        first = min(token.subtree, key=lambda t: t.i)
        return token.dep_ == "acl:relcl" and self.predicate(token) and noun.lemma_.lower() in _HEARSAY_NOUNS \
            and noun.dep_ == "obj" and self.reporting_verb(noun.head) and first.lower_ in self.according \
            and first.i + 1 < len(self.doc) and self.doc[first.i + 1].lower_ in _LEQUEL

    def _relative_head(self, token) -> bool:
        """A verb whose clause opens with a relative pronoun ("qui", "que", "dont", "où")."""
        if not self.predicate(token) or token.dep_ == "ROOT":
            return False
        first = min(token.subtree, key=lambda t: t.i)
        return first.lower_ in _RELATIVE and first.i > 0 and (first.head.i == token.i or first.head.head.i == token.i) \
            and len(list(token.subtree)) >= 3 and (first.lower_ not in ("que", "qu'") or first.pos_ == "PRON"
                                                    or first.dep_ in ("obj", "nsubj"))

    def _after_coordinator(self, token) -> bool:
        first = min(token.subtree, key=lambda t: t.i)
        before = self.doc[first.i - 1] if first.i > 0 else None
        cc = any(c.dep_ == "cc" for c in token.children)
        return cc or (before is not None and before.text in (",", ";"))

    def _comma_before(self, token) -> bool:
        first = min(token.subtree, key=lambda t: t.i)
        return first.text == "," or (first.i > 0 and self.doc[first.i - 1].text == ",")

    # -- tokens and text ------------------------------------------------------------------------------------

    def own_tokens(self, head) -> list:
        """The head's subtree without the subtrees of the clauses split off below it."""
        out = []
        stack = [head]
        while stack:
            token = stack.pop()
            if token.i in self.dropped:
                continue
            out.append(token)
            stack.extend(c for c in token.children if c.i not in self.heads)
        out.sort(key=lambda t: t.i)
        return out

    def subject_of(self, head) -> Any | None:
        subject = next((c for c in head.children if c.dep_ in _SUBJECT and c.i not in self.dropped), None)
        if subject is not None and self.heads.get(subject.i) == "appos":
            # "Track Palin, le fils aîné de ..., a été arrêté": the apposition is cut off, the name is the subject
            return self.antecedent_token(min(subject.subtree, key=lambda t: t.i))
        return subject

    def phrase(self, token, stop: int | None = None) -> str:
        """A noun phrase: the token's subtree without clauses, appositions and what lies at or after `stop`."""
        keep = []
        stack = [token]
        while stack:
            t = stack.pop()
            keep.append(t)
            for c in t.children:
                if c.i in self.heads or c.i in self.dropped or (stop is not None and c.i >= stop):
                    continue
                if c.dep_ in ("appos", "acl:relcl", "acl", "conj", "cc", "punct") and c.i > token.i:
                    continue
                stack.append(c)
        keep.sort(key=lambda t: t.i)
        first = keep[0] if keep else None
        while first is not None and first.pos_ in ("PROPN", "X") and first.i > 0 and self.doc[first.i - 1].pos_ in (
                "PROPN", "X") and self.doc[first.i - 1].text[:1].isupper() and self.doc[first.i - 1].i not in self.heads:
            first = self.doc[first.i - 1]  # "Mistral AI": the parser hung "Mistral" elsewhere
            keep.insert(0, first)
        while keep and keep[-1].pos_ in ("PUNCT", "ADP", "CCONJ"):
            keep.pop()
        while keep and keep[0].dep_ in ("case", "fixed", "punct", "cc") and keep[0].i < token.i:
            keep.pop(0)  # "jusqu'à 3 000 articles" -> "3 000 articles"
        last = keep[-1] if keep else None
        if last is not None and last.i + 1 < len(self.doc) and not last.whitespace_ and self.doc[last.i + 1].text == "s" \
                and last.text.endswith("'"):
            keep.append(self.doc[last.i + 1])  # "Sainsbury's", which the French tokenizer cuts after the apostrophe
        return self.surface(keep)

    def surface(self, tokens: list) -> str:
        """The original text of tokens, with the spacing they had; gaps become one space."""
        pieces = []
        for k, t in enumerate(tokens):
            pieces.append(self.source[t.idx : t.idx + len(t.text)])
            if k + 1 < len(tokens):
                pieces.append(t.whitespace_ if tokens[k + 1].i == t.i + 1 else " ")
        return "".join(pieces).strip()

    def antecedent_token(self, pronoun) -> Any | None:
        """The noun phrase a relative pronoun stands for: the phrase that ends just before it (commas skipped)."""
        i = pronoun.i - 1
        while i >= 0 and self.doc[i].pos_ == "PUNCT":
            i -= 1
        if i < 0:
            return None
        token = self.doc[i]
        comma = self.doc[pronoun.i - 1].pos_ == "PUNCT"
        while token.dep_ in _NP_DEPS and token.head.i < pronoun.i and token.head.i != token.i \
                and token.head.pos_ in ("NOUN", "PROPN", "X", "NUM", "ADJ"):
            if not comma and token.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "det" for c in token.children):
                break  # "un demandeur d'asile qui contestait": a restrictive relative names the closest phrase
            token = token.head
        return token if token.pos_ in ("NOUN", "PROPN", "X", "PRON", "NUM") else None

    def full_name(self, name: str) -> str:
        """'Musk' after 'Elon Musk': the fullest form of a one-word name among the people named so far."""
        if len(name.split()) != 1:
            return name
        longer = [a.text for a in self.context + self.subjects
                  if a.person and len(a.text.split()) > 1 and name in a.text.split()]
        return longer[-1] if longer else name

    def resolve(self, pronoun) -> str | None:
        found = self._resolve(pronoun)
        return self.full_name(found) if found else None

    def _resolve(self, pronoun) -> str | None:
        """The antecedent of a subject pronoun when one reading is clear, else None (the clause is then marked
        not self-contained). Inside a sentence: the one subject or object of an earlier clause that agrees with it
        (two that agree are ambiguous). Opening a sentence: the one person the previous sentence names, else the
        nearest earlier subject that agrees."""
        features = _PERSONAL.get(pronoun.lower_)
        if features is None:
            return None
        within = list(dict.fromkeys(a.text for a in self.subjects + self.objects
                                    if _agrees(features, a) and a.text.lower() not in _PERSONAL))
        if len(within) == 1:
            return within[0]
        if len(within) > 1:
            return None
        people = list(dict.fromkeys(a.text for a in self.context if a.person and a.recent and _agrees(features, a)))
        if features[1] == "Sing" and len(people) == 1:
            return people[0]
        if len(people) > 1:
            return None
        for candidate in reversed(self.context):
            if candidate.recent and _agrees(features, candidate) and not candidate.person:
                return candidate.text
        return None


def french_clauses(doc, offset: int, source: str, context: list[Antecedent]) -> list[FrenchClause]:
    """The clauses of one parsed French sentence; `context` holds earlier sentences' subjects (updated here)."""
    s = _Sentence(doc, offset, source, context)
    trailing = _trailing_attribution(s)
    s.find_heads()
    s._stray_verbs()
    speaker_of: dict[int, tuple[str | None, bool, str, int]] = {}
    built: list[tuple[int, FrenchClause]] = []
    carried: dict[int, tuple[str, Antecedent | None]] = {}
    for index in sorted(s.heads):
        head = doc[index]
        kind = s.heads[index]
        contents = [c for c in head.children if s.heads.get(c.i) == "content"] + [
            g for c in head.children if c.dep_ == "obj" for g in c.children if s.heads.get(g.i) == "content"]
        if contents and kind in ("root", "conj", "relcl"):
            # reported speech: the reporting clause names the speaker of its content and is no claim itself
            subject = s.subject_of(head)
            speaker = _speaker_name(s, subject) if subject is not None else carried.get(index, (None, None))[0]
            if subject is not None and subject.lower_ in _PERSONAL:
                speaker = s.resolve(subject) or speaker
            reporting_start = s.offset + min(t.idx for t in s.own_tokens(head))
            for c in contents:
                speaker_of[c.i] = (speaker, head.lemma_.lower() in s.denying, s.surface([head]), reporting_start)
            if subject is not None and speaker:
                features = Antecedent(speaker, *_morph(subject), person=subject.ent_type_ == "PER")
                carried[index] = (speaker, features)
                if subject.lower_ not in _PERSONAL:
                    s.subjects.append(features)
            continue
        own = s.own_tokens(head)
        if s.reporting_verb(head) and head.lemma_.lower() not in s.denying and not any(
                c.dep_ in ("obj", "ccomp", "xcomp", "nsubj:pass") for c in head.children) and len(own) <= 7:
            continue  # "Saipov a déclaré aux autorités": what he declared is another clause
        clause = _build(s, head, kind, carried)
        if clause is not None and s.reporting_verb(head) and any(t.lower_ in ("que", "qu'") for t in own):
            clause.unparsed_speech = True  # the parser missed the content: the reported-speech patterns read it
        if clause is not None:
            built.append((index, clause))
    out: list[FrenchClause] = []
    for index, clause in built:
        token = doc[index]
        report = None
        while report is None:  # the content of reported speech, or a clause coordinated with that content
            report = speaker_of.get(token.i)
            if report is not None or token.head.i == token.i or s.heads.get(token.i) not in ("conj", "content", "relcl"):
                break
            if s.heads.get(token.i) == "conj" and s.subject_of(token) is not None and not any(
                    c.dep_ == "cc" and c.lower_ == "et" for c in token.children):
                break  # "..., mais cette affirmation a été niée par Meta": the narrator speaks again
            token = token.head
        if report and report[0] and not clause.speaker:
            clause.speaker, clause.denies, clause.cue, reporting_start = report
            if reporting_start < clause.start and token.i == index:
                clause.start = reporting_start  # the quote shows who says it: "Sam Altman, a affirmé que ..."
        elif trailing and not clause.speaker:
            clause.speaker, clause.cue = trailing
        out.append(clause)
    people = [Antecedent(s.source[e.start_char : e.end_char], None, "Sing", person=True)
              for e in doc.ents if e.label_ == "PER" and len(e) >= 2]
    earlier_people = [Antecedent(a.text, a.gender, a.number, person=True, recent=False) for a in context
                      if a.person and a.text not in {p.text for p in people}][-4:]
    context[:] = earlier_people + s.subjects + people
    return out


def _trailing_attribution(s: _Sentence) -> tuple[str, str] | None:
    """'..., a indiqué NBC News.': the speaker and cue; the tokens of that attribution are dropped from clauses."""
    found = find_reported_speech(s.source, "fr")
    if found is None or found.stance != "asserts" or found.content_start != 0 \
            or found.content_end >= len(s.source.rstrip(" .")):
        return None
    cut = found.content_end
    s.dropped = {t.i for t in s.doc if t.idx >= cut}
    speaker = found.speaker.strip(" .")
    return speaker, found.cue


def _build(s: _Sentence, head, kind: str, carried: dict[int, tuple[str, Antecedent | None]]) -> FrenchClause | None:
    tokens = s.own_tokens(head)
    tokens = [t for t in tokens if not (t.lower_ in ("ce", "c'") and any(s.heads.get(c.i) == "relcl" for c in t.children)
                                        or t.lower_ == "ce" and t.i + 1 < len(s.doc) and s.doc[t.i + 1].lower_ in _RELATIVE
                                        and t.i != tokens[0].i)]
    speaker = None
    if kind == "content":  # "selon lesquelles" opens what the reported information says
        tokens = [t for t in tokens if t.lower_ not in _LEQUEL and not (t.dep_ == "case" and t.head.lower_ in _LEQUEL)]
    for case in [t for t in tokens if t.dep_ == "case" and t.lower_ in s.according and t.head.lower_ not in _LEQUEL]:
        governor = case.head  # "Selon les autorités, ..." is attribution, not content ("selon lesquelles" is not)
        speaker = s.phrase(governor)
        drop = {t.i for t in governor.subtree}
        tokens = [t for t in tokens if t.i not in drop]
    while tokens and (tokens[0].pos_ in ("CCONJ", "PUNCT", "SCONJ") or tokens[0].dep_ in ("cc", "mark")
                      or kind == "gerund" and tokens[0].lower_ in ("tout", "en")):
        tokens = tokens[1:]
    while tokens and tokens[-1].pos_ in ("PUNCT", "CCONJ"):
        tokens = tokens[:-1]
    if len(tokens) < 2:
        return None
    own = {t.i for t in tokens}
    subject = s.subject_of(head)
    if subject is not None and subject.i not in own:
        subject = None
    if subject is None and kind in ("root", "content"):
        # "En outre, Shengjia Zhao, ..., a rejoint": a name before the verb that no preposition governs is the
        # subject the parser attached elsewhere
        subject = next((t for t in tokens if t.i < head.i and t.pos_ in ("PROPN", "X") and t.text[:1].isupper()
                        and t.dep_ not in ("flat:name", "flat") and not any(c.dep_ == "case" for c in t.children)
                        and t.head.dep_ not in ("obl", "obl:mod", "obl:arg", "nmod")), None)
    replace: dict[int, str] = {}
    insert_after: dict[int, str] = {}
    prefix = ""
    subject_text: str | None = None
    antecedent: Antecedent | None = None
    self_contained = True
    relative = next((t for t in tokens[:2] if t.lower_ in _RELATIVE), None) if kind == "relcl" else None
    if kind == "appos":  # "Mike Coupe, directeur général de X" -> "Mike Coupe est directeur général de X"
        first = min(head.subtree, key=lambda t: t.i)
        governor = s.antecedent_token(first) or head.head
        owner = s.phrase(governor, stop=first.i)
        _, number = _morph(governor)
        copula = "sont" if number == "Plur" else "est"
        prefix = f"{owner} {copula}"
        subject_text = owner
    elif relative is not None:
        noun = s.antecedent_token(relative)
        ante = s.phrase(noun, stop=relative.i) if noun is not None else None
        number = next((t for t in tokens if t.i > relative.i and t.pos_ in ("NUM", "PRON") and t.text[:1].isdigit()), None)
        if ante is None or ante.lower() in _DEMONSTRATIVE:  # "..., ce qui fait grimper les prix": an event
            self_contained = False
            replace[relative.i] = "cela" if ante else ""
            subject_text = None
        elif relative.lower_ == "dont" and number is not None:
            # "dont au moins 10 ont été embauchés" -> "au moins 10 employés d'OpenAI ont été embauchés"
            replace[relative.i] = ""
            insert_after[number.i] = _noun_core(s, noun, relative.i)
        elif relative.lower_ == "qui" or (subject is not None and subject.i == relative.i):
            replace[relative.i] = ante
            subject_text = ante
            antecedent = Antecedent(ante, *_morph(noun), person=noun.ent_type_ == "PER")
        else:  # "que la Marine a commandés" / "où il se trouve" / "dont le but est": the antecedent joins the end
            replace[relative.i] = ""
            low = ante[0].lower() + ante[1:] if ante.split()[0].lower() in _DETERMINERS else ante
            if relative.lower_ in ("que", "qu'"):
                insert_after[head.i] = low  # "que la Marine a commandés" -> "la Marine a commandés les navires"
            else:
                insert_after[tokens[-1].i] = f"de {low}" if relative.lower_ == "dont" else f"({ante})"
            if subject is not None:
                subject_text = s.phrase(subject)
    if kind != "appos" and subject_text is None and subject is not None and subject.i not in replace:
        if subject.lower_ in _PERSONAL:
            found = s.resolve(subject)
            if found:
                replace[subject.i] = found
                subject_text = found
            else:
                self_contained = False
        elif subject.lower_ in _DEMONSTRATIVE or subject.morph.get("PronType") == ["Dem"]:
            self_contained = False
        elif subject.morph.get("PronType") != ["Rel"]:
            subject_text = s.phrase(subject)
            antecedent = Antecedent(subject_text, *_morph(subject), person=subject.ent_type_ == "PER")
    if kind == "gerund":  # no finite verb: kept for the reader, never check-worthy (see has_verb below)
        source = _neighbour(s, head)
        if source is not None and source.i in carried:
            prefix = carried[source.i][0]
    elif kind in ("conj", "content") and subject is None and relative is None and tokens[0].pos_ == "PRON" \
            and tokens[0].lower_.split("-")[0] in ("il", "elle", "ils", "elles", "celui", "celle", "ceux", "celles"):
        subject = tokens[0]  # "mais celle-ci ne sera pas": a pronoun the parser did not attach as subject
        found = s.resolve(subject) if subject.lower_ in _PERSONAL else None
        if found:
            replace[subject.i] = found
            subject_text = found
        else:
            self_contained = False
    elif kind in ("conj", "content") and subject is None and relative is None and not any(
            t.dep_.startswith("expl") for t in tokens):
        # a coordinated verb without a subject takes its neighbour's: "a attaqué et blessé" -> "X a blessé"
        source = _neighbour(s, head)
        if source is not None and source.i in carried:
            text, features = carried[source.i]
            own_aux = any(c.dep_.startswith("aux") for c in head.children) or "Part" not in head.morph.get("VerbForm")
            aux = "" if own_aux else " ".join(c.text for c in source.children  # "a attaqué et blessé": "a" for both
                                              if c.dep_ in ("aux:tense", "aux:pass") and c.i < source.i)
            prefix = f"{text} {aux}".strip()
            subject_text, antecedent = text, features
        else:
            self_contained = False
    elif kind == "root" and subject is None and relative is None and not any(
            t.dep_.startswith("expl") for t in tokens) and head.pos_ in ("VERB", "AUX"):
        self_contained = "Fin" in head.morph.get("VerbForm") or any(c.dep_.startswith("aux") for c in head.children)
    for t in tokens:
        if t.dep_ == "obj" and t.pos_ in ("NOUN", "PROPN"):
            s.objects.append(Antecedent(s.phrase(t), *_morph(t), person=t.ent_type_ == "PER"))
    if subject_text:
        carried[head.i] = (subject_text, antecedent)
        if antecedent is not None and kind != "appos":
            s.subjects.append(antecedent)
    variants = _object_items(s, tokens, subject)
    if len(variants) > 1:
        texts = [_assemble(s, v, prefix, replace, insert_after) for v in variants]
        text = texts[0]
    else:
        texts = []
        text = _assemble(s, tokens, prefix, replace, insert_after)
    if not text:
        return None
    has_verb = kind == "appos" or kind != "gerund" and any(
        t.pos_ in ("VERB", "AUX") or "Fin" in t.morph.get("VerbForm") for t in tokens)
    has_subject = bool(subject_text or prefix) or any(
        t.dep_.startswith(("nsubj", "expl", "csubj")) and t.lower_ not in _RELATIVE | _DEMONSTRATIVE for t in tokens
    ) or opens_with_subject(tokens)
    clause = FrenchClause(
        start=s.offset + tokens[0].idx, end=s.offset + tokens[-1].idx + len(tokens[-1].text),
        text=text[0].upper() + text[1:], subject=subject_text, has_verb=has_verb, has_subject=has_subject,
        self_contained=self_contained, entities=_entities(s, tokens), spans=_runs(s, tokens))
    if speaker:
        clause.speaker, clause.cue = speaker, "selon"
    clause.items = [t[0].upper() + t[1:] for t in texts[1:] if t]
    return clause


def _object_items(s: _Sentence, tokens: list, subject) -> list[list]:
    """'dotés d'un canon puissant et d'une gamme de missiles': one token list per coordinated object, each with
    its own determiner (lists of bare nouns and adjectives stay whole: 'la violence conjugale et la violence des
    gangs' is split, 'antiaériens et antinavires' is not)."""
    own = {t.i for t in tokens}
    for token in tokens:
        if token.dep_ != "conj" or token.pos_ not in ("NOUN", "PROPN") or token.head.i not in own:
            continue
        first = token.head
        if first.dep_ not in ("obj", "obl:arg", "obl:mod", "obl", "xcomp") or (subject is not None and first.i == subject.i):
            continue
        if not any(c.dep_ == "det" for c in first.children) or not any(c.dep_ == "det" for c in token.children):
            continue
        second = {t.i for t in token.subtree} | {c.i for c in token.children if c.dep_ == "cc"}
        cc = [c for c in token.children if c.dep_ == "cc"]
        if not cc:
            continue
        first_span = {t.i for t in first.subtree} - second
        a = [t for t in tokens if t.i not in second]
        b = [t for t in tokens if t.i not in first_span and t.i not in {c.i for c in cc}]
        b = [t for t in b if not (t.dep_ == "punct" and t.i < token.i and t.i > first.i)]
        if len(a) >= 3 and len(b) >= 3:
            return [a, b]
    return []


def _speaker_name(s: _Sentence, subject) -> str:
    """Who speaks: the person (else the organisation) the subject names, in full when named in full earlier
    ("Le PDG d'OpenAI, Sam Altman" -> "Sam Altman"; "Musk" after "Elon Musk" -> "Elon Musk"), else the phrase."""
    inside = {t.i for t in subject.subtree} | set(range(subject.i, subject.head.i))  # "Le PDG d'OpenAI, Sam Altman, a"
    for label in ("PER", "ORG"):
        for ent in s.doc.ents:
            if ent.label_ == label and all(t.i in inside for t in ent):
                name = s.source[ent.start_char : ent.end_char].strip(" ,.")
                return s.full_name(name) if label == "PER" else name
    return s.full_name(s.phrase(subject))


def _neighbour(s: _Sentence, head):
    """The predicate a coordinated verb shares its subject with: its head, or the nearest earlier predicate."""
    token = head.head
    while token.i != token.head.i and token.i not in s.heads:
        token = token.head
    if token.i in s.heads and token.i < head.i:
        return token
    earlier = [i for i in s.heads if i < head.i and s.heads[i] in ("root", "conj", "content")]
    return s.doc[max(earlier)] if earlier else None


def _assemble(s: _Sentence, tokens: list, prefix: str, replace: dict[int, str], insert_after: dict[int, str]) -> str:
    parts: list[str] = [prefix + " "] if prefix else []
    # a comma left at the edge of a cut ("Mistral AI, [fondée en 2023,] a levé") is dropped
    tokens = [t for k, t in enumerate(tokens) if not (t.text == "," and (
        k + 1 < len(tokens) and tokens[k + 1].i != t.i + 1 or k > 0 and tokens[k - 1].i != t.i - 1))]
    for k, t in enumerate(tokens):
        piece = replace.get(t.i, s.source[t.idx : t.idx + len(t.text)])
        gap = t.whitespace_ if k + 1 < len(tokens) and tokens[k + 1].i == t.i + 1 else " "
        if piece:
            parts.append(piece + gap)
        if t.i in insert_after:
            parts.append(insert_after[t.i] + " ")
    text = re.sub(r",\s*,", ",", re.sub(r"\s+", " ", "".join(parts)))
    return re.sub(r"\s+([,.;:)])", r"\1", re.sub(r"\(\s+", "(", text)).strip(" ,;:")


def _noun_core(s: _Sentence, noun, stop: int) -> str:
    """A noun with what follows it inside its phrase ('plus de 100 employés d'OpenAI' -> "employés d'OpenAI")."""
    return s.surface([t for t in noun.subtree if noun.i <= t.i < stop and t.pos_ != "PUNCT"
                      and not _inside_clause(s, t, noun)])


def _inside_clause(s: _Sentence, token, noun) -> bool:
    while token.i != noun.i:
        if token.i in s.heads or token.dep_ in ("acl:relcl", "appos", "acl"):
            return True
        token = token.head
    return False


def _runs(s: _Sentence, tokens: list) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    previous = None
    for t in tokens:
        a, b = s.offset + t.idx, s.offset + t.idx + len(t.text)
        if runs and previous is not None and t.i == previous + 1:
            runs[-1] = (runs[-1][0], b)
        else:
            runs.append((a, b))
        previous = t.i
    return runs


# What a denial or a report names before its content: "les informations selon lesquelles ...".
_HEARSAY_NOUNS = {"information", "rumeur", "allégation", "affirmation", "accusation", "article", "bruit", "spéculation"}
_LEQUEL = {"lequel", "laquelle", "lesquels", "lesquelles"}
_NOT_ENTITIES = {"vendredi", "samedi", "dimanche", "lundi", "mardi", "mercredi", "jeudi", "selon"}


def _entities(s: _Sentence, tokens: list) -> list[str]:
    """Named entities (spaCy NER) inside the clause's tokens: a proper noun or capitalised, never a weekday."""
    own = {t.i for t in tokens}
    out: list[str] = []
    for ent in s.doc.ents:
        if not any(t.i in own for t in ent):
            continue
        text = s.source[ent.start_char : ent.end_char].strip(" ,.'’")
        if len(text) < 2 or text.lower() in _NOT_ENTITIES or not any(c.isupper() for c in text) \
                or text.lower().endswith(("'", "’")):
            continue
        if len(ent) == 1 and ent[0].pos_ not in ("PROPN", "X") and not ent[0].text.isupper():
            continue  # a capitalised common word the model took for a name
        if text not in out:
            out.append(text)
    return out


def person_entities(doc, source: str) -> list[str]:
    """People (spaCy PER) of a parsed sentence, as written."""
    return [source[e.start_char : e.end_char] for e in doc.ents if e.label_ == "PER" and len(e) >= 2]
