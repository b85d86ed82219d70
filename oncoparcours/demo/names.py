"""Obviously synthetic person names for the demo: invented surnames, common first names.

Surnames are built from a syllable table (onset + optional middle + ending) so that no demo
patient or professional can be mistaken for a real person; the few combinations that happen
to be real common surnames are filtered out. First names are common ones on purpose: alone
they identify nobody, and they keep the screens readable.
"""

import random
import unicodedata

# Onsets and endings chosen to read as French but rarely as an existing family name.
_ONSETS = (
    "Bra", "Til", "Quen", "Vor", "Gral", "Fal", "Sab", "Jol", "Trev", "Clam",
    "Rum", "Dav", "Gov", "Nor", "Ost", "Pral", "Brum", "Flo", "Hel", "Ker",
    "Lur", "Mav", "Ner", "Plo", "Sor", "Tam", "Urb", "Var", "Zel", "Cab",
    "Dro", "Esc", "Gue", "Ival", "Lo", "Moz", "Pou", "Rav", "Stel", "Vau",
)  # fmt: skip
_MIDDLES = ("", "", "", "ve", "li", "ra", "zo", "ne", "tou", "ga", "mi")
_ENDINGS = (
    "mont", "loux", "vac", "rieu", "zac", "quin", "las", "gnac", "lène", "ouze",
    "drot", "mière", "chal", "seuil", "brac", "vrand", "dieu", "grin", "coux", "vergne",
)  # fmt: skip

# Common French surnames (INSEE frequency lists): a generated name equal to one is dropped.
_COMMON_SURNAMES_TEXT = """
    martin bernard thomas petit robert richard durand dubois moreau laurent simon michel
    lefebvre leroy roux david bertrand morel fournier girard bonnet dupont lambert fontaine
    rousseau vincent muller lefevre faure andre mercier blanc guerin boyer garnier chevalier
    francois legrand gauthier garcia perrin robin clement morin nicolas henry roussel mathieu
    gautier masson marchand duval denis dumont marie lemaire noel meyer dufour meunier brun
    blanchard giraud joly riviere lucas brunet gaillard barbier arnaud martinez gerard roche
    renard schmitt roy leroux colin vidal caron picard roger fabre aubert lemoine renaud dumas
    lacroix olivier philippe bourgeois pierre benoit rey leclerc payet rolland leclercq
    guillaume lecomte lopez jean dupuy guillot hubert berger carpentier sanchez dupuis moulin
    louis deschamps huet vasseur perez boucher fleury royer klein jacquet adam paris poirier
    marty aubry guyot carre charles renault charpentier menard maillard baron bertin bailly
    herve schneider fernandez collet leger bouvier julien prevost millet perrot daniel cousin
    germain breton besson langlois remy pelletier leveque perrier leblanc barre lebrun marchal
    weber mallet hamon boulanger jacob monnier michaud rodriguez guichard gillet etienne
    grondin poulain tessier chevallier collin chauvin bouchet gay lemaitre benard marechal
    humbert reynaud antoine hoarau perret barthelemy cordier pichon lejeune gilbert lamy
    delaunay pasquier carlier laporte
"""
COMMON_SURNAMES = frozenset(_COMMON_SURNAMES_TEXT.split())

FEMALE_FIRST_NAMES = (
    "Anne", "Camille", "Chantal", "Claire", "Élise", "Françoise", "Hélène", "Inès",
    "Jeanne", "Julie", "Léa", "Louise", "Manon", "Marie", "Martine", "Monique",
    "Nathalie", "Nicole", "Sophie", "Sylvie", "Valérie", "Zoé",
)  # fmt: skip
MALE_FIRST_NAMES = (
    "Alain", "Antoine", "Bernard", "Christophe", "Daniel", "Éric", "François", "Gérard",
    "Hugo", "Jacques", "Jean", "Julien", "Louis", "Lucas", "Marc", "Michel",
    "Nicolas", "Paul", "Philippe", "Pierre", "Thomas", "Yves",
)  # fmt: skip


def normalise(name: str) -> str:
    """Lower-case, accent-free, letters only: the key names are compared on."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isalpha() and not unicodedata.combining(c)).lower()


def invented_surnames() -> list[str]:
    """Every surname the table can build, in a stable order, common real ones removed."""
    names: dict[str, str] = {}
    for onset in _ONSETS:
        for middle in _MIDDLES:
            for ending in _ENDINGS:
                name = onset + middle + ending
                key = normalise(name)
                if key not in COMMON_SURNAMES and key not in names:
                    names[key] = name
    return list(names.values())


def first_name(rng: random.Random, sex: str) -> str:
    return rng.choice(FEMALE_FIRST_NAMES if sex == "F" else MALE_FIRST_NAMES)
