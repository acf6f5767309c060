"""Each phenomenon of name variation, matched against a listed party with the reason shown;
and each kind of innocent near-name, not matched."""

import pytest

from broker_registry.screening.matching import DEFAULT_THRESHOLD, PartyIndex, match_name
from broker_registry.screening.unlist import ListedParty, load_sample_list

ORLOV = ListedParty(reference="CDi.901", kind="individual", name="VIKTOR PETROVICH ORLOV",
                    aliases=("Виктор Орлов", "Victor Orloff"))


def party(name: str, *aliases: str, original: str | None = None) -> ListedParty:
    return ListedParty(reference="Xi.1", kind="individual", name=name, aliases=aliases,
                       original_script_name=original)


def only(query: str, listed: ListedParty):
    [found] = match_name(query, [listed])
    return found


def words(found) -> list[tuple[str, str, str]]:
    """(code, screened word, listed word) for each word of the explanation."""
    return [(w["code"], w["params"].get("query", ""), w["params"].get("listed", ""))
            for w in found.explanation["words"]]


def test_the_reported_miss_is_found_with_its_reasons():
    """'Victor P. Orlov' found nothing against VIKTOR PETROVICH ORLOV before."""
    found = only("Victor P. Orlov", ORLOV)
    assert found.party.reference == "CDi.901" and found.score >= DEFAULT_THRESHOLD
    assert found.matched_name == "VIKTOR PETROVICH ORLOV" and found.via == "name"
    assert words(found) == [("phonetic", "Victor", "VIKTOR"), ("initial", "P", "PETROVICH"),
                            ("exact", "Orlov", "ORLOV")]
    params = found.explanation["params"]
    assert params == {"name": "VIKTOR PETROVICH ORLOV", "via": "name",
                      "score": round(found.score, 1), "reordered": False}


def test_initials_stand_for_given_names_in_any_script():
    assert words(only("V. P. Orlov", ORLOV)) == [
        ("initial", "V", "VIKTOR"), ("initial", "P", "PETROVICH"), ("exact", "Orlov", "ORLOV")]
    assert only("Н. В. Громов", party("Nikolai Vasilyevich Gromov"))


def test_a_patronymic_or_middle_name_on_one_side_only_is_omitted():
    assert words(only("Viktor Orlov", party("Viktor Petrovich Orlov"))) == [
        ("exact", "Viktor", "Viktor"), ("omitted", "", "Petrovich"), ("exact", "Orlov", "Orlov")]
    # the screened name has the middle name, the listed alias has not
    found = only("Viktor Petrovich Orlov", party("Victor Orloff"))
    assert ("omitted", "Petrovich", "") in words(found)


def test_word_order_does_not_matter_and_is_reported():
    found = only("Orlov Viktor Petrovich", ORLOV)
    assert found.score == 100 and found.explanation["params"]["reordered"] is True
    assert only("Wei Zhang", party("Zhang Wei")).explanation["params"]["reordered"] is True


@pytest.mark.parametrize(("query", "listed"), [
    ("Виктор Орлов", "Viktor Orlov"),
    ("Серге́й Петро́вич Орло́в", "Sergey Petrovich Orlov"),  # stress marks
    ("Пётр Кузнецов", "Pyotr Kuznetsov"),  # ё
    ("Юрий Щербаков", "Yuri Shcherbakov"),
    ("Евгений Лебедев", "Yevgeny Lebedev"),
])
def test_cyrillic_meets_its_latin_spellings(query, listed):
    found = only(query, party(listed))
    assert {code for code, _, _ in words(found)} == {"transliterated"}
    assert {w["params"]["script"] for w in found.explanation["words"]} == {"cyrillic"}


@pytest.mark.parametrize(("query", "listed"), [
    ("محمد حسين", "Mohammed Hussein"),
    ("يوسف عبد الكريم", "Yusuf Abdulkarim"),
    ("عبد الرحمن الرشيد", "Abdul Rahman Al-Rashid"),
    ("فاطمة علي", "Fatimah Ali"),
    ("Karim Mansour", "كريم منصور"),
])
def test_arabic_script_meets_its_latin_spellings(query, listed):
    found = only(query, party(listed))
    assert "transliterated" in {code for code, _, _ in words(found)}
    assert found.score >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("query", "listed"), [
    ("محمد حسن", "Mahmoud Hassan"),  # محمد writes no long u: not Mahmoud
    ("حسن علي", "Hussein Ali"),  # حسن writes no long i: Hasan, not Hussein
])
def test_arabic_script_keeps_its_long_vowels_apart(query, listed):
    assert match_name(query, [party(listed)]) == []


