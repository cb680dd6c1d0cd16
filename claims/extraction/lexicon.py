"""Word lists the rules rely on: reporting verbs and their forms, titles, pronouns, outlets."""

# Verbs that introduce what someone said, wrote or thought. The lemmatizer is disabled for speed,
# so every inflected form is generated below and looked up by the lower-cased token text.
REPORTING_VERBS = frozenset(
    """
    say tell claim admit argue warn insist stress concede confirm deny add maintain state
    note explain believe think report announce acknowledge assert allege write tweet post
    reply respond suggest declare predict promise pledge vow recall reveal disclose indicate
    emphasize emphasise contend complain charge accuse estimate observe remark testify agree
    caution counter conclude point mention reiterate repeat insinuate imply hint assure
    reassure boast brag concede joke quip muse signal fear hope expect feel know understand
    suspect doubt worry acknowledge guess figure speculate assume reckon predict forecast
    announce proclaim affirm aver posit opine retort stipulate specify underline underscore
    highlight demand urge ask question wonder lament mourn regret concede recount relate
    inform notify advise brief warn threaten decry call refer cite describe criticize
    criticise praise blame mock dismiss slam blast defend show find
    """.split()  # noqa: SIM905 - a word list reads best as words
)

_IRREGULAR = {
    "say": ("says", "said", "saying"),
    "tell": ("tells", "told", "telling"),
    "think": ("thinks", "thought", "thinking"),
    "know": ("knows", "knew", "knowing", "known"),
    "write": ("writes", "wrote", "writing", "written"),
    "feel": ("feels", "felt", "feeling"),
    "understand": ("understands", "understood", "understanding"),
    "admit": ("admits", "admitted", "admitting"),
    "quip": ("quips", "quipped", "quipping"),
    "signal": ("signals", "signaled", "signalled", "signaling", "signalling"),
    "forecast": ("forecasts", "forecast", "forecasted", "forecasting"),
    "aver": ("avers", "averred", "averring"),
    "regret": ("regrets", "regretted", "regretting"),
    "retort": ("retorts", "retorted", "retorting"),
    "show": ("shows", "showed", "showing", "shown"),
    "find": ("finds", "found", "finding"),
}


def _forms(lemma: str) -> tuple[str, ...]:
    if lemma in _IRREGULAR:
        return (lemma, *_IRREGULAR[lemma])
    if lemma.endswith("e"):
        return (lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing")
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return (lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing")
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        return (lemma, lemma + "es", lemma + "ed", lemma + "ing")
    return (lemma, lemma + "s", lemma + "ed", lemma + "ing")


VERB_FORMS: dict[str, str] = {form: lemma for lemma in REPORTING_VERBS for form in _forms(lemma)}

PRONOUNS_PERSON = frozenset(["he", "she", "him", "her", "i", "me"])
PRONOUNS_GROUP = frozenset(["they", "them", "we", "us", "it"])

DETERMINERS = frozenset(
    ["the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our"]
)

# Heads of a person's title ("Foreign Minister", "Sen.", "spokesman"); a name follows them.
PERSON_TITLES = frozenset(
    """
    president vice-president president-elect minister premier secretary secretary-general
    spokesman spokeswoman spokesperson senator sen. sen rep. rep representative gov. gov
    governor mayor chancellor chairman chairwoman chair ceo director chief general gen. adm.
    admiral lt. col. colonel sgt. dr. dr mr. mr mrs. mrs ms. ms miss prof. professor judge
    justice ambassador envoy leader head commander king queen prince princess pope attorney
    candidate nominee speaker adviser advisor aide official manager analyst lawyer sheriff
    mp congressman congresswoman lawmaker pastor rev. founder executive officer economist
    strategist host anchor correspondent reporter editor writer author coach deputy agent
    diplomat politician businessman businesswoman billionaire activist expert researcher
    scientist commentator columnist pollster consultant negotiator general-secretary
    counterpart councilmember councilman councilwoman councillor councilor alderman
    alderwoman assemblyman assemblywoman assemblymember supervisor commissioner trustee
    superintendent treasurer comptroller selectman
    """.split()  # noqa: SIM905 - a word list reads best as words
)

# Descriptions that point back to a named person ("the Ukrainian leader", "the senator").
PERSON_NOUNS = PERSON_TITLES | frozenset(
    """
    man woman mogul businessman tycoon star nominee frontrunner front-runner incumbent
    challenger rival opponent republican democrat
    """.split()  # noqa: SIM905 - a word list reads best as words
)

# Plural or generic people: speakers we do not resolve to a name.
UNNAMED_NOUNS = frozenset(
    """
    officials sources source people critics analysts experts observers residents voters
    supporters opponents aides advisers advisors lawmakers diplomats insiders witnesses
    observers economists scientists researchers investigators authorities others some many
    person someone anyone everyone nobody one official reports report polls poll survey
    surveys study studies statement documents document data
    """.split()  # noqa: SIM905 - a word list reads best as words
)

# Nouns by which news refers back to a company that spoke ("the company said in a
# statement").
COMPANY_NOUNS = frozenset(
    """
    company firm carmaker automaker bank retailer airline insurer manufacturer chipmaker
    startup conglomerate lender broadcaster
    """.split()  # noqa: SIM905 - a word list reads best as words
)

# Common family names of languages that write them first (Chinese, Korean, Vietnamese): news
# names "Lee Jae-myung" or "Xi Jinping" once, then "Lee" and "Xi".
FAMILY_NAME_FIRST = frozenset(
    """
    kim lee park choi jung jeong kang cho yoon yun jang lim han oh seo shin kwon hwang ahn
    song yoo hong moon xi li wang zhang liu chen yang huang zhao wu zhou xu sun zhu hu guo
    lin luo gao zheng nguyen tran pham hoang phan vu dang bui ngo duong
    """.split()  # noqa: SIM905 - a word list reads best as words
)

MEDIA_WORDS = frozenset(
    """
    news times post journal reuters ap afp associated press cnn nbc abc cbs fox bbc msnbc
    tass ria novosti guardian bloomberg politico axios telegraph pravda tribune herald
    magazine channel newspaper agency interfax rt sputnik npr pbs gazette daily weekly wire
    outlet breitbart huffington huffpost vox slate atlantic newsweek economist independent
    mirror sun observer spiegel le monde figaro kyiv izvestia kommersant vedomosti xinhua al
    jazeera
    """.split()  # noqa: SIM905 - a word list reads best as words
)

GOVERNMENT_WORDS = frozenset(
    """
    kremlin white house downing pentagon ministry government department administration parliament
    congress senate cabinet embassy police army military duma rada council commission office
    state navy court supreme foreign nato un eu
    """.split()  # noqa: SIM905 - a word list reads best as words
)

# Verbs of intent whose infinitive states the speaker's position ("vowed to fight on").
INTENT_VERBS = frozenset(
    ["want", "plan", "promise", "pledge", "vow", "refuse", "intend", "threaten", "urge"]
)
INTENT_FORMS: dict[str, str] = {form: lemma for lemma in INTENT_VERBS for form in _forms(lemma)}
