import random

from oncoparcours.demo.coverage import (
    CommuneRow,
    adult_territories,
    of_commune,
    rural_groups_left_out,
    split_balanced,
)


def test_rural_groups_left_out_hold_ten_to_fifteen_percent_of_the_communes():
    groups = {f"epci{i}": (1000 * (i + 1), 10) for i in range(10)}
    for seed in range(20):
        left_out = rural_groups_left_out(groups, "epci0", random.Random(seed))
        assert sum(groups[key][1] for key in left_out) in range(10, 16)
        # Only the less populated half, never the structure's own EPCI.
        assert left_out <= {"epci1", "epci2", "epci3", "epci4"}


def test_no_group_is_left_out_when_each_is_too_big_to_fit():
    groups = {"home": (50000, 10), "rural": (800, 10)}
    assert rural_groups_left_out(groups, "home", random.Random(1)) == set()


def test_split_balanced_keeps_the_order_and_makes_no_empty_part():
    groups = [[1] * 5, [2] * 5, [3] * 5, [4] * 5]
    assert split_balanced(groups, 2) == [[groups[0], groups[1]], [groups[2], groups[3]]]
    assert split_balanced([[1] * 30, [2]], 3) == [[[1] * 30], [[2]]]


def test_of_commune_follows_french_elision():
    assert of_commune("Lyon") == "de Lyon"
    assert of_commune("Annecy") == "d'Annecy"
    assert of_commune("Le Puy-en-Velay") == "du Puy-en-Velay"
    assert of_commune("Les Abrets en Dauphiné") == "des Abrets en Dauphiné"
    assert of_commune("La Tour-du-Pin") == "de La Tour-du-Pin"


def test_adult_territories_are_one_to_three_and_named_after_their_main_commune():
    communes = [
        CommuneRow(f"01{i:03d}", f"Bourg {i}", "01", f"e{i // 5}", 1000 - i, 46 + i / 50, 5.0)
        for i in range(40)
    ]
    for seed in range(10):
        territories = adult_territories(communes, "01000", random.Random(seed))
        assert 1 <= len(territories) <= 3
        members = [c.insee for _name, group in territories for c in group]
        assert len(members) == len(set(members))
        assert "01000" in members
        for name, group in territories:
            main = max(group, key=lambda c: c.population)
            assert name == f"Territoire de {main.name}"
