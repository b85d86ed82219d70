from oncoparcours.territories.codes import CodeEntry, CodeKind, parse_commune_codes


def test_codes_are_split_on_commas_semicolons_and_line_breaks():
    parsed = parse_commune_codes("69123, 69266\n42218;63113\r\n\n 74010 ")
    assert [e.value for e in parsed.entries] == ["69123", "69266", "42218", "63113", "74010"]
    assert parsed.invalid == []


def test_a_five_digit_code_may_be_either_an_insee_or_a_postal_code():
    assert parse_commune_codes("69100").entries == [CodeEntry(CodeKind.EITHER, "69100")]


def test_prefixes_say_which_kind_of_code_is_meant():
    parsed = parse_commune_codes("insee:01400, CP:01400")
    assert parsed.entries == [
        CodeEntry(CodeKind.INSEE, "01400"),
        CodeEntry(CodeKind.POSTAL, "01400"),
    ]


def test_corsican_codes_can_only_be_insee_codes():
    assert parse_commune_codes("2a004").entries == [CodeEntry(CodeKind.INSEE, "2A004")]


def test_duplicates_are_kept_once():
    assert len(parse_commune_codes("69123, 69123").entries) == 1


def test_tokens_that_are_no_code_are_reported_as_typed():
    parsed = parse_commune_codes("69123, Lyon, 6912, 691234")
    assert parsed.invalid == ["Lyon", "6912", "691234"]
    assert [e.value for e in parsed.entries] == ["69123"]
