"""Vietnamese clauses from pyvi's words and part-of-speech tags: one fact per clause, subjects restored.

pyvi segments words and tags them (no parser), so clause boundaries are read from the tags and the language
pack's cue words: contrast ("nhưng"), coordination ("và") before a verb phrase or after a comma before a new
subject, reported speech ("X cho biết Y", "Y, X cho biết", "theo X, Y"), appositions after a name
("Mike Coupe, giám đốc điều hành của Sainsbury's, ..." -> "Mike Coupe là giám đốc điều hành của Sainsbury's"),
appositive clauses ("Trung Quốc, quốc gia có chung đường biên giới ..." -> "Trung Quốc là quốc gia ...") and
object relatives with "mà". A subject pronoun (ông, bà, cô, anh ta, hắn, họ) is resolved to the person or group
named before it when there is one, else the clause is marked not self-contained.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from service.analysis.attribution import find_reported_speech
from service.analysis.languages import pack

MAX_TAG_CHARS = 1500  # longer "sentences" are run-on text: left whole, so the cost per sentence stays bounded

_PREDICATE = {"V", "A"}
_AUXILIARY = {"đã", "đang", "sẽ", "vẫn", "cũng", "được", "bị", "không", "chưa", "đều", "thường", "vừa", "mới",
              "từng", "còn", "luôn", "chỉ", "tiếp", "phải", "có"}
_PERSON_PRONOUNS = {"ông", "ông ấy", "bà", "bà ấy", "cô", "cô ấy", "anh", "anh ấy", "anh ta", "chị", "chị ấy", "hắn",
                    "hắn ta", "cậu", "cậu ấy", "em"}
_GROUP_PRONOUNS = {"họ", "chúng", "bọn họ"}
_COMPLEMENTISERS = ("rằng", "là", ":")
# Words that open a date or a time ("Năm ngoái", "Hôm qua", "Sáng nay", "Thứ Hai"), capitalised at a sentence start.
_NOT_NAME_START = {"thứ", "chủ", "tháng", "ngày", "năm", "hai", "ba", "tư", "sáu", "bảy", "quý", "hôm", "tuần", "sáng",
                   "chiều", "tối", "trưa", "đêm", "đầu", "cuối", "giữa", "dịp", "lúc", "sau", "trước"}
_ORG_WORDS = {"bộ", "sở", "hội", "viện", "công", "tập", "ngân", "báo", "đài", "news", "times", "post", "inc", "group"}
_TITLES = {"ông", "bà", "anh", "chị", "cô", "giáo sư", "tiến sĩ", "bác sĩ"}
_NEEDS_COMPLEMENTISER = re.compile(r"^(?:công bố|thông báo|tiết lộ|xác nhận|thừa nhận|đưa tin|giải thích|bày tỏ)",
                                   re.IGNORECASE)
_TRAILING_ADVERBS = re.compile(r"(?:\s+(?:cũng|đã|vừa|mới|còn|vẫn|đều|thì))+$", re.IGNORECASE)
_EVENT_ANAPHORA = re.compile(r",\s+(?:điều này|điều đó|việc này|việc đó)\s", re.IGNORECASE)


@dataclass
class Word:
    text: str
    tag: str
    start: int  # offsets into the sentence
    end: int


@dataclass
class VietnameseClause:
    """One fact of a sentence: offsets into the document and the restored text."""

    start: int
    end: int
    text: str
    subject: str | None
    self_contained: bool = True
    fragment: bool = False
    speaker: str | None = None
    denies: bool = False
    cue: str | None = None
    names: list[str] = field(default_factory=list)  # proper nouns (pyvi's Np) of the clause


@dataclass
class Context:
    """What earlier sentences of the document named: the last person and the last subject."""

    person: str | None = None
    subject: str | None = None
    names: list[str] = field(default_factory=list)  # every proper-noun run seen, for spelling names in full
    speaker: str | None = None  # who the previous sentence reported


def tag(sentence: str) -> list[Word]:
    """pyvi's words of a sentence with their offsets (its underscores joining syllables read as spaces)."""
    from service.analysis.nlp.models import vietnamese

    tokenizer, tagger = vietnamese()
    words, tags = tagger.postagging(tokenizer.tokenize(sentence))
    out: list[Word] = []
    cursor = 0
    for word, t in zip(words, tags):
        surface = word.replace("_", " ")
        at = sentence.find(surface, cursor)
        if at < 0 or at - cursor > 40:  # pyvi re-spaced something: give up on this token, keep alignment
            continue
        out.append(Word(sentence[at : at + len(surface)], t, at, at + len(surface)))
        cursor = at + len(surface)
    return out


