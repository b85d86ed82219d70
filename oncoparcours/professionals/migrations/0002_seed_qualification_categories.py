"""Seeds the three D.1172-2 CSP categories (PSG-13). Labels may be edited later; 3° is open
(OQ-5), so the list stays in the database rather than in code."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

CATEGORIES = [
    (
        "1",
        "Masseurs-kinésithérapeutes, ergothérapeutes et psychomotriciens",
        "Art. D.1172-2 1° CSP",
    ),
    (
        "2",
        "Titulaires d'un diplôme dans le domaine de l'activité physique adaptée "
        "(art. L.613-1 du code de l'éducation)",
        "Art. D.1172-2 2° CSP",
    ),
    (
        "3",
        "Professionnels et personnes qualifiés disposant des prérogatives pour dispenser "
        "une activité physique adaptée",
        "Art. D.1172-2 3° CSP",
    ),
]


def seed(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    category = apps.get_model("professionals", "QualificationCategory")
    for code, label, reference in CATEGORIES:
        category.objects.get_or_create(
            code=code, defaults={"label": label, "legal_reference": reference}
        )


def unseed(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    category = apps.get_model("professionals", "QualificationCategory")
    category.objects.filter(code__in=[code for code, _label, _ref in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("professionals", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
