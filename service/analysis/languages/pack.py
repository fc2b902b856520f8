"""What a language pack holds, and how packs are merged into one for text of unknown language."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class LanguagePack:
    """Everything language-specific the offline analyser reads. Strings are regular-expression alternations."""

    code: str
    # Reported speech and denials -------------------------------------------------------------------------
    assert_verbs: tuple[str, ...] = ()  # reporting verbs that assert the reported content
    deny_verbs: tuple[str, ...] = ()  # reporting verbs that deny it
    passive_denial: str = ""  # "was denied by X": the speaker in the group (?P<speaker>...)
    according_to: str = ""  # "according to X, ..."
    speaker_then_verb: str = ""  # "..., X said." after the content
    verb_then_speaker: str = ""  # "..., a déclaré X." after the content
    trailing_time: str = ""  # "... said on Monday": words that may follow a trailing attribution
    complementisers: str = ""  # "said that"
    bare_speech: str = ""  # reporting verbs whose content may follow without a complementiser ("Police said 12 ...")
    speech_addressees: str = ""  # who such a verb may name before its content ("told reporters ...")
    not_speech_content: str = ""  # words after such a verb that open an object, not a clause ("said nothing")
    hearsay: str = ""  # "denied reports that": what a denial names before the content it denies
    # "X denied that P, saying Q": where a second statement of the speaker starts. Only where the clause splitter
    # also makes Q a claim of its own (English), or Q would be lost.
    speech_continuation: str = ""
    claim_anaphora: str = ""  # "this claim", "cette affirmation": what was said just before
    speaker_adverbs: str = ""  # adverbs between a speaker and the reporting verb ("The company also confirmed")
    reporting_lemmas: frozenset[str] = frozenset()  # lemmas of verbs that report speech (read on a parse)
    denial_lemmas: frozenset[str] = frozenset()  # lemmas of verbs that report a denial
    according_lemmas: frozenset[str] = frozenset()  # prepositions that attribute ("selon")
    impersonal_report: str = ""  # "it was reported that"
    # Polarity, modality and who is speaking ----------------------------------------------------------------
    negation: str = ""  # a full pattern, word boundaries included
    hedges: str = ""  # opinions, predictions, modals
    opinion: str = ""  # narrower than hedges: a full pattern
    addresses_model: str = ""  # instructions to a language model: a full pattern
    self_reference: str = ""  # the writer speaking of itself
    # Discourse --------------------------------------------------------------------------------------------
    leading_adverbials: str = ""  # "However, ..." openers dropped from a claim
    leading_phrases: str = ""  # "This is because ..." openers dropped from a claim (no comma after them)
    parentheticals: str = ""  # ", for example," inserts
    hard_split: str = ""  # conjunctions after a comma that start a new fact
    contrast: str = ""  # conjunctions that start a new fact without a comma
    relative_modal: str = ""  # ", which could ...": relatives that state a new (modal) fact
    relatives: str = ""  # "qui", "which"
    coordination: str = ""  # "and"
    person_pronouns: str = ""  # "he", "il", "ông"
    not_person_after_pronoun: str = ""  # "il a été", "il est": impersonal, not a person
    org_anaphora: str = ""  # "the company", "l'entreprise"
    # Clause structure --------------------------------------------------------------------------------------
    verb_start_adverbs: str = ""  # adverbs before a coordinated verb phrase
    verb_start: str = ""  # words (auxiliaries, verb endings) that open a verb phrase
    subject_end: str = ""  # auxiliaries that end a subject
    auxiliaries: frozenset[str] = frozenset()
    name_then_verb: str = ""  # "Meta has ...": a verb that, after a name, starts a new clause
    # Figures -----------------------------------------------------------------------------------------------
    scales: tuple[tuple[str, float], ...] = ()  # (pattern, multiplier); longest first within a language
    currencies: tuple[tuple[str, str], ...] = ()  # (pattern, ISO code)
    percent: str = ""
    qualifiers: tuple[tuple[str, str], ...] = ()  # (pattern, qualifier name)
    fractions: tuple[tuple[str, float], ...] = ()  # (pattern, percentage)
    vague_amounts: tuple[tuple[str, float, float], ...] = ()  # ("hundreds of", low, high)
    months: dict[str, int] = field(default_factory=dict)
    month_prepositions: str = ""  # "in June"
    small_numbers: dict[str, int] = field(default_factory=dict)  # number words read before a scale word
    number_words: str = ""  # the words text2num reads as numbers (French and English); never "un"/"one" alone
    figure_linkers: str = ""  # "14 billion of dollars": "of", "de"
    # An earthquake's magnitude, not a count or a temperature: the words right before it ("magnitude 6.2", "động
    # đất mạnh 6,4 độ") or after it ("6.2-magnitude", "6,4 độ richter").
    magnitude_before: str = ""
    magnitude_after: str = ""
    # Clock times, not durations ("at 6 a.m.", "à 6 heures", "lúc 6 giờ sáng"): words after the hour that make it a
    # time of day on their own, with the hours they add ("p.m.": 12); and, before an hour word, the prepositions
    # that do ("à 6 heures" is a time, "pendant 6 heures" a duration).
    clock_marks: tuple[tuple[str, float], ...] = ()
    clock_prepositions: str = ""
    clock_hours: str = ""
    # Relative dates, resolved against the document's date (dates.py): weekday names (Monday = 0), words that name a
    # day by its distance ("hier": -1), and the words that put a weekday in the past or next week.
    weekdays: dict[str, int] = field(default_factory=dict)
    relative_days: tuple[tuple[str, int], ...] = ()
    weekday_past: str = ""  # "last Tuesday", "mardi dernier": the most recent one before the document's date
    weekday_next: str = ""  # "next Tuesday", "mardi prochain": the first one after it
    weekday_last_week: str = ""  # "thứ Ba tuần trước": that day of the calendar week before
    weekday_next_week: str = ""  # "thứ Ba tuần tới": that day of the calendar week after
    # Units written after a number: (pattern, kind, base unit, factor to the base unit).
    units: tuple[tuple[str, str, str, float], ...] = ()
    # What figures measure ----------------------------------------------------------------------------------
    frames: dict[str, str] = field(default_factory=dict)  # frame name -> pattern
    join_verbs: str = ""  # "X joined Y"
    # Words opening a time adjunct ("after the acquisition", "après le rachat"): what it names sets the time of the
    # event, it is not the event. Read up to the next comma.
    time_adjuncts: str = ""
    # What happened, for figures: two counts are one quantity only if they count the same event ("contacted 100" and
    # "hired 10" are two). Event name -> pattern; names are shared by every pack.
    events: dict[str, str] = field(default_factory=dict)
    # What a count counts, for the nouns news counts most: class name -> pattern, names shared by every pack
    # ("48 stations", "48 gares" and "48 nhà ga" all count `station`).
    counted: dict[str, str] = field(default_factory=dict)
    # Text -------------------------------------------------------------------------------------------------
    function_words: frozenset[str] = frozenset()  # frequent words that identify the language
    abbreviations: frozenset[str] = frozenset()  # a full stop after these does not end a sentence
    not_names: frozenset[str] = frozenset()  # capitalised words that are not names (sentence openers, titles)
    # Lists and atomic splitting ----------------------------------------------------------------------------
    determiners: frozenset[str] = frozenset()
    list_left_stop: frozenset[str] = frozenset()  # words a list item never crosses going left
    finite: frozenset[str] = frozenset()  # words that mark a clause, not a list item
    list_conjunctions: str = ""
    list_introducers: str = ""  # "such as", "comme"


def merge(packs: list[LanguagePack]) -> LanguagePack:
    """One pack holding every pack's words, in pack order (alternations joined, sets united, maps merged)."""
    merged: dict = {"code": "und"}
    for f in fields(LanguagePack):
        if f.name == "code":
            continue
        values = [getattr(p, f.name) for p in packs]
        if isinstance(values[0], str):
            merged[f.name] = "|".join(f"(?:{v})" for v in values if v)
        elif isinstance(values[0], tuple):
            merged[f.name] = tuple(item for v in values for item in v)
        elif isinstance(values[0], frozenset):
            merged[f.name] = frozenset().union(*values)
        else:  # maps: word -> number are merged; name -> pattern (frames) join their patterns
            out: dict = {}
            for value in values:
                for k, v in value.items():
                    out[k] = f"{out[k]}|{v}" if isinstance(v, str) and k in out else v
            merged[f.name] = out
    return LanguagePack(**merged)