_NOMINALIZERS = {"cuộc", "việc", "sự", "vụ", "nỗi", "niềm", "cái", "nền"}
_QUALIFIERS = {"hơn", "khoảng", "gần", "tới", "trên", "dưới", "ít", "nhiều", "chừng", "ít nhất", "tối đa", "lên tới",
               "tối thiểu", "xấp xỉ"}


def _predicate_index(words: list[Word], start: int = 0) -> int | None:
    for i in range(start, len(words)):
        w = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else None
        if w.text.lower() in _QUALIFIERS and nxt is not None and (nxt.tag == "M" or nxt.text.lower() == "nhất"):
            continue  # "hơn 30.000 người", "ít nhất 10 người": a figure, not a predicate
        if i > start and words[i - 1].text.lower() in _NOMINALIZERS and w.tag in _PREDICATE:
            continue  # "cuộc bạo loạn", "việc tăng thuế": a verb made a noun
        if w.tag in _PREDICATE or w.text.lower() in _AUXILIARY:
            return i
    return None


def _names(words: list[Word]) -> list[str]:
    """Runs of proper nouns ('Mike Coupe', 'Sainsbury’s', 'Hội đồng Kháng cáo Di dân' is read as one when tagged)."""
    out: list[str] = []
    run: list[Word] = []
    for w in words + [Word("", "F", 10**9, 10**9)]:
        if w.tag == "Np" or (run and w.text in ("-", "’", "'") ) or (run and w.tag == "Ny" and w.text[:1].isupper()):
            run.append(w)
            continue
        if run:
            text = " ".join(x.text for x in run).replace(" - ", "-").replace(" ’ ", "’").strip(" -’'")
            if text.split()[0].lower() in _NOT_NAME_START:
                run = []
                continue
            if len(text) > 1 and text not in out:
                out.append(text)
        run = []
    return out


class _Sentence:
    def __init__(self, text: str, offset: int, context: Context):
        self.text = text
        self.offset = offset
        self.context = context
        self.words = tag(text)
        lp = pack("vi")
        self.reporting = re.compile(rf"^(?:{'|'.join(lp.assert_verbs)})(?!\w)", re.IGNORECASE)
        self.denying = re.compile(rf"^(?:{'|'.join(lp.deny_verbs)})(?!\w)", re.IGNORECASE)

    def words_in(self, a: int, b: int) -> list[Word]:
        return [w for w in self.words if a <= w.start and w.end <= b]

    def reporting_at(self, a: int, b: int) -> tuple[int, int, bool] | None:
        """The first reporting verb in [a, b) after a short subject: its span and whether it denies."""
        for w in self.words_in(a, b):
            rest = self.text[w.start : b]
            m = self.reporting.match(rest) or self.denying.match(rest)
            if not m:
                continue
            left = self.text[a : w.start].strip(" ,")
            if not left or len(left.split()) > 14:
                return None
            after = self.text[w.start + m.end() : b].lstrip()
            if not after.lower().startswith(("rằng", ":")):
                head = after.split(",")[0]
                head_words = self.words_in(w.start + m.end(), w.start + m.end() + len(self.text[w.start + m.end():b])
                                           - len(after) + len(head))
                if _NEEDS_COMPLEMENTISER.match(rest) or _predicate_index(head_words) in (None, 0):
                    return None  # "Ông Corbyn công bố một loạt cải cách": an action, not reported speech
            return w.start, w.start + m.end(), bool(self.denying.match(rest))
        return None


