"""The first version of each regulatory parameter, in force from 24 December 2020.

Values as of the arrêté du 24 décembre 2020 (NOR SSAS2035908A) and the décret n° 2020-1665
(domain.md §2). Written out here rather than imported, so the migration never changes when
the app's code does. Later versions are added by an administrator, never by editing these.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

START = date(2020, 12, 24)
ARRETE = (
    "Arrêté du 24 décembre 2020 relatif au parcours de soins global après le traitement "
    "d'un cancer (NOR SSAS2035908A)"
)
DECRET = (
    "Décret n° 2020-1665 du 22 décembre 2020 relatif au parcours de soins global après le "
    "traitement d'un cancer, art. R.1415-1-11 CSP"
)
AJA = (
    "Bornes d'âge enfant / AJA : AJA de 15 à 25 ans inclus (oncorif, MAYA) ; "
    "question ouverte OQ-7 (INCa : 15-24 ans)"
)
SETTING = "Paramètre de fonctionnement d'OncoParcours (pas de texte réglementaire)"

SEED = [
    ("psgac.assessment_max_rate", "45.00", ARRETE),  # PSG-07
    ("psgac.followup_max_rate", "22.50", ARRETE),  # PSG-08
    ("psgac.cap_per_patient", "180.00", ARRETE),  # PSG-09
    ("psgac.max_followups", "6", ARRETE),  # PSG-05
    ("psgac.max_assessments_per_kind", "1", ARRETE),  # PSG-10
    ("psgac.prescription_window_months", "12", DECRET),  # PSG-03
    ("psgac.delivery_window_months", "12", DECRET),  # PSG-06
    ("psgac.assessment_minutes", "60", ARRETE),
    ("psgac.followup_minutes", "30", ARRETE),
    ("age.child_max_years", "14", AJA),  # a child is under 15
    ("age.aja_min_years", "15", AJA),
    ("age.aja_max_years", "25", AJA),  # OQ-7: 15-25 inclusive by default
    ("reminders.contact_after_days", "7", SETTING),
    ("reminders.deadline_within_days", "30", SETTING),
    ("reminders.budget_threshold_percent", "80", SETTING),
]


def seed(apps, schema_editor):
    RegulatoryParameter = apps.get_model("regulation", "RegulatoryParameter")
    for key, value, source in SEED:
        RegulatoryParameter.objects.get_or_create(
            key=key,
            effective_from=START,
            defaults={"value": Decimal(value), "source": source},
        )


def unseed(apps, schema_editor):
    RegulatoryParameter = apps.get_model("regulation", "RegulatoryParameter")
    RegulatoryParameter.objects.filter(
        key__in=[key for key, _value, _source in SEED], effective_from=START, created_by=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("regulation", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
