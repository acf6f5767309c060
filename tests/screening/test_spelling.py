"""The spelling rules one by one: what sounds alike, what transliteration leaves open, and the
differences that make another name."""

import pytest

from broker_registry.screening.names import parse
from broker_registry.screening.spelling import arabic_pattern, canon, one_edit, vowel_variant


@pytest.mark.parametrize("spellings", [
    ("viktor", "victor", "wiktor"), ("orlov", "orloff", "orlow"), ("sergey", "sergei", "sergej"),
    ("dmitriy", "dmitry", "dmitri"), ("youssef", "yousef"), ("kareem", "karim"),
    ("shcherbakov", "schtscherbakow"), ("mueller", "muller"), ("yelena", "elena"),
    ("pyotr", "petr"), ("hamzah", "hamza"), ("philip", "filip", "phillip"),
    ("sayyid", "sayid"), ("zhukov", "jukov"), ("djamal", "dzhamal", "jamal"),
])
def test_spellings_that_sound_alike_share_a_canonical_form(spellings):
    assert len({canon(spelling) for spelling in spellings}) == 1


@pytest.mark.parametrize(("a", "b", "alike"), [
    ("mohammed", "muhammad", True), ("ahmed", "ahmad", True), ("omar", "umar", True),
    ("yusuf", "yousef", True), ("sulaiman", "suleiman", True),
    ("hussein", "hassan", False), ("omar", "amir", False), ("thanh", "thinh", False),
    ("orlov", "orlova", False), ("paolo", "paola", False), ("mohamed", "mahmoud", False),
])
def test_vowels_that_transliteration_leaves_open(a, b, alike):
    assert vowel_variant(canon(a), canon(b)) is alike


@pytest.mark.parametrize(("a", "b", "near"), [
    ("tomasz", "tomas", True), ("blackstone", "blackston", True), ("karimov", "kairmov", True),
    ("jamal", "kamal", False), ("nabil", "nabih", False), ("xiaoling", "xiaoming", False),
    ("moroz", "morozov", False), ("kowalski", "kowalska", False), ("ivan", "iwan", False),
])
def test_one_letter_added_dropped_or_swapped_but_never_changed(a, b, near):
    assert one_edit(canon(a), canon(b)) is near


@pytest.mark.parametrize(("arabic", "latin", "fits"), [
    ("محمد", "mohammed", True), ("محمد", "muhammad", True), ("محمد", "mahmoud", False),
    ("حسين", "hussein", True), ("حسين", "hassan", False), ("حسن", "hasan", True),
    ("يوسف", "youssef", True), ("خالد", "khaled", True), ("قاسم", "kasim", True),
    ("فاطمة", "fatima", True), ("فاطمة", "fatimah", True), ("عثمان", "othman", True),
    ("مصطفى", "mostafa", True), ("طارق", "tariq", True), ("طارق", "tarek", True),
])
def test_an_arabic_word_fits_the_latin_spellings_it_can_stand_for(arabic, latin, fits):
    assert bool(arabic_pattern(arabic).fullmatch(latin)) is fits


@pytest.mark.parametrize(("name", "forms", "weak"), [
    ("Abdulkarim", [("abd",), ("karim",)], [True, False]),
    ("Abdurrahman", [("abd",), ("rrahman",)], [True, False]),
    ("Abdi Farah", [("abdi",), ("farah",)], [False, False]),  # a name of its own
    ("عبد الرحمن", [("abd",), ("al",), ("rhmn",)], [True, True, False]),
    ("Ali ar-Rashid", [("ali",), ("ar",), ("rashid",)], [False, True, False]),
    ("Golden Delta Co-operative", [("golden",), ("delta",), ("cooperative",)],
     [False, False, False]),
    ("General Trading LLC", [("general",), ("trading",)], [False, False]),  # all it has
])
def test_names_split_into_words_with_particles_weak(name, forms, weak):
    tokens = parse(name)
    assert [t.forms for t in tokens] == forms and [t.weak for t in tokens] == weak


def test_a_chinese_character_carries_every_reading_and_its_wade_giles_form():
    [shan] = parse("单")
    assert {"dan", "shan", "chan"} <= set(shan.forms)
    [xu] = parse("徐")
    assert xu.forms == ("xu", "hsu")
