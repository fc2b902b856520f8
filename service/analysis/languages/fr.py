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
    speech_continuation=r",\s+(?:assurant|affirmant|ajoutant|estimant|soulignant|précisant|expliquant|qualifiant)\b"
                        r"|\s+et\s+a\s+(?:ajouté|assuré|affirmé|précisé|souligné)\b",
    hearsay=r"(?:les\s+|des\s+|ces\s+)?(?:informations?|rumeurs?|allégations?|affirmations?|accusations?|"
            r"articles?)(?:\s+de\s+presse|\s+parues?\s+dans\s+la\s+presse)?\s+selon\s+(?:lesquelles|lesquels|laquelle|lequel)",
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
                (r"yuans?", "CNY"), (r"yens?", "JPY"), (r"dongs?", "VND"), (r"roupies?", "INR"),
                (r"francs? suisses", "CHF"), (r"roubles?", "RUB"), (r"zlotys?", "PLN")),
    percent=r"pour ?cent|pourcent",
    qualifiers=(
        (r"allant jusqu['’]à|jusqu['’]à|jusqu['’]aux?", "up_to"),
        (r"au plus|tout au plus", "at_most"),
        (r"au moins|au minimum", "at_least"),
        (r"plus de|plus d['’]|au-delà de", "more_than"),
        (r"moins de|moins d['’]", "less_than"),
        (r"environ|près de|presque|approximativement|quelque|approchaient|approchant|approche|avoisinant", "about"),
    ),
    fractions=((r"trois[- ]quarts", 75.0), (r"deux[- ]tiers", 200 / 3), (r"la moitié|moitié", 50.0),
               (r"un tiers", 100 / 3), (r"un quart", 25.0)),
    vague_amounts=((r"des dizaines de|dizaines de", 10, 100), (r"des centaines de|centaines de", 100, 1000)),
    weekdays={d: i for i, d in enumerate("lundi mardi mercredi jeudi vendredi samedi dimanche".split())},
    relative_days=((r"avant-hier", -2), (r"après-demain", 2), (r"hier", -1), (r"aujourd'hui|aujourd’hui", 0),
                   (r"demain", 1)),
    weekday_past=r"dernier",
    weekday_next=r"prochain",
    months={**{m: i + 1 for i, m in enumerate(
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split())},
        "fevrier": 2, "aout": 8, "decembre": 12},
    month_prepositions=r"en|au mois de",
    small_numbers={"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10},
    number_words=r"deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingts?|"
                 r"trente|quarante|cinquante|soixante|cents?|mille|un|une",
    figure_linkers=r"de|d['’]",
    magnitude_before=r"magnitude(?:\s+de)?",
    magnitude_after=r"(?:de\s+)?magnitude\b|sur l['’]échelle de richter",
    clock_marks=((r"heures?\s+du\s+matin", 0.0), (r"heures?\s+(?:du\s+soir|de\s+l['’]après-midi)", 12.0)),
    clock_prepositions=r"à|vers|dès|jusqu['’]à|avant|après",
    clock_hours=r"heures?|h(?!\w)",
    units=(
        (r"km|kilomètres?", "length", "m", 1e3), (r"mètres?", "length", "m", 1.0),
        (r"km2|km²|kilomètres? carrés?", "area", "m2", 1e6), (r"hectares?|ha", "area", "m2", 1e4),
        (r"tonnes?", "mass", "kg", 1e3), (r"kg|kilos?|kilogrammes?", "mass", "kg", 1.0),
        (r"litres?", "volume", "l", 1.0), (r"barils?", "volume", "l", 158.987),
        (r"mw|mégawatts?", "power", "W", 1e6), (r"gw|gigawatts?", "power", "W", 1e9),
        (r"gwh", "energy", "Wh", 1e9), (r"mwh", "energy", "Wh", 1e6), (r"kwh", "energy", "Wh", 1e3),
        (r"km/h|kilomètres? à l['’]heure|kilomètres?-heure", "speed", "km/h", 1.0),
        (r"°c|degrés celsius|degrés", "temperature", "°C", 1.0),
        (r"secondes?", "duration", "s", 1.0), (r"minutes?", "duration", "s", 60.0),
        (r"heures?", "duration", "s", 3600.0), (r"jours?|journées?", "duration", "s", 86400.0),
        (r"semaines?", "duration", "s", 604800.0), (r"mois", "duration", "s", 2629800.0),
        (r"ans|années?", "duration", "s", 31557600.0), (r"décennies?", "duration", "s", 315576000.0),
    ),
    frames={
        "investment": r"investi\w*|participation|rachat|acqui\w*",
        "compensation": r"salaire\w*|rémunération\w*|package\w*|compensation|bonus\w*",
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
    time_adjuncts=r"après|avant|suite à|à la suite d(?:e|u|es)|depuis|dans la foulée d(?:e|u|es)",
    counted={
        "person": r"personnes|individus|habitants|résidents",
        "dead": r"morts|décès|victimes|tués|corps",
        "injured": r"blessés",
        "missing": r"disparus",
        "employee": r"employés|salariés|travailleurs|ouvriers|agents|collaborateurs|ingénieurs|chercheurs|contrôleurs",
        "job": r"emplois|postes",
        "station": r"gares|stations|arrêts",
        "train": r"trains|rames|wagons",
        "vehicle": r"véhicules|voitures|bus|camions",
        "aircraft": r"avions|appareils",
        "flight": r"vols",
        "passenger": r"passagers|voyageurs|usagers",
        "customer": r"clients|abonnés|utilisateurs|comptes",
        "student": r"élèves|étudiants",
        "patient": r"patients|malades",
        "case": r"cas|infections",
        "bed": r"lits",
        "home": r"logements|maisons|foyers|ménages|appartements",
        "school": r"écoles",
        "hospital": r"hôpitaux|cliniques",
        "plant": r"usines|sites",
        "shop": r"magasins|boutiques|agences|restaurants",
        "seat": r"sièges|places",
        "vote": r"voix|votes|bulletins",
        "member": r"membres|adhérents",
        "country": r"pays|nations",
        "company": r"entreprises|sociétés",
        "child": r"enfants|mineurs",
        "soldier": r"soldats|militaires",
        "officer": r"policiers|gendarmes",
        "protester": r"manifestants|grévistes",
        "visitor": r"visiteurs|touristes|spectateurs|supporters",
        "share": r"actions",
        "product": r"unités|appareils|téléphones|exemplaires",
    },
    events={
        "contact": r"contact\w*|approch\w*|sollicit\w*|démarch\w*|débauch\w*|cibl\w*",
        "hire": r"embauch\w*|recrut\w*|engag(?:é|ée|és|ées|er|e)\b|rejoin\w*|rejoint\w*|accept\w*",
        "leave": r"quitt\w*|départ\w*|parti[se]?\b|démission\w*|licenci\w*|suppression\w*|supprim\w*",
        "die": r"mort[se]?\b|décè?d\w*|décès|tu(?:é|ée|és|ées)\b|victimes?",
        "injure": r"bless\w*|hospitalis\w*",
        "arrest": r"arrêt(?:é|ée|és|ées)\b|interpell\w*|détenu\w*|inculp\w*|condamn\w*|écrou\w*",
        "evacuate": r"évacu\w*|déplac\w*|sinistr\w*|sans-abri",
        "build": r"constru\w*|bâti\w*|inaugur\w*|ouvert\w*|ouvrir|lanc\w*",
        "close": r"ferm\w*",
        "sell": r"vend\w*|vent(?:e|es)\b|export\w*",
        "strike": r"grève\w*|grévistes?|débray\w*|cess\w* le travail|arrêts? de travail",
        "deliver": r"livr\w*|remis\w*|remet\w*",
        "buy": r"achet\w*|achat\w*|acqu\w*|rachat\w*|rachet\w*|import\w*|s['’]offr\w*|prise de contrôle",
        "invest": r"investi\w*|financ\w*|lev(?:ée|é|er)\b|subvention\w*",
        "bribe": r"pots?-de-vin|corrompu\w*|corruption|soudoy\w*",
        "pay": r"pa(?:y|i)\w*|vers(?:é|ée|és|ées|er|ement)\b|salaire\w*|rémunér\w*|offr\w*|offert\w*|prime\w*|amende\w*",
        "cost": r"coût\w*|prix|budget\w*|valeur\w*|valoris\w*|dépens\w*|montant",
        "earn": r"chiffre d['’]affaires|bénéfice\w*|perte\w*|recette\w*|revenu\w*",
        "produce": r"produi\w*|production\w*|capacité\w*|récolt\w*",
        "vote": r"vot\w*|scrutin\w*|élect\w*|élu\w*|participation|sondage\w*|soutien\w*|approuv\w*",
        "win": r"gagn\w*|victoire\w*|remport\w*|battu\w*|marqu\w*",
        "visit": r"visit\w*|touris\w*|passager\w*|voyageur\w*|spectateur\w*|fréquent\w*",
        "use": r"utilis\w*|usager\w*|abonn\w*|téléchar\w*|clients?",
        "grow": r"hauss\w*|augment\w*|croiss\w*|progress\w*|grimp\w*|bond\w*",
        "fall": r"baiss\w*|rédui\w*|réduction\w*|chut\w*|recul\w*|diminu\w*|effondr\w*",
        "infect": r"infect\w*|cas\b|contamin\w*|diagnostiqu\w*|vaccin\w*",
    },
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
