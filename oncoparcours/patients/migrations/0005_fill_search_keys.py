from django.db import migrations

from oncoparcours.core.text import fold


def fill_search_keys(apps, schema_editor):  # type: ignore[no-untyped-def]
    patient_model = apps.get_model("patients", "Patient")
    batch = []
    for patient in patient_model.objects.only(
        "birth_name", "used_name", "first_given_name"
    ).iterator(chunk_size=2000):
        patient.birth_name_key = fold(patient.birth_name)
        patient.used_name_key = fold(patient.used_name)
        patient.name_key = patient.used_name_key or patient.birth_name_key
        patient.given_name_key = fold(patient.first_given_name)
        batch.append(patient)
        if len(batch) == 2000:
            patient_model.objects.bulk_update(
                batch, ["birth_name_key", "used_name_key", "name_key", "given_name_key"]
            )
            batch = []
    patient_model.objects.bulk_update(
        batch, ["birth_name_key", "used_name_key", "name_key", "given_name_key"]
    )


class Migration(migrations.Migration):
    dependencies = [("patients", "0004_add_search_keys_and_optional_structure")]

    operations = [migrations.RunPython(fill_search_keys, migrations.RunPython.noop)]