def vietnamese_clauses(text: str, offset: int, context: Context) -> list[VietnameseClause]:
    """The clauses of one Vietnamese sentence; `context` carries what earlier sentences named (updated here)."""
    if len(text) > MAX_TAG_CHARS:
        return [VietnameseClause(offset, offset + len(text), text, None)]
    s = _Sentence(text, offset, context)
    body_start, body_end = 0, len(text.rstrip(" .!…"))
    speaker: str | None = None
    cue: str | None = None
    denies = False
    out: list[VietnameseClause] = []
    # "Theo X, Y" / "Y, X cho biết": the speaker comes first or last
    found = find_reported_speech(text[:body_end], "vi")
    trailing = _trailing(s, body_end)
    if trailing is not None:
        body_end, speaker, cue = trailing
    elif found is not None and (found.content_start > 0 or found.content_end < body_end):
        speaker, cue, denies = _speaker_name(found.speaker), found.cue, found.stance == "denies"
        body_start, body_end = found.content_start, found.content_end
    else:
        report = s.reporting_at(0, body_end)
        if report is not None:
            verb_start, verb_end, denies = report
            speaker_text = _TRAILING_ADVERBS.sub("", text[:verb_start].strip(" ,"))
            speaker, speaker_clauses = _speaker(s, 0, verb_start)
            out.extend(speaker_clauses)
            cue = text[verb_start:verb_end]
            body_start = verb_end
            rest = text[body_start:body_end]
            comp = re.match(rf"\s*(?:{'|'.join(_COMPLEMENTISERS)})?\s*", rest)
            body_start += comp.end() if comp else 0
            if not speaker:
                speaker = speaker_text
    clauses = _split(s, body_start, body_end)
    reporter = _resolve_person(speaker, context) if speaker else None
    subject_carried: str | None = None
    counted: str | None = None  # "hơn 100 nhân viên của OpenAI": what a later "ít nhất 10 người" counts
    for a, b, coordinated in clauses:
        found_clauses = _clause(s, a, b, subject_carried if coordinated else None, reporter or speaker)
        for clause in found_clauses:
            generic = _GENERIC_COUNT.match(clause.text)
            if generic and counted:
                clause.text = f"{generic['figure']} {counted}{clause.text[generic.end():]}"
                clause.subject = f"{generic['figure']} {counted}"
            found = _COUNTED.search(clause.text)
            counted = found["noun"].strip() if found else counted
            if clause.subject and clause is found_clauses[-1]:
                subject_carried = clause.subject
            if speaker:
                clause.speaker, clause.cue, clause.denies = reporter or speaker, cue, denies
            out.append(clause)
    titled = re.findall(r"(?:^|\s)(?:ông|bà|anh|chị|giáo sư|tiến sĩ)\s+((?:[A-ZĐ][\w’'-]*\s?){1,4})", text)
    people = [n.strip() for n in titled if _person_name(n.strip())]
    first_subject = next((c.subject for c in out if c.subject), None)
    if people:  # a person named with a title ("ông Sam Altman") is who a later "ông" means
        context.person = people[-1]
    elif first_subject and _person_name(first_subject):
        context.person = first_subject
    context.speaker = reporter or speaker
    subjects = [c.subject for c in out if c.subject]
    if subjects:
        context.subject = subjects[0]
    return out


_FIGURE_WORDS = r"(?:(?:hơn|khoảng|gần|ít nhất|tối đa|lên tới|chừng|xấp xỉ)\s+)?\d[\d.,]*"
_GENERIC_COUNT = re.compile(rf"^(?P<figure>{_FIGURE_WORDS})\s+người\b", re.IGNORECASE)
_COUNTED = re.compile(rf"{_FIGURE_WORDS}\s+(?P<noun>(?!người\b)[^\d,;]{{3,60}})$", re.IGNORECASE)


def _trailing(s: _Sentence, end: int) -> tuple[int, str, str] | None:
    """'Y, một nhà lập pháp tại Hàn Quốc phát biểu': where Y ends, the speaker and the reporting verb."""
    comma = s.text.rfind(",", 0, end)
    if comma < 0:
        return None
    tail = s.text[comma + 1 : end].strip()
    m = re.search(rf"\s(?P<verb>{'|'.join(pack('vi').assert_verbs)})(?:\s+(?:thêm|vào|hôm|trong)\b.*)?$", tail,
                  re.IGNORECASE)
    who = tail[: m.start()] if m else ""
    if re.match(r"^(?:theo|dẫn)\b", who.strip(), re.IGNORECASE):
        return None  # "..., theo thông báo hôm thứ Hai": "theo" introduces a source, read by the patterns
    if not m or not 1 <= len(who.split()) <= 10 or any(w.lower() in ("đã", "đang", "sẽ", "được", "bị")
                                                        for w in who.split()):
        return None
    return comma, _TRAILING_ADVERBS.sub("", tail[: m.start()].strip()), m["verb"]


