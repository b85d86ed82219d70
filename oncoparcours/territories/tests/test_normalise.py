import pytest

from oncoparcours.territories.normalise import normalise_name


def test_saint_etienne_and_st_etienne_have_the_same_key():
    assert normalise_name("Saint-Étienne") == normalise_name("st etienne") == "saint etienne"


def test_accents_are_removed_whatever_the_case():
    assert normalise_name("Échirolles") == "echirolles"
    assert normalise_name("ÉCHIROLLES") == normalise_name("echirolles")


def test_apostrophes_hyphens_and_spaces_become_one_space():
    assert normalise_name("  L\u2019Isle-d'Abeau  ") == "l isle d abeau"
    assert normalise_name("Saint-Genis--Laval   ") == "saint genis laval"


def test_sainte_abbreviation_is_expanded_as_a_whole_word_only():
    assert normalise_name("Ste-Foy-lès-Lyon") == "sainte foy les lyon"
    assert normalise_name("Stella") == "stella"
    assert normalise_name("Bastia") == "bastia"


def test_ligatures_are_spelt_out():
    assert normalise_name("Bœuf") == "boeuf"


@pytest.mark.parametrize("text", ["", "   ", "-", "'"])
def test_nothing_to_search_gives_an_empty_key(text):
    assert normalise_name(text) == ""
