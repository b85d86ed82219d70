import datetime

import pytest
from django.core.exceptions import ValidationError

from oncoparcours.accounts.roles import RoleCode
from oncoparcours.core.testing import make_member
from oncoparcours.directory.models import Offer, OfferEvent
from oncoparcours.directory.services import offer_create, offer_export_csv, offer_import_csv
from oncoparcours.directory.services.csv_columns import COLUMNS
from oncoparcours.directory.tests.factories import make_offer

pytestmark = pytest.mark.django_db

HEADER = "intitule;type_soin;publics;formats;modalites;cout;propose_par;code_insee;source"


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _errors(report) -> list[tuple[int | None, str | None, str]]:
    return [(e.row, e.column, e.code) for e in report.errors]


@pytest.fixture
def rich_offer(editor, personas):
    """An offer using every column, including formula-like text and multi-valued cells."""
    personas.structure.siret = "73282932000074"
    personas.structure.save()
    professional = make_member(
        personas.structure, RoleCode.PSYCHOLOGIST, "psy2@lyon.test", rpps="10000000008"
    )
    return offer_create(
        by=editor,
        title="Groupe de parole « Après »",
        description="Première ligne\nSeconde ligne ; avec point-virgule",
        care_type="carers",
        audiences=["carers", "aja"],
        moment="after",
        group_formats=["individual", "group"],
        delivery_modes=["in_person", "remote"],
        cost="psgac",
        requires_prescription=True,
        provider_organisation=personas.structure,
        provider_professional=professional.user,
        provider_name="=Association | Après",
        address="12 rue Garibaldi",
        postal_code="69003",
        commune_insee="69123",
        latitude=45.7601,
        longitude=4.8512,
        accessible=True,
        accessibility_notes="Ascenseur",
        languages=["fr", "en", "fsl"],
        phone="+33 4 72 00 00 00",
        email="contact@apres.test",
        mssante_email="accueil@apres.mssante.fr",
        website="https://apres.test/groupe",
        opening_hours="Lundi 9 h - 12 h\nJeudi 14 h - 17 h",
        inclusion_criteria_met=True,
        last_verified_at=datetime.date(2025, 11, 3),
        source="dsrc_verification",
    )


def test_an_export_imports_back_unchanged(editor, rich_offer, geography):
    make_offer("Offre à la mairie", commune=geography["42218"])
    exported = offer_export_csv()
    assert exported.startswith("\ufeff")
    assert exported.splitlines()[0].lstrip("\ufeff") == ";".join(c.header for c in COLUMNS)
    # The formula-like provider name is neutralised for spreadsheets.
    assert ";'=Association | Après;" in exported
    report = offer_import_csv(by=editor, file=exported.encode("utf-8"), dry_run=False)
    assert report.ok, report.errors
    assert [row.action for row in report.rows] == ["unchanged", "unchanged"]
    assert OfferEvent.objects.filter(kind="updated").count() == 0
    assert offer_export_csv() == exported


def test_a_dry_run_reports_creations_and_changed_fields_without_writing(editor, rich_offer):
    exported = offer_export_csv()
    edited = exported.replace("Ascenseur", "Rampe d'accès").replace(
        "Groupe de parole « Après »", "Groupe de parole des proches"
    )
    new_row = ";".join(
        {
            "intitule": "Marche nordique",
            "type_soin": "Activité physique adaptée",  # a label is read as well as a code
            "publics": "adultes",
            "formats": "collectif",
            "modalites": "sur place",
            "cout": "adhesion",
            "propose_par": "Club Santé Loire",
            "code_insee": "42218",
            "source": "survey",
            "langues": "fr",
        }.get(column.header, "")
        for column in COLUMNS
    )
    report = offer_import_csv(by=editor, file=edited + new_row + "\r\n", dry_run=True)
    assert report.ok, report.errors
    assert [(r.action, r.changed_fields) for r in report.rows] == [
        ("update", ["title", "accessibility_notes"]),
        ("create", []),
    ]
    assert (report.created, report.updated, report.applied) == (1, 1, False)
    rich_offer.refresh_from_db()
    assert rich_offer.accessibility_notes == "Ascenseur"
    assert Offer.objects.count() == 1


def test_an_import_applies_creations_and_updates_with_their_events(editor, rich_offer):
    edited = offer_export_csv().replace("Ascenseur", "Rampe d'accès")
    added = _csv(
        "Marche nordique;apa;adults;group;in_person;membership;Club Santé Loire;42218;survey",
    ).decode()
    offer_import_csv(by=editor, file=edited, dry_run=False)
    report = offer_import_csv(by=editor, file=added, dry_run=False)
    assert report.applied
    rich_offer.refresh_from_db()
    assert rich_offer.accessibility_notes == "Rampe d'accès"
    created = Offer.objects.get(title="Marche nordique")
    assert (created.commune_id, created.geo_precision, created.cost) == (
        "42218",
        "commune",
        "membership",
    )
    assert created.events.get().data == {"via": "csv"}
    assert rich_offer.events.last().fields == ["accessibility_notes"]