def _person_name(subject: str) -> bool:
    """'Ông Corbyn', 'Palin', 'Mike Coupe': a title and a name, or capitalised words only."""
    words = subject.split()
    if words and words[0].lower() in _TITLES and len(words) > 1:
        words = words[1:]
    return 0 < len(words) <= 4 and all(w[:1].isupper() for w in words) and words[0].lower() not in _NOT_NAME_START \
        and not any(len(w) > 1 and w.isupper() for w in words) and not any(w.lower() in _ORG_WORDS for w in words)


def _full_name(name: str, context: Context) -> str:
    """'Palin' after 'Track Palin': the fullest form of a one-word name among the names seen so far."""
    if len(name.split()) != 1 or not name[:1].isupper():
        return name
    longer = [n for n in context.names if len(n.split()) > 1 and n.split()[-1] == name]
    return longer[-1] if longer else name


def _resolve_person(speaker: str, context: Context) -> str:
    low = speaker.lower()
    if low in _PERSON_PRONOUNS and context.person:
        return context.person
    if low in _GROUP_PRONOUNS and context.subject:
        return context.subject
    return speaker


# A time written after the speaker, before the reporting verb: "Bộ Y tế hôm thứ Tư bác bỏ ..."
_SPEAKER_TIME = re.compile(r"\s+(?:hôm|ngày|sáng|chiều|tối|trưa|tuần|tháng|năm|vào|hồi|lúc)\s.*$")


def _speaker_name(text: str) -> str:
    """The speaker of 'X (country), <apposition>, <time> bác bỏ ...': X, without what describes or dates it."""
    parts = [p.strip() for p in re.sub(r"\s*\([^)]*\)", "", text).split(",") if p.strip()]
    while len(parts) >= 2 and parts[0].split()[0].lower() in _NOT_NAME_START:
        parts = parts[1:]
    name = _SPEAKER_TIME.sub("", parts[0]) if parts else text
    return _TRAILING_ADVERBS.sub("", name).strip(" ,.") or text.strip(" ,.")


def _speaker(s: _Sentence, a: int, b: int) -> tuple[str | None, list[VietnameseClause]]:
    """The speaker of 'X, <apposition>, cho biết': the name, and the apposition as a claim of its own."""
    text = s.text[a:b].strip(" ,")
    parts = [p.strip() for p in text.split(",") if p.strip()]
    while len(parts) >= 2 and parts[0].split()[0].lower() in _NOT_NAME_START:
        parts = parts[1:]  # "Sáng nay, Vietnam Airlines cho biết": a time before the speaker
        text = ", ".join(parts)
    if len(parts) >= 2:
        name = parts[0]
        appos = ", ".join(parts[1:])
        start = s.text.find(appos, a)
        claim = VietnameseClause(s.offset + start, s.offset + start + len(appos), f"{name} là {appos}", name,
                                 names=_names(s.words_in(a, b)))
        return name, [claim]
    return _TRAILING_ADVERBS.sub("", text) or None, []


