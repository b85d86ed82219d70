from oncoparcours.demo.names import COMMON_SURNAMES, invented_surnames, normalise


def test_invented_surnames_are_many_unique_and_not_common():
    names = invented_surnames()
    assert len(names) > 1000
    keys = [normalise(n) for n in names]
    assert len(keys) == len(set(keys))
    assert not set(keys) & COMMON_SURNAMES


def test_invented_surnames_come_in_a_stable_order():
    assert invented_surnames()[:5] == invented_surnames()[:5]
    assert "Bravemont" in invented_surnames()


def test_normalise_drops_accents_case_and_punctuation():
    assert normalise("Lévêque-Dûpont") == "levequedupont"