def test_a_missing_column_refuses_the_whole_file_and_names_it(editor):
    header = HEADER.replace(";code_insee", "").replace(";source", "")
    report = offer_import_csv(
        by=editor,
        file=_csv("Yoga;apa;adults;group;in_person;free;Club", header=header),
        dry_run=False,
    )
    assert _errors(report) == [(None, None, "directory.csv.missing_columns")]
    assert "code_insee, source" in report.errors[0].message
    assert not Offer.objects.exists()


def test_a_malformed_file_is_refused_row_by_row_and_nothing_is_imported(editor, geography):
    existing = make_offer("Déjà là", commune=geography["69123"], provider_name="Asso Rhône")
    report = offer_import_csv(
        by=editor,
        file=_csv(
            # 2: fine on its own
            "Yoga;apa;adults;group;in_person;free;Club Zen;69123;survey",
            # 3: unknown commune code
            "Tai-chi;apa;adults;group;in_person;free;Club Zen;99999;survey",
            # 4: bad value in a multi-valued cell
            "Sophrologie;psychological;adults|seniors;group;in_person;free;Club Zen;69123;survey",
            # 5: same title, provider and commune as row 2 (accents and case ignored)
            "YOGA;apa;adults;individual;in_person;free;club zen;69123;survey",
            # 6: already in the directory, without its identifier
            "Déjà là;psychological;adults;individual;in_person;free;Asso Rhône;69123;survey",
        ),
        dry_run=False,
    )
    assert _errors(report) == [
        (3, "code_insee", "directory.commune.unknown"),
        (4, "publics", "directory.csv.choice"),
        (5, None, "directory.csv.duplicate_row"),
        (6, None, "directory.csv.already_exists"),
    ]
    messages = [e.message for e in report.errors]
    assert "Le code 99999 ne correspond à aucune commune d'Auvergne-Rhône-Alpes." in messages
    assert "Valeur inconnue : « seniors »." in messages
    assert "Même intitulé, fournisseur et commune que la ligne 2." in messages
    assert not report.applied
    assert list(Offer.objects.all()) == [existing]


def test_the_same_identifier_twice_is_refused(editor, geography):
    offer = make_offer("Yoga", commune=geography["69123"])
    exported = offer_export_csv()
    second = exported.splitlines()[1].replace("Yoga", "Yoga bis")
    report = offer_import_csv(by=editor, file=exported + second + "\r\n", dry_run=False)
    assert _errors(report) == [(3, "identifiant", "directory.csv.duplicate_identifier")]
    offer.refresh_from_db()
    assert offer.title == "Yoga"


def test_unknown_identifiers_and_bad_cells_name_their_column(editor, geography):
    header = "identifiant;" + HEADER + ";verifie_le;sur_prescription;latitude"
    report = offer_import_csv(
        by=editor,
        file=_csv(
            "1b4e28ba-2fa1-11d2-883f-0016d3cca427;Yoga;apa;adults;group;in_person;free;Club;69123;survey;;;",
            ";Yoga;apa;adults;group;in_person;free;Club;69123;survey;31/02/2025;peut-être;quarante",
            header=header,
        ),
        dry_run=True,
    )
    assert _errors(report) == [
        (2, "identifiant", "directory.csv.unknown_identifier"),
        (3, "verifie_le", "directory.csv.date"),
        (3, "sur_prescription", "directory.csv.bool"),
        (3, "latitude", "directory.csv.number"),
    ]


def test_commas_a_bom_french_headers_and_french_dates_are_accepted(editor, geography):
    text = (
        "\ufeffIntitulé,Type soin,Publics,Formats,Modalités,Coût,Proposé par,Code INSEE,Source,"
        "Vérifié le,Latitude,Longitude\n"
        'Yoga,apa,adults,group,in_person,free,"Club, Zen",69123,survey,03/11/2025,"45,76","4,85"\n'
    )
    report = offer_import_csv(by=editor, file=text.encode("utf-8"), dry_run=False)
    assert report.applied, report.errors
    offer = Offer.objects.get()
    assert (offer.provider_name, offer.last_verified_at, offer.latitude) == (
        "Club, Zen",
        datetime.date(2025, 11, 3),
        45.76,
    )


def test_a_file_that_is_not_utf8_or_has_unknown_columns_is_refused(editor):
    latin1 = _csv("Yoga;apa;adults;group;in_person;free;Club Élan;69123;survey").decode()
    report = offer_import_csv(by=editor, file=latin1.encode("latin-1"), dry_run=True)
    assert _errors(report) == [(None, None, "directory.csv.encoding")]
    report = offer_import_csv(
        by=editor, file=_csv("x;y", header=HEADER + ";remarque"), dry_run=True
    )
    assert _errors(report) == [(None, "remarque", "directory.csv.unknown_column")]


def test_only_editors_may_import(personas):
    with pytest.raises(ValidationError):
        offer_import_csv(
            by=personas.coordinator,
            file=_csv("Yoga;apa;adults;group;in_person;free;Club;69123;survey"),
            dry_run=False,
        )
    assert not Offer.objects.exists()
