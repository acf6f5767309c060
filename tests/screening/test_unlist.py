from datetime import date

import pytest

from broker_registry.screening.unlist import (
    ListedParty,
    UnListError,
    load_sample_list,
    load_un_list,
    parse_un_list,
)


def wrap(body: str) -> str:
    return f"<CONSOLIDATED_LIST><INDIVIDUALS>{body}</INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>"


@pytest.fixture(scope="module")
def sample():
    return {party.reference: party for party in load_sample_list()}


def test_sample_counts(sample):
    kinds = [party.kind for party in sample.values()]
    assert kinds.count("individual") == 6 and kinds.count("entity") == 4


def test_individual_with_cyrillic_alias(sample):
    orlov = sample["CDi.901"]
    assert orlov.name == "VIKTOR PETROVICH ORLOV"
    assert orlov.aliases == ("Виктор Орлов", "Victor Orloff")
    assert orlov.countries == ("BY", "CD")  # nationality, then address
    assert orlov.list_type == "DRC" and orlov.listed_on == date(2019, 3, 4)


def test_original_script_and_empty_alias(sample):
    lin = sample["KPi.901"]
    assert lin.original_script_name == "林巧云"
    assert lin.aliases == ()  # the empty <ALIAS_NAME/> is dropped


def test_entities(sample):
    arms = sample["SSe.901"]
    assert arms.kind == "entity" and arms.name == "BLACKSTONE ARMS TRADING LLC"
    assert "Blackstone Defence Supplies" in arms.aliases and arms.countries == ("AE",)
    assert sample["LYe.901"].aliases == ("نجمة الصحراء للاستيراد والتصدير",)
    assert sample["KPe.901"].countries == ("KP", "MN")


def test_un_style_country_name_is_resolved(sample):
    assert sample["SSi.901"].countries == ("IR",)  # "Iran (Islamic Republic of)"


def test_parties_are_immutable(sample):
    with pytest.raises(AttributeError):
        sample["CDi.901"].name = "x"


def test_str_input_and_unknown_country_and_bad_date():
    xml = wrap(
        "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME><SECOND_NAME>B</SECOND_NAME>"
        "<REFERENCE_NUMBER>Xi.1</REFERENCE_NUMBER><LISTED_ON>soon</LISTED_ON>"
        "<NATIONALITY><VALUE>Atlantis</VALUE></NATIONALITY></INDIVIDUAL>"
    )
    [party] = parse_un_list(xml)
    assert party == ListedParty(reference="Xi.1", kind="individual", name="A B")


def test_load_from_file(tmp_path):
    path = tmp_path / "list.xml"
    path.write_bytes(wrap("").encode())
    assert load_un_list(path) == []
    path.write_bytes(b"<CONSOLIDATED_LIST>" + b" " * 200 + b"</CONSOLIDATED_LIST>")
    with pytest.raises(UnListError, match="over the 100-byte limit"):
        load_un_list(path, max_bytes=100)


def test_not_xml():
    with pytest.raises(UnListError, match=r"not well-formed XML at line 1"):
        parse_un_list(b"this is not xml")


@pytest.mark.parametrize("encoding", ["klingon", "utf-7"])
def test_an_encoding_we_cannot_read_is_named(encoding):
    xml = f'<?xml version="1.0" encoding="{encoding}"?><CONSOLIDATED_LIST/>'.encode()
    with pytest.raises(UnListError, match=r"cannot read the encoding the XML declares"):
        parse_un_list(xml)


def test_truncated_xml_reports_the_line():
    with pytest.raises(UnListError, match=r"line 3"):
        parse_un_list(b"<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL>")


def test_wrong_root():
    with pytest.raises(UnListError, match=r"root element is <SANCTIONS>"):
        parse_un_list(b"<SANCTIONS/>")


def test_entry_without_reference_number():
    xml = wrap("<INDIVIDUAL><DATAID>77</DATAID><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>")
    with pytest.raises(UnListError, match=r"INDIVIDUAL #1 \(DATAID 77\): no REFERENCE_NUMBER"):
        parse_un_list(xml)


def test_entry_without_name():
    xml = wrap(
        "<INDIVIDUAL><REFERENCE_NUMBER>Xi.1</REFERENCE_NUMBER><FIRST_NAME> </FIRST_NAME>"
        "</INDIVIDUAL>"
    )
    with pytest.raises(UnListError, match=r"reference Xi.1: no name"):
        parse_un_list(xml)


def test_duplicate_reference():
    entry = "<INDIVIDUAL><REFERENCE_NUMBER>Xi.1</REFERENCE_NUMBER><FIRST_NAME>A</FIRST_NAME>"
    entry += "</INDIVIDUAL>"
    with pytest.raises(UnListError, match="Xi.1 appears twice"):
        parse_un_list(wrap(entry * 2))


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&lol4;</FIRST_NAME>
<REFERENCE_NUMBER>Xi.1</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&xxe;</FIRST_NAME>
<REFERENCE_NUMBER>Xi.1</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE CONSOLIDATED_LIST SYSTEM "http://example.invalid/list.dtd">
<CONSOLIDATED_LIST/>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD])
def test_dtds_and_entities_are_refused(data):
    with pytest.raises(UnListError, match="must not declare a DTD or entities"):
        parse_un_list(data)


def test_oversized_input_is_refused_before_parsing():
    with pytest.raises(UnListError, match="over the"):
        parse_un_list(b"<" * (50 * 1024 * 1024 + 1))


def test_error_is_a_value_error():
    assert issubclass(UnListError, ValueError)


@pytest.mark.parametrize(("tag", "length"), [("REFERENCE_NUMBER", 61), ("FIRST_NAME", 501),
                                             ("UN_LIST_TYPE", 101)])
def test_a_field_longer_than_any_listed_partys_is_refused(tag, length):
    fields = {"REFERENCE_NUMBER": "Xi.1", "FIRST_NAME": "A", "UN_LIST_TYPE": "Al-Qaida"}
    fields[tag] = "x" * length
    entry = "".join(f"<{t}>{v}</{t}>" for t, v in fields.items())
    with pytest.raises(UnListError, match=f"more than the {length - 1}"):
        parse_un_list(wrap(f"<INDIVIDUAL>{entry}</INDIVIDUAL>"))