def _split(s: _Sentence, a: int, b: int) -> list[tuple[int, int, bool]]:
    """Clause spans of [a, b): (start, end, coordinated-with-the-previous-clause)."""
    words = s.words_in(a, b)
    cuts: list[tuple[int, int, bool]] = []  # (end of left, start of right, right shares the left's subject)
    for i, w in enumerate(words):
        low = w.text.lower()
        prev = words[i - 1] if i else None
        nxt = words[i + 1] if i + 1 < len(words) else None
        if nxt is None or i == 0:
            continue
        comma = prev is not None and prev.text == ","
        if low in ("nhưng", "song", "còn") and w.tag in ("C", "CC", "R", "X", "V", "N") and low != "còn" or (
                low == "còn" and comma):
            right_pred = _predicate_index(words, i + 1)
            shares = right_pred == i + 1
            cuts.append(((prev.start if comma else w.start), nxt.start, shares))
        elif low == "và" and w.tag == "C":
            if nxt.text.lower() in _AUXILIARY or nxt.tag in _PREDICATE:
                # "... và thường ép họ phải hồi hương": a verb phrase with the same subject
                if _predicate_index(words[:i]) is not None and (comma or prev.tag not in _PREDICATE
                                                                 or nxt.text.lower() in _AUXILIARY):
                    # ("phòng không và chống hạm": two modifiers, not two verb phrases)
                    cuts.append(((prev.start if comma else w.start), nxt.start, True))
            elif comma or _figure_start(words, i + 1):
                pred = _predicate_index(words, i + 1)
                if pred is not None and pred > i + 1 and _predicate_index(words[:i]) is not None and pred - i <= 8:
                    # ", và các quan chức Mỹ từ chối ..." / "... và ít nhất 10 người đã được tuyển dụng": a new subject
                    cuts.append(((prev.start if comma else w.start), nxt.start, False))
        elif w.text == ";":
            cuts.append((w.start, nxt.start, False))
    for m in _EVENT_ANAPHORA.finditer(s.text[a:b]):
        cuts.append((a + m.start(), a + m.start() + 2, False))  # ", điều này đẩy giá nhà lên cao": a new fact
    cuts.sort()
    spans: list[tuple[int, int, bool]] = []
    cursor, shares = a, False
    for left_end, right_start, right_shares in cuts:
        if len(s.text[cursor:left_end].split()) < 3:
            continue
        spans.append((cursor, left_end, shares))
        cursor, shares = right_start, right_shares
    spans.append((cursor, b, shares))
    return spans


_LEADING = re.compile(r"^(?:(?:tuy nhiên|ngoài ra|gần đây|trong khi đó|đồng thời|bên cạnh đó|theo đó|do đó)\s*,?\s*"
                      r"|(?:khi|trong khi|sau khi|trước khi|vì|do|nếu|mặc dù|dù)\s[^,]{3,80},\s*)",
                      re.IGNORECASE)  # discourse openers, and a leading subordinate clause ("Khi anh ta đang bận, ...")


def _clause(s: _Sentence, a: int, b: int, carried: str | None, speaker: str | None) -> list[VietnameseClause]:
    """The clause of [a, b), preceded by the apposition it holds, if any."""
    text = s.text[a:b].strip(" ,;.")
    if len(text.split()) < 2:
        return []
    a = s.text.find(text, a)
    b = a + len(text)
    lead = _LEADING.match(text)
    body = text[lead.end() :] if lead else text
    body_start = a + (lead.end() if lead else 0)
    words = s.words_in(body_start, b)
    extra: list[VietnameseClause] = []
    # apposition after a name: "Track Palin, con trai cả của ..., đã bị bắt" / "Trung Quốc, quốc gia có chung ..."
    m = re.match(r"^(?P<name>[^,]{2,60}?),\s+(?P<appos>[^,]{3,120}?)(?:,\s+(?P<rest>.+))?$", body)
    if m and _is_name(s, body_start, body_start + m.end("name")) and _common_noun_start(s, body_start + m.start("appos")):
        name, appos = m["name"].strip(), m["appos"].strip()
        astart = body_start + m.start("appos")
        link = "" if appos[:1].isdigit() else " là"  # "Palin, 29 tuổi" -> "Palin 29 tuổi"
        extra.append(VietnameseClause(s.offset + astart, s.offset + astart + len(appos), f"{name}{link} {appos}", name,
                                      names=_names(s.words_in(astart, astart + len(appos)))))
        if m["rest"]:
            body = f"{name} {m['rest']}"
            words = s.words_in(body_start + m.start("rest"), b)
            carried = name
        else:
            return extra
    for m in list(_INNER_APPOSITION.finditer(body))[:2]:
        name = _name_before(s, body_start + m.start())
        if name is None or not _common_noun_start(s, body_start + m.start("appos")):
            continue
        appos = m["appos"].strip()
        astart = body_start + m.start("appos")
        extra.append(VietnameseClause(s.offset + astart, s.offset + astart + len(appos), f"{name} là {appos}", name,
                                      names=_names(s.words_in(astart, astart + len(appos)))))
        body = body[: m.start()] + (" " + body[m.end("appos") + 1 :].strip() if m["close"] else "")
        words = [w for w in words if not astart <= w.start < astart + len(appos)]
        break
    subject, self_contained = _subject(s, body, words, carried, speaker)
    full = _full_name(subject, s.context) if subject else None
    if full and full != subject and body.startswith(subject):
        body, subject = full + body[len(subject):], full  # "Palin" after "Track Palin"
    restored = body
    if subject and subject in (carried, speaker) and not _leading_pronoun(body) \
            and not body.lower().startswith(subject.lower()):
        restored = f"{subject} {body}"
    elif subject and subject != body[: len(subject)]:
        pronoun = _leading_pronoun(body)
        if pronoun:
            restored = subject + body[len(pronoun) :]
    restored = restored[:1].upper() + restored[1:]
    fragment = is_fragment(words) and not carried
    items = _list_items(s, restored, words)
    texts = items or [restored]
    clauses = [VietnameseClause(s.offset + a, s.offset + b, t[:1].upper() + t[1:], subject, self_contained, fragment,
                                names=_names(words)) for t in texts]
    clauses.extend(_subordinate(s, words, a))
    return extra + clauses


