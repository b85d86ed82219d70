from decimal import Decimal

from django.db import migrations
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce


def fill_engaged_amount(apps, schema_editor):  # type: ignore[no-untyped-def]
    pathway_model = apps.get_model("pathways", "Pathway")
    act_model = apps.get_model("pathways", "Act")
    engaged = (
        act_model.objects.filter(pathway=OuterRef("pk"), status__in=["booked", "done"])
        .order_by()
        .values("pathway")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    pathway_model.objects.update(
        engaged_amount=Coalesce(
            Subquery(engaged),
            Value(Decimal("0")),
            output_field=DecimalField(max_digits=8, decimal_places=2),
        )
    )


class Migration(migrations.Migration):
    dependencies = [("pathways", "0005_add_pathway_engaged_amount")]

    operations = [migrations.RunPython(fill_engaged_amount, migrations.RunPython.noop)]
