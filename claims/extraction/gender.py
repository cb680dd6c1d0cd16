"""Gender of a person or a pronoun, from what the article says ("Mr.", "spokeswoman", "wife")
or a common first name: "" when it does not say, which agrees with either pronoun."""

from spacy.tokens import Span

from claims.extraction.names import canonical_speaker_name, person_name

GENDER_OF_PRONOUN = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
_MALE_WORDS = """
    mr mr. sir spokesman congressman chairman businessman husband father son brother king
    prince uncle nephew grandfather boyfriend councilman assemblyman statesman policeman
    anchorman sportsman grandson stepfather stepson widower
"""
_FEMALE_WORDS = """
    mrs mrs. ms ms. miss madam spokeswoman congresswoman chairwoman businesswoman wife mother
    daughter sister queen princess aunt niece grandmother girlfriend actress councilwoman
    assemblywoman stateswoman policewoman anchorwoman sportswoman granddaughter stepmother
    stepdaughter widow duchess countess baroness dame
"""
_TITLES = frozenset(["mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "sir", "madam"])
_GENDER_OF_WORD = dict.fromkeys(_MALE_WORDS.split(), "m")
_GENDER_OF_WORD |= dict.fromkeys(_FEMALE_WORDS.split(), "f")
# Common English first names whose gender is near certain: enough for "she" not to resolve to
# a Donald or a Ben when the article gives no Mr./Ms. Names used for both stay out.
_MALE_FIRST_NAMES = """
    aaron adam alan albert alexander andrew anthony arthur barack ben benjamin bernie bill
    bob bobby brad brian bruce carl charles chris christopher chuck dan daniel david dennis
    dick donald doug douglas edward eric frank fred gary george gerald greg gregory harold
    harry henry howard jack jacob james jason jeb jeff jeffrey jeremy jerry jim jimmy joe
    john johnny jonathan joseph josh joshua keith ken kenneth kevin larry lawrence lindsey
    marco mark martin matt matthew michael mike mitch mitt nathan newt nicholas nick paul
    peter phil philip ralph randy raymond richard rick robert roger ron ronald roy rudy
    russell ryan sam samuel scott sean stephen steve steven ted thomas tim timothy todd tom
    tony vladimir walter wayne william
"""
# Names heard in international political news (Europe, the Commonwealth, Latin America,
# Russia and Ukraine, the Middle East, South Asia), by the same rule: near certain, in the
# news these names come from. Not "gabriele", "nicola", "jan" or "alexis" (a man's name in
# one country, a woman's in another), nor "marine" ("Marine Gen. John Kelly"), "ali" or "jean".
_MALE_FIRST_NAMES += """
    abdullah ahmed alain alberto alejandro aleksandar alexei alexey andrej andrés
    andriy antonio benedict bernard boris bruno carlos cyril didier dmitri dmitry dmytro
    dominic edouard emmanuel enrique fernando francesco françois francois friedrich fumio
    gerhard giorgio giuseppe gordon gustavo hans hassan heiko helmut horst hossein ibrahim
    igor ivan jacques jair javier jens jorge josé jose juan jürgen juergen justin kamal
    keir khalid kirill klaus kyriakos laurent luigi luis luiz manuel mario markus matteo
    mateusz miguel mikhail mohammad mohammed muhammad narendra nigel nikolai olaf oleg
    oleksandr olivier pablo pedro petr petro pierre rahul ramzan recep ricardo rishi
    rodrigo sadiq sajid sebastian sergei sergey sergio shinzo sigmar silvio thierry viktor
    volodymyr wolfgang yair yevgeny yuri yuriy
"""
_FEMALE_FIRST_NAMES = """
    abigail alice amanda amy andrea angela ann anna anne barbara betty beth betsy carly
    carol caroline catherine cathy cheryl christine claire cynthia debbie deborah diana
    diane donna dorothy elizabeth ellen emily emma frances gloria hannah heather helen
    hillary huma ivanka jane janet janice jennifer jessica jill joan joanne judith judy julia
    julie karen kate katherine kathleen kathy kelly kellyanne kimberly laura lauren linda
    lisa lori lynn margaret maria marie marilyn martha mary megan melania melissa michelle
    monica nancy nicole nikki pamela patricia paula rachel rebecca ruth sandra sara sarah
    sharon stephanie susan theresa tina virginia wendy
"""
_FEMALE_FIRST_NAMES += """
    agnes agnès agnieszka alexandria anastasia angelina annalena annegret aurore beata
    benazir brigitte chrystia claudia cristina dilma dubravka ekaterina elena elisabeth
    élisabeth ewa federica franziska galina giorgia hasina ilhan indira ingrid irina iryna
    isabelle jacinda kaja kamala karine katarina katrin kemi kristalina kyrsten liz
    lyudmila magdalena marjorie marta mette nadine natalia nathalie nirmala oksana
    olena olga priti priyanka rachida rashida ricarda roberta ségolène segolene sahra sanna
    saskia smriti sonia sophie suella svenja svetlana tatiana teresa tulsi ulrike ursula
    valentina valérie valerie veronique véronique ylva yulia zuzana
"""
# More of both, seen in wire copy and local news beyond PolNeAR (2026-11-28: "Anita Dunn",
# "Rachael Maskell" left "she" unresolved), by the same rule.
_MALE_FIRST_NAMES += """
    adrian alfred andre barry bradley brandon brett byron calvin chad clarence colin craig
    curtis derek duncan dwight earl eddie elijah elliot ethan eugene evan felix franklin
    gavin glenn graham grant hector herbert hugo ian isaac jared jerome jesse joel jon
    julian karl kurt kyle lance leonard lloyd louis lucas luke malcolm marcus marvin max
    micah mitchell neil nelson noah norman oliver oscar owen patrick preston rodney ross
    rupert seth simon spencer stanley stuart trevor troy tyler victor vincent warren wesley
    zach zachary
"""
_FEMALE_FIRST_NAMES += """
    alicia ana anita beatriz carmen cecilia charlotte chloe christina daniela denise elaine
    eleanor erin esther eva fiona gabriela grace gretchen hilary irene isabel isabella
    jacqueline jasmine joyce kathryn kristen kristin leah lucy madeleine marcia margarita
    marina maxine melanie miriam molly natalie nina norma olivia penny phyllis rachael rita rosa
    rose samantha shirley silvia stacey sylvia tammy tanya vanessa victoria vivian yolanda zoe
"""
# South Asian, African, East Asian and Spanish names from local and international news beyond
# PolNeAR (2026-11-28: "Priya Natarajan … She said" left "she" unresolved), and short English
# forms ("Delaney's campaign manager, Sue Park": NER took the name for a place), by the same
# rule.
_MALE_FIRST_NAMES += """
    akhilesh amit amitabh anil arjun arvind ashok deepak diego gaurav hiroshi jaime kenji
    kwame lula manoj mukesh nitin pranab rajesh rajiv ramesh raúl raul sanjay santiago
    shashi sunil suresh takeshi thabo vijay yogi andy dave rob hank walt ned
"""
_FEMALE_FIRST_NAMES += """
    akiko anjali camila deepa heidi holly jenna kavita keiko lakshmi lucía lucia meena
    ngozi pooja priya sofía sofia sunita sushma valeria yoko sue meg jen becky peggy sally gina
    sheila gail
"""
_GENDER_OF_FIRST_NAME = dict.fromkeys(_MALE_FIRST_NAMES.split(), "m")
_GENDER_OF_FIRST_NAME |= dict.fromkeys(_FEMALE_FIRST_NAMES.split(), "f")


def entity_gender(entity: Span, description: str) -> str:
    """A named person's gender: the word before the name, its first word, its role words,
    else its first name."""
    doc = entity.doc
    before = doc[entity.start - 1].lower_ if entity.start > 0 else ""
    # In the role words, a title belongs to someone else ("a pollster for Mrs. Clinton").
    roles = [word for word in description.split() if word not in _TITLES]
    for word in [before, *entity.text.lower().split()[:1], *roles]:
        gender = _GENDER_OF_WORD.get(word)
        if gender:
            return gender
    return first_name_gender(person_name(entity.text))


def first_name_gender(name: str) -> str:
    """ "m" or "f" when a name of two or more words starts with a common first name."""
    words = name.lower().split()
    return _GENDER_OF_FIRST_NAME.get(words[0], "") if len(words) >= 2 else ""


def mention_gender(text: str) -> str:
    for word in text.lower().replace(",", " ").split():
        gender = _GENDER_OF_WORD.get(word)
        if gender:
            return gender
    return first_name_gender(canonical_speaker_name(text))


def title_gender(text: str) -> str:
    """The gender a title or role word in ``text`` gives ("Mrs. Clinton"), "" if none."""
    for word in text.lower().replace(",", " ").split():
        gender = _GENDER_OF_WORD.get(word)
        if gender:
            return gender
    return ""
