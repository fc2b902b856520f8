"""French: the words the offline analyser's rules look for (data only; see languages/__init__.py)."""

from service.analysis.languages.pack import LanguagePack

PACK = LanguagePack(
    code="fr",
    assert_verbs=(
        r"(?:a|ont|avait|avaient)\s+(?:également\s+|aussi\s+|déjà\s+|récemment\s+)?"
        r"(?:affirmé|déclaré|dit|révélé|annoncé|confirmé|indiqué|précisé|assuré|expliqué|souligné|mentionné|"
        r"rapporté|reconnu|admis|estimé|ajouté|écrit|raconté|soutenu|prétendu)",
        r"affirme|affirment|déclare|déclarent|dit|disent|révèle|révèlent|annonce|annoncent|confirme|confirment|"
        r"indique|indiquent|précise|précisent|assure|assurent|explique|expliquent|souligne|soulignent|mentionne|"
        r"reconnaît|ajoute|ajoutent|soutient|prétend",
    ),
    deny_verbs=(
        r"(?:a|ont|avait|avaient)\s+(?:également\s+|aussi\s+|fermement\s+|catégoriquement\s+)?"
        r"(?:nié|démenti|contesté|rejeté|réfuté|infirmé)",
        r"nie|nient|dément|démentent|conteste|contestent|rejette|rejettent|réfute",
    ),
    passive_denial=r"(?:(?:a|ont|avait)\s+été|(?:était|est|sont))\s+(?:formellement\s+|catégoriquement\s+)?"
                   r"(?:niée?s?|démentie?s?|contestée?s?|rejetée?s?|réfutée?s?)\s+par\s+(?P<speaker>[^,.;]+)",
    according_to=r"selon|d['’]après",
    verb_then_speaker=r"a déclaré|a affirmé|a dit|a indiqué|a précisé|a ajouté|a annoncé|a expliqué|a rapporté|"
                      r"a confirmé|a fait savoir|affirme|déclare|indique|précise|ajoute|explique|a assuré|selon",
    trailing_time=r"lors|dans|sur",
    complementisers=r"que|qu['’]",
    speaker_adverbs=r"également|aussi|déjà|ensuite|par ailleurs|toutefois|notamment|pourtant|enfin",
    claim_anaphora=r"(?:cette|cet|ces|la)\s+(?:affirmation|déclaration|information|allégation|rumeur|accusation|"
                   r"assertion)s?|(?:ce|le)\s+(?:chiffre|propos)",
    reporting_lemmas=frozenset(
        "affirmer déclarer dire révéler annoncer confirmer indiquer préciser assurer expliquer souligner mentionner "
        "rapporter reconnaître admettre estimer ajouter écrire raconter soutenir prétendre informer noter signaler "
        "affirmé déclaré dit indiqué annoncé précisé ajouté expliqué souligné estimé".split()),
    denial_lemmas=frozenset("nier démentir contester rejeter réfuter infirmer nié démenti contesté".split()),
    according_lemmas=frozenset({"selon"}),
    impersonal_report=r"(?:il a été|il est)\s+(?:rapporté|signalé|annoncé|indiqué)\s+(?:que|qu['’])",
    negation=r"\bne\b|\bn['’](?=\w)|\b(?:pas|jamais|aucun|aucune|guère|nullement)\b",
    hedges=r"pensent|pense|estime|estiment|croit|croient|devrait|devraient|pourrait|pourraient|doit|doivent|"
           r"probablement|peut-être|sans doute|est convaincu|sont convaincus|espère",
    opinion=r"\b(?:je|nous) (?:pense|pensons|crois|croyons|recommande|recommandons)\b"
            r"|\b(?:pensent|pense|croit|croient|estime|estiment|devrait|devraient|pourrait|pourraient|probablement|"
            r"peut-être|sans doute|est convaincu|sont convaincus|espère|espèrent|il est (?:important|essentiel|"
            r"difficile))\b"
            r"|\b(?:reflète|reflètent|illustre|illustrent|témoigne|témoignent|symbolise|symbolisent)\b",
    addresses_model=r"\b(?:ignore[zs]?|oublie[zs]?)\s+(?:toutes\s+)?(?:les|tes|vos)\s+(?:instructions|consignes)\b",
    self_reference=r"(?:en tant qu['’](?:ia|intelligence artificielle|modèle))\b|je (?:ne|suis désolé|recommande)\b",
    leading_adverbials=r"récemment|cependant|enfin|en outre|par ailleurs|en juin|selon les médias|"
                       r"dans le même temps|de plus|ainsi|donc|par exemple|en effet",
    parentheticals=r"cependant|par exemple|en effet|toutefois",
    hard_split=r"mais|tout en|alors que|tandis que|dont",
    contrast=r"mais|tandis que",
    relative_modal=r"pourrait|pourraient",
    relatives=r"qui",
    coordination=r"et",
    person_pronouns=r"il|elle",
    not_person_after_pronoun=r"a été|est|y a|faut|semble",
    org_anaphora=r"l['’]entreprise|la société|le groupe",
    verb_start_adverbs=r"également|aussi|déjà|ensuite|puis",
    verb_start=r"a|ont|est|sont|avait|avaient|sera|seront|va|vont|fait|font|se|s['’]|n['’]|ne|"
               r"[^\W\d_]+(?:é|ée|és|ées)",
    subject_end=r"a|ont|est|sont|avait|avaient|va|vont",
    auxiliaries=frozenset({"a", "ont", "est", "sont", "avait", "avaient"}),
    name_then_verb=r"a",
    scales=((r"billions?", 1e12), (r"milliards?|mds?|mrd", 1e9), (r"millions?|mio", 1e6), (r"milliers|mille", 1e3)),
    currencies=((r"dollars? américains|dollars? us|dollars?", "USD"), (r"euros?", "EUR"), (r"livres? sterling", "GBP"),
                (r"yuans?", "CNY"), (r"yens?", "JPY")),
    percent=r"pour ?cent|pourcent",
    qualifiers=(
        (r"allant jusqu['’]à|jusqu['’]à|jusqu['’]aux?|au plus|tout au plus", "up_to"),
        (r"au moins|au minimum", "at_least"),
        (r"plus de|plus d['’]|au-delà de", "more_than"),
        (r"moins de|moins d['’]", "less_than"),
        (r"environ|près de|presque|approximativement|quelque|approchaient|approchant|approche|avoisinant", "about"),
    ),
    fractions=((r"trois[- ]quarts", 75.0), (r"deux[- ]tiers", 200 / 3), (r"la moitié|moitié", 50.0),
               (r"un tiers", 100 / 3), (r"un quart", 25.0)),
    vague_amounts=((r"des dizaines de|dizaines de", 10, 100), (r"des centaines de|centaines de", 100, 1000)),
    months={**{m: i + 1 for i, m in enumerate(
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split())},
        "fevrier": 2, "aout": 8, "decembre": 12},
    month_prepositions=r"en|au mois de",
    small_numbers={"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10},
    number_words=r"deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingts?|"
                 r"trente|quarante|cinquante|soixante|cents?|mille|un|une",
    figure_linkers=r"de|d['’]",
    frames={
        "investment": r"investi\w*|participation|rachat|acqui\w*",
        "compensation": r"salaire\w*|rémunération\w*|offre\w*|compensation|bonus\w*",
        "revenue": r"chiffre d['’]affaires|ventes",
        "profit": r"bénéfice\w*",
        "valuation": r"valoris\w*|valeur",
        "funding": r"levée|lev[ée]\w*|financement",
        "workforce": r"salariés|effectifs|ingénieurs?|chercheurs?",
        "share_of_work": r"travail|tâches",
        "users": r"utilisateurs?|clients?",
        "price": r"prix|coût\w*",
    },
    join_verbs=r"rejoint|rejoindre|a rejoint|embauché par|recruté par|est passé chez",
    function_words=frozenset(
        "le la les des du de un une et est sont dans pour avec sur au aux que qui ne pas plus par ce cette ces il elle "
        "ils elles nous vous son sa ses leur leurs été était a ont mais ou où donc selon après avant depuis "
        "entre".split()),
    abbreviations=frozenset({"m", "mme", "mlle", "etc"}),
    not_names=frozenset(
        """le la les l un une des du de ce cet cette ces il elle ils elles on nous vous son sa ses leur leurs selon
        cependant enfin récemment alors bien avec en pour par dans sur au aux mais ou donc or ni car puis après avant
        depuis pendant lors quand si même certains certaines plusieurs tous toutes tout chaque aucun aucune points
        développer il-y pdg dg ia eur mme""".split()),
    determiners=frozenset({"le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "son", "sa", "ses", "leur",
                           "leurs", "ce", "cet", "cette", "ces", "plusieurs", "certains", "certaines"}),
    list_left_stop=frozenset({"de", "en", "dans", "pour", "par", "avec", "à", "sur", "comme", "dont", "est", "sont",
                              "a", "ont", "et", "ou", "entre", "parmi", "comprenant", "notamment", "que"}),
    finite=frozenset({"est", "sont", "était", "étaient", "a", "ont", "avait", "avaient", "sera", "seront", "qui", "que",
                      "qu", "parce", "quand", "si"}),
    list_conjunctions=r"et|ou",
    list_introducers=r"(?:comme|notamment|dont|tels? que|telles? que)\s*$",
)