_LIST_INTRO = re.compile(r",\s+(?:trong đó có|bao gồm|gồm|trong đó gồm)\s+", re.IGNORECASE)
_ITEM_START = {"một", "các", "những", "mọi", "nhiều", "cả"}


def _list_items(s: _Sentence, text: str, words: list[Word]) -> list[str]:
    """'X giam giữ hơn 500 tù nhân, trong đó có những tên tội phạm ...' and 'X được trang bị một khẩu pháo và một
    loạt tên lửa': one claim per item, each with the predicate that governs it."""
    m = _LIST_INTRO.search(text)
    if m:
        left, right = text[: m.start()], text[m.end() :]
        verb = _last_predicate_end(left)
        if verb is not None and len(right.split()) >= 2:
            return [left, left[:verb].rstrip() + " " + right]
    for m in re.finditer(r"\s+và\s+", text):
        left, right = text[: m.start()], text[m.end() :]
        first = right.split()[:1]
        if not first or first[0].lower() not in _ITEM_START:
            continue
        verb = _last_predicate_end(left)
        if verb is None:
            continue
        item = left[verb:].split()
        if not item or item[0].lower() not in _ITEM_START or len(item) < 2:
            continue
        return [left, left[:verb].rstrip() + " " + right]
    return []


def _last_predicate_end(text: str) -> int | None:
    """Where the object of the clause's last verb starts (the end of that verb), read on pyvi's tags."""
    words = tag(text)
    for i in range(len(words) - 1, -1, -1):
        if words[i].tag == "V" and i + 1 < len(words):
            return words[i].end
    return None


def _figure_start(words: list[Word], i: int) -> bool:
    """'ít nhất 10 người', 'hơn 30.000 người', '10 người': a subject that opens with a figure."""
    j = i
    while j < len(words) and words[j].text.lower() in _QUALIFIERS | {"nhất"}:
        j += 1
    return j < len(words) and words[j].tag == "M" and j + 1 < len(words) and words[j + 1].tag.startswith("N")


_SUBORDINATORS = re.compile(r"(?:^|\s)(?:kể từ khi|từ khi|sau khi)\s+", re.IGNORECASE)


def _subordinate(s: _Sentence, words: list[Word], a: int) -> list[VietnameseClause]:
    """'... từ khi Kim Jong-un lên nắm quyền cách đây bảy năm' also states that Kim Jong-un came to power then."""
    if not words:
        return []
    span = s.text[words[0].start : words[-1].end]
    m = _SUBORDINATORS.search(span)
    if not m:
        return []
    start = words[0].start + m.end()
    inner = [w for w in words if w.start >= start]
    pred = _predicate_index(inner)
    if pred is None or pred == 0 or len(inner) < 4 or not any(w.tag == "Np" for w in inner[:pred]):
        return []  # only a clause with its own named subject is a fact of its own
    text = s.text[start : inner[-1].end].strip(" ,.")
    return [VietnameseClause(s.offset + start, s.offset + start + len(text), text[:1].upper() + text[1:],
                             s.text[inner[0].start : inner[pred].start].strip(), names=_names(inner))]


