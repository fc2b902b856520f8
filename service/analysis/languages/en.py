"""English: the words the offline analyser's rules look for (data only; see languages/__init__.py)."""

from service.analysis.languages.pack import LanguagePack

PACK = LanguagePack(
    code="en",
    assert_verbs=(
        r"said|says|say|told|tells|stated|states|claimed|claims|announced|announces|revealed|reveals|reported|reports|"
        r"confirmed|confirms|noted|notes|added|adds|wrote|writes|explained|explains|insisted|insists|argued|argues|"
        r"stressed|stresses|mentioned|mentions|disclosed|discloses|acknowledged|acknowledges|admitted|admits|asserted|"
        r"asserts",
    ),
    deny_verbs=(
        r"denied|denies|deny|rejected|rejects|disputed|disputes|refuted|refutes|dismissed|dismisses|"
        r"contradicted|contradicts|rebutted|rebuts",
    ),
    passive_denial=r"(?:was|were|has been|have been|is|are)\s+(?:flatly\s+|strongly\s+)?"
                   r"(?:denied|rejected|disputed|refuted|dismissed)\s+by\s+(?P<speaker>[^,.;]+)",
    according_to=r"according to",
    speaker_then_verb=r"said|says|told \w+|claimed|stated|wrote",
    verb_then_speaker=r"according to",
    trailing_time=r"on|in|at|to|last|this",
    complementisers=r"that",
    bare_speech=r"said|says|say|stated|claimed|claims|added|adds|insisted|insists|argued|argues|admitted|admits|"
                r"told|tells",
    speech_addressees=r"reporters|journalists|AFP|Reuters|the press|lawmakers|parliament|investors|analysts|him|her|"
                      r"them|us",
    not_speech_content=r"nothing|so|yes|no|little|goodbye|hello|otherwise|more|this|that",
    speech_continuation=r",?\s+(?:and\s+)?(?:said|saying|added|adding|insisting|insisted|arguing|argued|stressing|"
                        r"stressed|calling)\b",
    hearsay=r"(?:the\s+|these\s+|those\s+)?(?:media\s+|press\s+|news\s+)?(?:reports?|claims?|allegations?|rumou?rs?|"
            r"suggestions?|speculation|accusations?)\s+that",
    speaker_adverbs=r"also|further|later|still|again|then|previously|recently|already|reportedly|publicly|officially|"
                    r"separately|earlier|once|last|finally",
    # "denied it" / "denied this": the pronoun alone is the statement; "denied that it paid" is not anaphoric.
    claim_anaphora=r"(?:this|that|the)\s+(?:claim|statement|report|assertion|allegation|figure)"
                   r"|(?:it|this|that)\s*(?:[.,;:!]|$)",
    impersonal_report=r"it (?:was|has been|is)\s+(?:reported|said|claimed|announced)\s+that",
    negation=r"\b(?:not|never|no longer|n['’]t|cannot|neither|nor|none)\b",
    hedges=r"i think|we think|believe|believes|in my opinion|should|must|ought|might|may|could|would|will|"
           r"likely|probably|perhaps|possibly|expected to|predict|forecast|hope",
    opinion=r"\b(?:i|we) (?:think|believe|feel|recommend|suggest|hope)\b|\bin my (?:opinion|view)\b"
            r"|\bi(?:['’]m| am) sorry\b"
            r"|\bas an? (?:ai|language model|artificial intelligence)\b|\bmy (?:knowledge|training)(?: cutoff| data)?\b"
            r"|\bi (?:do not|don['’]t|cannot|can['’]t|could not|am unable|am not able)\b"
            r"|\b(?:would|might|should|ought to|must|probably|perhaps|possibly|likely|unlikely|expected to|speculative)\b"
            r"|\bit(?:['’]s| is) (?:important|essential|crucial|advisable|recommended|best|difficult|hard|possible|"
            r"unclear)\b"
            r"|\byou (?:can|could|should|may|might|need|will|must)\b|\b(?:please|make sure|be sure)\b"
            r"|\b(?:reflects|illustrates|symboli[sz]es|exemplifies)\b",
    addresses_model=r"\b(?:ignore|disregard|forget|override)\s+(?:(?:all|any|your|the|previous|prior|above|earlier)\s+)*"
                    r"(?:instructions?|rules?|prompts?|directions?|guidelines?)\b"
                    r"|\bsystem prompt\b|\byou are now\b|\bas an ai (?:model|assistant)\b"
                    r"|\bmark (?:every|all|each|this|these|the) (?:claims?|statements?)\b",
    self_reference=r"as an? (?:ai|language model|artificial intelligence)\b|i(?:['’]m| am) (?:sorry|an ai|not able|"
                   r"unable)\b|i (?:do not|don['’]t|cannot|can['’]t|recommend|suggest|would)\b",
    leading_adverbials=r"recently|however|finally|moreover|by contrast|in june|meanwhile|"
                       r"therefore|thus|hence|additionally|in addition|furthermore|also|in fact|indeed|for example|"
                       r"for instance|overall|in contrast|as a result|consequently|similarly|instead|in summary|"
                       r"in conclusion|ultimately|no|yes|so|first|second|third|lastly|in short|in general|"
                       r"based on my (?:general )?knowledge|as of my (?:last )?knowledge (?:cutoff|update)[^,]{0,30}",
    leading_phrases=r"(?:this|that) (?:is (?:because|why)|means(?: that)?)"
                    r"|(?:it(?:['’]s| is) (?:worth noting|important to note|also worth noting|notable) that|note that)",
    parentheticals=r"on the other hand|however|for example|for instance|in fact|therefore|though|of course|in turn|"
                   r"in particular|as a result",
    hard_split=r"but|whereas|while|of whom|of which",
    contrast=r"but|whereas",
    relative_modal=r"could|might|may|would",
    relatives=r"which|who",
    coordination=r"and",
    person_pronouns=r"he|she",
    org_anaphora=r"the company|the firm|the group",
    verb_start_adverbs=r"then|also|later|still",
    verb_start=r"has|have|had|is|are|was|were|will|would|can|could|did|does|[^\W\d_]+ed",
    subject_end=r"has|have|had|is|are|was|were|will|did|[^\W\d_]+ed",
    auxiliaries=frozenset({"has", "have", "had", "is", "are", "was", "were", "will"}),
    name_then_verb=r"has|said",
    scales=((r"trillions?|tn", 1e12), (r"billions?|bn", 1e9), (r"millions?|mln|mn|m", 1e6), (r"thousands?|k", 1e3)),
    currencies=((r"dollars? us|us dollars?|dollars?|usd", "USD"), (r"euros?|eur", "EUR"), (r"pounds?|gbp", "GBP"),
                (r"yuans?|cny|rmb", "CNY"), (r"yens?|jpy", "JPY"), (r"dongs?|vnd", "VND"), (r"rupees?|inr", "INR"),
                (r"baht|thb", "THB"), (r"swiss francs?|chf", "CHF"), (r"roubles?|rubles?|rub", "RUB"),
                (r"zlotys?|pln", "PLN"), (r"ringgits?|myr", "MYR"), (r"rupiahs?|idr", "IDR"), (r"pesos?", "MXN"),
                (r"krw|korean won", "KRW")),
    percent=r"per ?cent|percent",
    qualifiers=(
        (r"up to|as much as|as many as|as high as", "up_to"),
        (r"at most|no more than", "at_most"),
        (r"at least|no fewer than|no less than", "at_least"),
        (r"more than|over|above|in excess of|upwards of", "more_than"),
        (r"less than|fewer than|under|below", "less_than"),
        (r"about|around|approximately|roughly|nearly|almost|some|close to|circa", "about"),
    ),
    fractions=((r"three[- ]quarters", 75.0), (r"two[- ]thirds", 200 / 3), (r"half", 50.0),
               (r"one[- ]third|a third", 100 / 3), (r"one[- ]quarter|a quarter", 25.0)),
    vague_amounts=((r"tens of|dozens of", 10, 100), (r"hundreds of", 100, 1000)),
    weekdays={d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())},
    relative_days=((r"the day before yesterday", -2), (r"the day after tomorrow", 2), (r"yesterday", -1),
                   (r"today", 0), (r"tomorrow", 1)),
    weekday_past=r"last",
    weekday_next=r"next|this coming",
    months={**{m: i + 1 for i, m in enumerate(
        "january february march april may june july august september october november december".split())},
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
        "nov": 11, "dec": 12},
    month_prepositions=r"in|in the month of",
    small_numbers={"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                   "ten": 10},
    number_words=r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
                 r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|one",
    figure_linkers=r"of",
    magnitude_before=r"magnitude(?:\s+of)?",
    magnitude_after=r"-?\s?magnitude\b|on the richter scale",
    clock_marks=((r"a\.?\s?m\b\.?|o['’]clock|in the morning", 0.0), (r"p\.?\s?m\b\.?|in the (?:afternoon|evening)", 12.0)),
    units=(
        (r"km|kilomet(?:er|re)s?", "length", "m", 1e3), (r"met(?:er|re)s?", "length", "m", 1.0),
        (r"miles?", "length", "m", 1609.344), (r"feet|foot|ft", "length", "m", 0.3048),
        (r"km2|km²|square kilomet(?:er|re)s?", "area", "m2", 1e6), (r"hectares?|ha", "area", "m2", 1e4),
        (r"acres?", "area", "m2", 4046.86),
        (r"tonnes?|tons?", "mass", "kg", 1e3), (r"kg|kilograms?|kilos?", "mass", "kg", 1.0),
        (r"pounds? of|lbs?", "mass", "kg", 0.4536),
        (r"litres?|liters?", "volume", "l", 1.0), (r"barrels?", "volume", "l", 158.987),
        (r"mw|megawatts?", "power", "W", 1e6), (r"gw|gigawatts?", "power", "W", 1e9), (r"kw|kilowatts?", "power", "W", 1e3),
        (r"gwh", "energy", "Wh", 1e9), (r"mwh", "energy", "Wh", 1e6), (r"kwh", "energy", "Wh", 1e3),
        (r"km/h|kilomet(?:er|re)s? per hour|kph", "speed", "km/h", 1.0), (r"mph|miles per hour", "speed", "km/h", 1.609344),
        (r"°c|degrees celsius|degrees", "temperature", "°C", 1.0),
        (r"seconds?", "duration", "s", 1.0), (r"minutes?|mins?", "duration", "s", 60.0),
        (r"hours?|hrs?", "duration", "s", 3600.0), (r"days?", "duration", "s", 86400.0),
        (r"weeks?", "duration", "s", 604800.0), (r"months?", "duration", "s", 2629800.0),
        (r"years?|yrs?", "duration", "s", 31557600.0), (r"decades?", "duration", "s", 315576000.0),
        (r"years? old|-year-old", "age", "year", 1.0),
    ),
    frames={
        "investment": r"invest\w*|stake|acqui\w*",
        "compensation": r"salar\w*|package\w*|compensation|bonus\w*|pay ?check\w*|payroll",
        "revenue": r"revenue\w*|sales",
        "profit": r"profit\w*|earnings",
        "valuation": r"valuation|valued|worth",
        "funding": r"fund\w*|raised",
        "workforce": r"employ\w*|staff|workers|engineers?|researchers?",
        "share_of_work": r"work\b|tasks?",
        "users": r"users?|customers?|clients?",
        "price": r"price\w*|cost\w*",
    },
    join_verbs=r"joined|joins|join|moved to|hired by|recruited by|went to",
    time_adjuncts=r"after|before|following|since|until|ahead of|in the wake of",
    counted={
        "person": r"people|persons|individuals|residents|inhabitants",
        "dead": r"dead|deaths|fatalities|victims|bodies|killed",
        "injured": r"injured|wounded|hurt|casualties",
        "missing": r"missing",
        "employee": r"employees|workers|staff|staffers|personnel|labou?rers|engineers|researchers|controllers",
        "job": r"jobs|positions|posts|roles|vacancies",
        "station": r"stations|stops",
        "train": r"trains|trainsets|carriages",
        "vehicle": r"vehicles|cars|buses|trucks|lorries",
        "aircraft": r"aircraft|planes|jets|airplanes|aeroplanes",
        "flight": r"flights",
        "passenger": r"passengers|travell?ers|riders|commuters",
        "customer": r"customers|clients|subscribers|users|accounts",
        "student": r"students|pupils",
        "patient": r"patients",
        "case": r"cases|infections",
        "bed": r"beds",
        "home": r"homes|houses|dwellings|households|apartments|flats",
        "school": r"schools",
        "hospital": r"hospitals|clinics",
        "plant": r"plants|factories|sites|mills",
        "shop": r"shops|stores|outlets|branches|restaurants",
        "seat": r"seats",
        "vote": r"votes|ballots",
        "member": r"members",
        "country": r"countries|nations",
        "company": r"companies|firms|businesses",
        "child": r"children|kids|minors",
        "soldier": r"soldiers|troops",
        "officer": r"police officers|officers|policemen",
        "protester": r"protesters|demonstrators|strikers",
        "visitor": r"visitors|tourists|spectators|fans",
        "share": r"shares",
        "product": r"units|devices|phones|copies",
    },
    events={
        "contact": r"contact\w*|approach\w*|reached out|courted|poach\w*|target\w*",
        "hire": r"hir(?:e|ed|es|ing)\b|recruit\w*|employ(?:s|ed|ing)?\b|join\w*|accept\w*|sign(?:ed|s|ing)? on",
        "leave": r"left|leav\w*|quit\w*|resign\w*|depart\w*|fired|dismiss\w*|laid off|lay off|layoffs?|cut\w*",
        "die": r"die[ds]?|dead|death\w*|kill\w*|fatalit\w*|perish\w*",
        "injure": r"injur\w*|wound\w*|hurt|hospitali[sz]\w*",
        "arrest": r"arrest\w*|detain\w*|charged|convict\w*|sentenc\w*|jail\w*",
        "evacuate": r"evacuat\w*|displac\w*|homeless|rescued",
        "build": r"buil[dt]\w*|construct\w*|open(?:s|ed|ing)?\b|launch\w*|inaugurat\w*",
        "close": r"clos(?:e|ed|es|ing|ure)\w*|shut\w*",
        "sell": r"s(?:old|ell\w*)|sales|export\w*",
        "strike": r"strik(?:e|es|ing)|walk(?:ed|s)? (?:off|out)|walkouts?|stoppages?",
        "deliver": r"deliver\w*|hand(?:s|ed|ing)? over|handover",
        "buy": r"bought|buy\w*|purchas\w*|import\w*|acqui\w*",
        "invest": r"invest\w*|fund\w*|financ\w*|raised|grant\w*|subsid\w*",
        "pay": r"pa(?:y|id|ys|ying)\b|salar\w*|wage\w*|offer\w*|bonus\w*|compensat\w*|fine[ds]?\b",
        "bribe": r"brib\w*|kickback\w*|corrupt\w*",
        "cost": r"cost\w*|price\w*|budget\w*|worth|valu\w*|spen[dt]\w*",
        "earn": r"revenue\w*|earn\w*|profit\w*|loss(?:es)?\b|turnover|income",
        "produce": r"produc\w*|output|generat\w*|capacity|harvest\w*",
        "vote": r"vot\w*|ballot\w*|elect\w*|turnout|polls?\b|support\w*|approv\w*",
        "win": r"w[oi]n\w*|victor\w*|defeat\w*|beat\w*|scor\w*",
        "visit": r"visit\w*|tourist\w*|passenger\w*|travel\w*|attend\w*|spectator\w*",
        "use": r"us(?:e|es|ed|ers?|ing)\b|subscri\w*|download\w*|customers?",
        "grow": r"gr[eo]w\w*|increas\w*|ris(?:e|es|en|ing)|rose|jump\w*|soar\w*|climb\w*",
        "fall": r"f[ae]ll\w*|declin\w*|cut\w*|reduc\w*|slash\w*|drop\w*|decreas\w*|shrank|shrink\w*|plung\w*",
        "infect": r"infect\w*|cases?\b|outbreak\w*|diagnos\w*|vaccin\w*",
    },
    function_words=frozenset(
        "the a an and is are was were of to in for with on at by that which who this these those it he she they "
        "we you his her their has have had been not but or from as after before since between said".split()),
    abbreviations=frozenset({"mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "inc", "ltd", "co", "corp", "vs", "etc",
                             "e.g", "i.e", "u.s", "u.k", "no", "v", "rev", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
                             "sep", "sept", "oct", "nov", "dec", "approx", "est", "gen", "gov", "sen", "rep", "p",
                             "pp", "vol", "art"}),
    not_names=frozenset(
        """a an the this that these those it he she they we i you his her their its our my in on at for with by from
        of and or but if when while after before since during although though however meanwhile finally recently
        also according yet still so then there here what who which where why how some many most several all both
        each ceo cto cfo coo vp ai usd eur gbp dr mr mrs ms prof""".split()),
    determiners=frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "this", "these", "those", "that",
                           "some", "many", "several", "various", "all", "each", "every", "other", "such"}),
    list_left_stop=frozenset({"of", "on", "in", "for", "by", "with", "to", "from", "as", "about", "at", "through",
                              "into", "including", "like", "include", "includes", "included", "is", "are", "was",
                              "were", "be", "been", "has", "have", "had", "between", "among", "than", "and", "or",
                              "such", "via", "over", "under", "after", "before", "during", "featuring", "involving",
                              "containing"}),
    finite=frozenset({"is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "may", "might",
                      "should", "must", "does", "do", "did", "which", "who", "that", "because", "when", "while", "if",
                      "he", "she", "it", "they", "we", "i", "you"}),
    list_conjunctions=r"and|or",
    list_introducers=r"(?:such as|including|like)\s*$",
)
