import pytest

from oncoparcours.professionals.models import QualificationCategory
from oncoparcours.professionals.selectors import qualification_category_list

pytestmark = pytest.mark.django_db


def test_the_three_d1172_2_categories_are_seeded_by_the_data_migration():
    assert list(QualificationCategory.objects.values_list("code", "legal_reference")) == [
        ("1", "Art. D.1172-2 1° CSP"),
        ("2", "Art. D.1172-2 2° CSP"),
        ("3", "Art. D.1172-2 3° CSP"),
    ]


def test_a_deactivated_category_leaves_the_choices():
    QualificationCategory.objects.filter(code="3").update(active=False)
    assert [c.code for c in qualification_category_list()] == ["1", "2"]
