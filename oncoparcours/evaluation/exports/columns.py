"""The columns of the export, in file order: the data dictionary is generated from this list,
so the file and its documentation cannot drift apart."""

from dataclasses import dataclass

from oncoparcours.evaluation.indicators.filters import CANCER_GROUPS, OTHER_CANCER, UNKNOWN_CANCER


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # texte, entier, décimal, code
    description: str
    quasi_identifier: bool = False


PSEUDONYM = "pseudonyme"
AGE_BAND = "tranche_age"
AGE_GROUP = "groupe_age"
SEX = "sexe"
GEO_LEVEL = "niveau_geo"
GEO_CODE = "code_geo"
SITE_GROUP = "localisation_cancer"

COLUMNS: tuple[Column, ...] = (
    Column(
        PSEUDONYM,
        "texte",
        "Pseudonyme du patient : HMAC-SHA256 de son identifiant interne, clé secrète (poivre) "
        "propre à la plateforme, 16 caractères hexadécimaux. Le même patient a le même pseudonyme "
        "d'un export à l'autre tant que le poivre ne change pas ; il ne permet pas de retrouver "
        "l'identité sans la plateforme.",
    ),
    Column(
        AGE_BAND,
        "code",
        "Âge à la date de prescription, par tranche (0-14, 15-17, 18-25, 26-39, 40-54, 55-64, "
        "65-74, 75+ ; élargie en 0-14, 15-25, 26-64, 65+ si la classe est trop petite). Les "
        "bornes suivent les groupes d'âge du parcours (paramètres réglementaires).",
        quasi_identifier=True,
    ),
    Column(
        AGE_GROUP,
        "code",
        "Groupe d'âge du parcours déduit de la tranche : child (enfant), aja (adolescent et "
        "jeune adulte), adult (adulte).",
    ),
    Column(SEX, "code", "Sexe : F, M, U (inconnu).", quasi_identifier=True),
    Column(
        GEO_LEVEL,
        "code",
        "Niveau géographique de code_geo : commune, epci, departement ou region (généralisé "
        "si la classe est trop petite).",
        quasi_identifier=True,
    ),
    Column(
        GEO_CODE,
        "code",
        "Lieu de résidence actuel du patient : code INSEE de la commune, SIREN de l'EPCI, code du "
        "département, ou 84 (région Auvergne-Rhône-Alpes). Jamais l'adresse.",
        quasi_identifier=True,
    ),
    Column(
        SITE_GROUP,
        "code",
        "Localisation du cancer, regroupée comme l'indicateur I-5 : "
        + ", ".join(f"{group.code} ({', '.join(group.categories)})" for group in CANCER_GROUPS)
        + f", {OTHER_CANCER} (autre code CIM-10), {UNKNOWN_CANCER} (non renseignée).",
        quasi_identifier=True,
    ),
    Column(
        "structure_id",
        "texte",
        "Identifiant public de la structure porteuse (vide : territoire non couvert).",
    ),
    Column("structure_nom", "texte", "Nom de la structure porteuse (une organisation)."),
    Column(
        "specialite_prescripteur",
        "code",
        "Spécialité du prescripteur : oncology, general_practice, paediatrics (autre : refus "
        "PSG-02). Jamais le nom ni le RPPS.",
    ),
    Column(
        "trimestre_prescription",
        "code",
        "Trimestre de la date de prescription (ex. 2026-T2), jamais la date exacte.",
    ),
    Column("eligibilite", "code", "eligible, refused (non éligible) ou overridden (dérogation)."),
    Column(
        "regles_non_respectees",
        "code",
        "Règles d'éligibilité non respectées à la réception, séparées par | (ex. PSG-01|PSG-03).",
    ),
    Column(
        "statut_parcours",
        "code",
        "Statut du parcours à la date de l'export : received, eligible, refused, contacted, "
        "active, completed, expired, withdrawn, lost, deceased.",
    ),
    Column(
        "delai_fin_traitement_prescription_j",
        "entier",
        "Jours entre la fin du traitement actif (connue à la réception) et la prescription "
        "(indicateur I-6) ; vide si inconnue.",
    ),
    Column(
        "delai_prescription_premier_bilan_j",
        "entier",
        "Jours entre la prescription et le premier bilan réalisé (I-7) ; vide sans bilan.",
    ),
    Column("bilans_apa", "entier", "Bilans d'activité physique réalisés."),
    Column("bilans_dietetiques", "entier", "Bilans diététiques réalisés."),
    Column("bilans_psychologiques", "entier", "Bilans psychologiques réalisés."),
    Column("suivis_dietetiques", "entier", "Consultations de suivi diététique réalisées."),
    Column("suivis_psychologiques", "entier", "Consultations de suivi psychologique réalisées."),
    Column("absences", "entier", "Prestations où le patient ne s'est pas présenté."),
    Column(
        "comptes_rendus_envoyes_prescripteur",
        "entier",
        "Comptes rendus de bilan ou de consultation remis au médecin prescripteur (I-11).",
    ),
    Column(
        "comptes_rendus_envoyes_medecin_traitant",
        "entier",
        "Comptes rendus de bilan ou de consultation remis au médecin traitant (I-11).",
    ),
    Column(
        "depense_eur",
        "décimal",
        "Montant des prestations réalisées, en euros (virgule décimale) (I-9).",
    ),
    Column("plafond_eur", "décimal", "Plafond du parcours en vigueur à la prescription (PSG-09)."),
    Column(
        "tm6_premier_m",
        "entier",
        "Test de marche de 6 minutes, première mesure, en mètres arrondis à la dizaine.",
    ),
    Column(
        "tm6_dernier_m",
        "entier",
        "Test de marche de 6 minutes, dernière mesure (vide s'il n'y en a qu'une).",
    ),
    Column("hads_a_premier", "entier", "HADS, sous-score anxiété (0-21), première mesure."),
    Column("hads_a_dernier", "entier", "HADS anxiété, dernière mesure (vide si une seule)."),
    Column("hads_d_premier", "entier", "HADS, sous-score dépression (0-21), première mesure."),
    Column("hads_d_dernier", "entier", "HADS dépression, dernière mesure (vide si une seule)."),
    Column(
        "imc_premier", "entier", "Indice de masse corporelle, première mesure, arrondi à l'unité."
    ),
    Column("imc_dernier", "entier", "IMC, dernière mesure (vide si une seule)."),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
QUASI_IDENTIFIERS = tuple(column.name for column in COLUMNS if column.quasi_identifier)