@pytest.mark.parametrize(("query", "listed"), [
    ("张伟", "Zhang Wei"), ("张伟", "Wei Zhang"), ("Lin Qiaoyun", "林巧云"),
    ("单志刚", "Shan Zhigang"),  # 单 is Dan in general, Shan as a surname
    ("欧阳明", "Ouyang Ming"),  # a two-character surname written as one word
    ("周文", "Chou Wen"), ("徐志强", "Hsu Chih-chiang"),  # Wade-Giles
])
def test_chinese_characters_meet_pinyin_and_wade_giles(query, listed):
    assert only(query, party(listed)).score >= DEFAULT_THRESHOLD


def test_two_syllables_written_as_one_word_are_joined():
    found = only("Chen Xiao Ming", party("Chen Xiaoming"))
    assert found.explanation["words"][1] == {
        "code": "exact", "params": {"query": "Xiao Ming", "listed": "Xiaoming", "joined": True}}


@pytest.mark.parametrize(("query", "listed"), [
    ("José María Fernández", "Jose Maria Fernandez"), ("Hans Müller", "Hans Mueller"),
    ("Łukasz Wójcik", "Lukasz Wojcik"), ("Nguyễn Văn Thành", "Nguyen Van Thanh"),
    ("ＶＩＫＴＯＲ ＯＲＬＯＶ", "Viktor Orlov"),
])
def test_diacritics_and_full_width_letters_are_ignored(query, listed):
    assert only(query, party(listed)).score >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("query", "listed", "code"), [
    ("Victor Orlov", "Viktor Orlov", "phonetic"),
    ("Viktor Orloff", "Viktor Orlov", "phonetic"),
    ("Mohammed Hassan", "Muhammad Hassan", "phonetic"),
    ("Mohamed Hassan", "Muhammad Hassan", "phonetic"),
    ("Aleksandr Volkov", "Alexander Volkov", "phonetic"),
    ("Sergey Kuznetsov", "Sergei Kuznetsov", "phonetic"),
    ("Сергей Кузнецов", "Sergei Kuznetsov", "transliterated"),
    ("Yusuf Haddad", "Youssef Haddad", "phonetic"),
    ("Tomas Wierzbicki", "Tomasz Wierzbicki", "spelling"),
])
def test_spelling_variants_of_a_given_name(query, listed, code):
    found = only(query, party(listed))
    assert code in {how for how, _, _ in words(found)} and found.score >= DEFAULT_THRESHOLD


@pytest.mark.parametrize("query", ["Abdul Rahman Haddad", "Abdulrahman Haddad",
                                   "Abd al-Rahman Haddad", "Abdurrahman Haddad"])
def test_abd_compounds_however_written(query):
    assert only(query, party("Abdul Rahman Haddad")).score >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(("query", "listed"), [
    ("Vladimir Orlov", "Viktor Petrovich Orlov"),  # another given name
    ("Victoria Orlova", "Viktor Orlov"),  # the feminine forms: another person
    ("Aleksandra Volkova", "Aleksandr Volkov"),
    ("Paola Rossi", "Paolo Rossi"),
    ("Hussein Ali", "Hassan Ali"),  # a/u is no transliteration variant
    ("Omar Khalid", "Amir Khalid"),
    ("Jamal Nasser", "Kamal Nasser"),  # a changed consonant
    ("Zhang Wei", "Zhang Wen"),
    ("Viktor Orlik", "Viktor Orlov"),
    ("Orlov", "Viktor Petrovich Orlov"),  # the surname alone
    ("Viktor Sokolov", "Viktor Petrovich Orlov"),  # the given name alone
    ("Arms Trading Company", "Blackstone Arms Trading LLC"),  # common words alone
    ("Desert Rose Import Export", "Desert Star Import Export Company"),
])
def test_innocent_near_names_are_not_matched(query, listed):
    assert match_name(query, [party(listed)]) == []


def test_a_conflict_still_matches_below_the_threshold_with_a_low_score():
    [found] = match_name("Viktor Ivanov", [ORLOV], threshold=40)
    assert 40 <= found.score < DEFAULT_THRESHOLD
    assert ("different", "Ivanov", "Орлов") in words(found)


def test_the_best_of_a_partys_names_is_reported_once():
    index = PartyIndex(load_sample_list())
    [found] = index.search("Victor Orloff")
    assert found.via == "alias" and found.matched_name == "Victor Orloff"
    assert found.score == 100