_INNER_APPOSITION = re.compile(r",\s+(?P<appos>[^,]{3,150}?)(?P<close>,|$)")


def _name_before(s: _Sentence, at: int) -> str | None:
    """The proper-noun run that ends just before offset `at` (the comma of an apposition)."""
    run = [w for w in s.words if w.end <= at]
    names: list[Word] = []
    for w in reversed(run):
        if w.tag == "Np" or (names and w.text in ("-", "’")):
            names.insert(0, w)
        else:
            break
    if not names or names[-1].end < at - 1:
        return None
    return s.text[names[0].start : names[-1].end]


def _leading_pronoun(body: str) -> str | None:
    low = body.lower()
    for pronoun in sorted(_PERSON_PRONOUNS | _GROUP_PRONOUNS, key=len, reverse=True):
        if low.startswith(pronoun + " "):
            following = body[len(pronoun) + 1 :].split()[:1]
            if following and following[0][:1].isupper():
                return None  # "Ông Corbyn": a title before a name
            return body[: len(pronoun)]
    return None


def _subject(s: _Sentence, body: str, words: list[Word], carried: str | None,
             speaker: str | None) -> tuple[str | None, bool]:
    """The clause's subject (restored when it is a pronoun or missing) and whether the clause is self-contained."""
    pronoun = _leading_pronoun(body)
    if pronoun:
        low = pronoun.lower()
        if low in _GROUP_PRONOUNS:  # "họ": the one reporting, else the last speaker, else the last subject
            found = speaker if speaker and speaker.lower() not in _GROUP_PRONOUNS else (
                s.context.speaker or s.context.subject)
        else:
            found = s.context.person if not speaker or speaker.lower() in _PERSON_PRONOUNS else \
                (speaker if len(speaker.split()) <= 4 else s.context.person)
        return (found, True) if found else (None, False)
    pred = _predicate_index(words)
    if pred is None:
        return None, True
    if pred == 0:
        if carried:
            return carried, True
        if speaker and words[0].text.lower() in _AUXILIARY and not any(w.text.lower() == "có" for w in words[:3]):
            return speaker, True  # reported content with no subject of its own: "X bác bỏ việc đã nộp đơn"
        return None, words[0].text.lower() == "có"
    subject = s.text[words[0].start : words[pred].start].strip(" ,") if pred else None
    return subject, True


def _is_name(s: _Sentence, a: int, b: int) -> bool:
    words = s.words_in(a, b)
    if not words or words[0].tag != "Np" and words[0].text.split()[0].lower() in _NOT_NAME_START:
        return False  # "Năm ngoái, hãng đã ...": a time, not a name with an apposition
    return all(w.tag in ("Np", "F", "Ny") or w.text[:1].isupper() for w in words)


def _common_noun_start(s: _Sentence, at: int) -> bool:
    words = [w for w in s.words if w.start >= at][:1]
    return bool(words) and words[0].tag in ("N", "Nc", "L", "M") and not words[0].text[:1].isupper()


def is_fragment(words: list[Word]) -> bool:
    """No predicate that something before it can be the subject of (an existential 'có' needs none).

    pyvi tags a sentence's first word as a verb when it is a name or a word it does not know ("Athens", "Một giáo
    đoàn", "Quyết định rời đi của cô") or opens an adverbial ("Tính đến trưa 11/11, trận động đất ..."): a
    capitalised first word other than an auxiliary may be the subject of a later predicate.
    """
    words = [w for w in words if w.tag != "F"]  # quotes and dashes around the sentence
    pred = _predicate_index(words)
    if pred is None:
        return True
    if pred == 0 and words[0].text.lower() == "có":
        return False
    first_may_be_subject = words[0].text[:1].isupper() and words[0].text.lower() not in _AUXILIARY
    while pred is not None:
        if (pred > 0 and first_may_be_subject) or any(
                w.tag.startswith("N") or w.tag in ("P", "M", "L", "X") for w in words[:pred]):
            return False
        pred = _predicate_index(words, pred + 1)
    return True
