"""Why a name matched: kept as codes with parameters in the finding, shown to the regulator in
English and Chinese on the licence case page, present in the API's findings."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from broker_registry.screening.explain import sentences
from broker_registry.screening.matching import match_name
from broker_registry.screening.unlist import ListedParty
from tests.licences.test_pages import sign_in
from tests.records import CLEAN, submit

ORLOV = ListedParty(reference="CDi.901", kind="individual", name="VIKTOR PETROVICH ORLOV")


def explanation(query: str, listed: ListedParty = ORLOV) -> dict:
    [found] = match_name(query, [listed])
    return found.explanation


@pytest.mark.parametrize(("query", "english", "chinese"), [
    ("Victor P. Orlov",
     ["Matched the listed name “VIKTOR PETROVICH ORLOV”, scoring 95.3 out of 100:",
      "“Victor” and “VIKTOR”: spelt differently, sounding the same",
      "“P” and “PETROVICH”: an initial for the name",
      "“Orlov” and “ORLOV”: the same word"],
     ["与名单上的名称“VIKTOR PETROVICH ORLOV”匹配，得分 95.3（满分 100）：",
      "“Victor”与“VIKTOR”：拼写不同，读音相同",
      "“P”与“PETROVICH”：名字的首字母",
      "“Orlov”与“ORLOV”：同一个词"]),
    ("Орлов Виктор",
     ["Matched the listed name “VIKTOR PETROVICH ORLOV”, scoring 97.0 out of 100:",
      "“Виктор” and “VIKTOR”: the same word, one written in Cyrillic",
      "“PETROVICH” is only in the listed name (a middle name or patronymic left out)",
      "“Орлов” and “ORLOV”: the same word, one written in Cyrillic",
      "The words come in another order."],
     ["与名单上的名称“VIKTOR PETROVICH ORLOV”匹配，得分 97.0（满分 100）：",
      "“Виктор”与“VIKTOR”：同一个词，其中一个以西里尔字母书写",
      "“PETROVICH”只出现在名单上的名称中（省略了中间名或父称）",
      "“Орлов”与“ORLOV”：同一个词，其中一个以西里尔字母书写",
      "词序不同。"]),
])
def test_the_explanation_reads_in_both_languages(app, query, english, chinese):
    found = explanation(query)
    with app.test_request_context(), force_locale("en"):
        assert sentences(found) == english
    with app.test_request_context(), force_locale("zh"):
        assert sentences(found) == chinese


def test_joined_words_and_omissions_on_the_screened_side_are_said(app):
    found = explanation("Lin Qiao Yun Mei", ListedParty("KPi.901", "individual", "LIN QIAOYUN"))
    with app.test_request_context(), force_locale("en"):
        lines = sentences(found)
    assert "“Qiao Yun” and “QIAOYUN”: the same word, written as one word on one side and two " \
           "on the other" in lines
    assert lines[-1] == "“Mei” is only in the screened name"


def test_an_unknown_code_is_shown_as_it_is_rather_than_failing(app):
    with app.test_request_context(), force_locale("en"):
        assert sentences({"code": "name_match", "params": {"name": "X", "via": "name",
                                                           "score": 90},
                          "words": [{"code": "future_code", "params": {}}]})[1] == "future_code"
        assert sentences(None) == [] and sentences({"code": "other"}) == []


@pytest.fixture
def flagged(broker_api, un_list):
    end_user = {**CLEAN["end_user"], "name": "Victor P. Orlov", "kind": "commercial"}
    return submit(broker_api, end_user=end_user)


def test_the_api_finding_carries_the_explanation(flagged, regulators):
    first, _ = regulators
    [finding] = first.get(f"/api/v1/licences/{flagged['id']}").get_json()["screening"]
    evidence = finding["evidence"]
    assert (evidence["reference"], evidence["listed_name"]) == ("CDi.901",
                                                                "VIKTOR PETROVICH ORLOV")
    assert evidence["explanation"]["code"] == "name_match"
    assert evidence["explanation"]["params"]["score"] == evidence["score"]
    assert [w["code"] for w in evidence["explanation"]["words"]] == [
        "phonetic", "initial", "exact"]


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "“P” and “PETROVICH”: an initial for the name"),
    ("zh", "“P”与“PETROVICH”：名字的首字母"),
])
def test_the_regulator_reads_why_on_the_case_page(app, flagged, regulator, lang, said):
    client = sign_in(app, regulator)
    client.set_cookie("lang", lang)
    page = client.get(f"/licences/{flagged['id']}").get_data(as_text=True)
    assert said in page
