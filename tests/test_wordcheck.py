"""The word list and its check: categories, 繁简, HTML, positions, the starter typos, CSV
in and out, the check the article form calls, and changes taking effect at once."""

import csv
import importlib
import io
from http import HTTPStatus
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from proofing import check, wordlist
from proofing.matching import normalise, text_of
from proofing.models import Word
from tests.factories import member

pytestmark = pytest.mark.django_db

TYPOS = Path(__file__).resolve().parent.parent / "proofing" / "typos.csv"
starter = importlib.import_module("proofing.migrations.0002_starter_typos")


@pytest.fixture(autouse=True)
def starter_list(db) -> None:
    """The starter typos, as the migration leaves them (a flushed test database has none)."""
    starter.add_typos(apps, None)


def listed(text: str, category: str, correction: str = "", note: str = "") -> Word:
    word = Word.objects.create(text=text, category=category, correction=correction, note=note)
    wordlist.changed()
    return word


def found_in(**fields) -> list[tuple[str, str, str, int, int]]:
    return [
        (f.field, f.category, f.hit.found, f.hit.start, f.hit.end) for f in check.findings(fields)
    ]


# --- The matcher ----------------------------------------------------------------------------


def test_each_category_is_found_with_its_place_in_the_field():
    listed("法轮功", Word.Category.BANNED)
    listed("最高级", Word.Category.CAUTION, note="广告法禁用")
    assert found_in(title="县里请来最高级专家", summary="队员们再接再励。", kicker="法轮功") == [
        ("kicker", "banned", "法轮功", 0, 3),
        ("title", "caution", "最高级", 4, 7),
        ("summary", "typo", "再接再励", 3, 7),
    ]


def test_the_finding_carries_the_correction_and_its_context():
    finding = check.report({"title": "我们要再接再励，争取更好成绩"})["findings"][0]
    assert (finding["found"], finding["correction"], finding["category_label"]) == (
        "再接再励",
        "再接再厉",
        "错别字",
    )
    assert (finding["before"], finding["after"]) == ("我们要", "，争取更好成绩")


def test_traditional_text_is_checked_against_simplified_words():
    listed("台独", Word.Category.BANNED)
    assert found_in(body=text_of("<p>反對臺獨分裂活動</p>")) == [("body", "banned", "臺獨", 2, 4)]
    assert found_in(title="他們迫不急待地趕來") == [("title", "typo", "迫不急待", 2, 6)]


def test_a_word_listed_in_traditional_finds_the_simplified_text():
    listed("賭場", Word.Category.CAUTION)
    assert found_in(summary="新开的赌场") == [("summary", "caution", "赌场", 3, 5)]


def test_letters_match_in_either_case():
    listed("WeChat", Word.Category.CAUTION)
    assert found_in(title="打开wechat扫码") == [("title", "caution", "wechat", 2, 8)]


def test_html_is_ignored_and_positions_count_in_the_text():
    body = '<p>第一段<strong>再接</strong>再励。</p><p class="x">甘败&amp;下风</p><p>甘败下风</p>'
    text = text_of(body)
    assert text == "第一段再接再励。\n甘败&下风\n甘败下风"
    hits = found_in(body=text)
    assert hits == [("body", "typo", "再接再励", 3, 7), ("body", "typo", "甘败下风", 15, 19)]
    assert text[15:19] == "甘败下风"


def test_a_word_split_across_paragraphs_is_not_a_finding():
    assert found_in(body=text_of("<p>再接</p><p>再励</p>")) == []


def test_normalising_keeps_the_length_of_the_text():
    text = "瀘溪鳳凰古城，著名的乾隆年間 ABC"
    assert len(normalise(text)) == len(text)
    assert normalise(text) == "泸溪凤凰古城，著名的乾隆年间 abc"


def test_a_change_to_the_list_takes_effect_on_the_next_check():
    assert found_in(title="严禁赌球") == []
    word = listed("赌球", Word.Category.BANNED)
    assert found_in(title="严禁赌球") == [("title", "banned", "赌球", 2, 4)]
    word.delete()
    wordlist.changed()
    assert found_in(title="严禁赌球") == []


# --- The starter list of 错别字 -------------------------------------------------------------


def starter_pairs() -> list[list[str]]:
    with TYPOS.open(encoding="utf-8") as rows:
        return list(csv.reader(rows))[1:]


def test_the_starter_list_has_two_hundred_distinct_sound_pairs():
    pairs = starter_pairs()
    wrong_forms = [wrong for wrong, _right in pairs]
    assert len(pairs) >= 200
    assert len(set(wrong_forms)) == len(wrong_forms)
    assert all(wrong != right and wrong not in right for wrong, right in pairs)
    # Nor is any wrong form inside another pair's correct form: correct text stays clean.
    corrections = "\n".join(right for _wrong, right in pairs)
    assert [wrong for wrong in wrong_forms if wrong in corrections] == []


def test_the_migration_loads_the_starter_list_and_keeps_the_desk_words():
    starter.remove_typos(apps, None)
    assert not Word.objects.exists()
    kept = listed("再接再励", Word.Category.CAUTION, note="本站自己的说明")
    starter.add_typos(apps, None)
    loaded = dict(
        Word.objects.filter(category=Word.Category.TYPO).values_list("text", "correction")
    )
    assert loaded == {wrong: right for wrong, right in starter_pairs() if wrong != kept.text}
    assert Word.objects.get(text="再接再励").note == "本站自己的说明"
    assert found_in(title="迫不急待") == [("title", "typo", "迫不急待", 0, 4)]


def test_correct_text_made_of_the_starter_corrections_raises_nothing():
    text = "，".join(right for _wrong, right in starter_pairs())
    assert found_in(body=text) == []


# --- The list in the admin ------------------------------------------------------------------


@pytest.fixture
def chief_editor(staff, client):
    client.force_login(staff.managing)
    return client


def exported(client) -> list[list[str]]:
    response = client.get(reverse("admin:proofing_word_export"))
    assert response.status_code == HTTPStatus.OK
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def upload(client, content: str):
    file = io.BytesIO(content.encode("utf-8"))
    file.name = "words.csv"
    return client.post(reverse("admin:proofing_word_import"), {"file": file})


def test_a_managing_editor_adds_a_word_and_is_recorded_as_adding_it(staff, chief_editor):
    response = chief_editor.post(
        reverse("admin:proofing_word_add"),
        {"text": "赌球", "category": "banned", "correction": "", "note": "违法内容"},
    )
    assert response.status_code == HTTPStatus.FOUND
    word = Word.objects.get(text="赌球")
    assert (word.added_by, word.note) == (staff.managing, "违法内容")
    assert found_in(title="严禁赌球") == [("title", "banned", "赌球", 2, 4)]


def test_a_typo_whose_wrong_form_is_inside_its_correction_is_refused(chief_editor):
    response = chief_editor.post(
        reverse("admin:proofing_word_add"),
        {"text": "安装", "category": "typo", "correction": "安装好", "note": ""},
    )
    assert response.status_code == HTTPStatus.OK
    assert "错误写法包含在正确写法之中" in response.content.decode()
    assert not Word.objects.filter(text="安装").exists()


def test_the_list_exported_imports_back_unchanged(chief_editor):
    listed("赌球", Word.Category.BANNED, note="违法内容")
    listed("=最佳", Word.Category.CAUTION, correction="较好")
    before = exported(chief_editor)
    Word.objects.filter(text__in=["赌球", "=最佳"]).delete()
    response = upload(chief_editor, "\n".join(",".join(f'"{c}"' for c in row) for row in before))
    assert response.status_code == HTTPStatus.FOUND
    assert [row[:4] for row in exported(chief_editor)] == [row[:4] for row in before]
    assert Word.objects.get(text="=最佳").correction == "较好"


def test_a_list_exported_in_english_imports_back_in_chinese(db):
    listed("赌球", Word.Category.BANNED, note="违法内容")
    out = io.StringIO()
    with translation.override("en"):
        wordlist.write_csv(out, Word.objects.filter(text="赌球"))
    assert "Banned" in out.getvalue()
    with translation.override("zh-hans"):
        rows = wordlist.read_csv(out.getvalue().encode())
    assert [(row.text, row.category) for row in rows] == [("赌球", Word.Category.BANNED)]


def test_an_import_with_bad_lines_names_each_and_keeps_nothing(chief_editor):
    content = (
        "词语,类别,正确写法,说明\n"
        "赌球,禁用,,违法\n"
        "最高级,广告,,\n"
        "按装,错别字,,\n"
        "赌球,慎用,,\n"
        "安装,错别字,安装好,\n"
    )
    response = upload(chief_editor, content)
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "第 3 行：类别“广告”不对" in page
    assert "第 4 行：错别字必须填写正确写法" in page
    assert "第 5 行：“赌球”与第 2 行重复" in page
    assert "第 6 行：错误写法包含在正确写法之中" in page
    assert not Word.objects.filter(text__in=["赌球", "最高级"]).exists()


def test_an_import_updates_listed_words_and_adds_new_ones(staff, chief_editor):
    listed("赌球", Word.Category.CAUTION)
    response = upload(chief_editor, "赌球,禁用,,违法\n最高级,慎用,最好的,广告法\n")
    assert response.status_code == HTTPStatus.FOUND
    assert Word.objects.get(text="赌球").category == Word.Category.BANNED
    assert Word.objects.get(text="最高级").added_by == staff.managing
    assert found_in(title="最高级赌球") == [
        ("title", "caution", "最高级", 0, 3),
        ("title", "banned", "赌球", 3, 5),
    ]


def test_a_file_not_in_utf8_is_refused_with_the_reason(chief_editor):
    file = io.BytesIO("赌球,禁用,,\n".encode("gbk"))
    file.name = "words.csv"
    response = chief_editor.post(reverse("admin:proofing_word_import"), {"file": file})
    assert "文件不是 UTF-8 编码" in response.content.decode()


@pytest.mark.parametrize("role", ["writer", "editor"])
def test_the_desk_reads_the_list_but_only_managing_editors_change_it(staff, client, role):
    client.force_login(getattr(staff, role))
    assert client.get(reverse("admin:proofing_word_changelist")).status_code == HTTPStatus.OK
    assert exported(client)[0][:2] == ["词语", "类别"]
    assert client.get(reverse("admin:proofing_word_import")).status_code == HTTPStatus.FORBIDDEN
    assert client.get(reverse("admin:proofing_word_add")).status_code == HTTPStatus.FORBIDDEN


def test_the_article_form_check_answers_with_each_finding(staff, client):
    listed("赌球", Word.Category.BANNED)
    client.force_login(staff.writer)
    response = client.post(
        reverse("admin:proofing_word_check"),
        {
            "title": "严禁赌球",
            "body": "<p>大家<em>迫不急待</em>。</p>",
            "gallery_items-0-caption": "一愁莫展的样子",
            "byline_override": "",
        },
    )
    answer = response.json()
    assert response.status_code == HTTPStatus.OK
    assert [(f["field"], f["found"], f["start"]) for f in answer["findings"]] == [
        ("title", "赌球", 2),
        ("body", "迫不急待", 2),
        ("captions", "一愁莫展", 0),
    ]
    assert (answer["blocks"], answer["counts"]) == (True, {"banned": 1, "caution": 0, "typo": 2})


def test_the_check_is_for_the_desk_only(client, db):
    outsider = member("通讯员/记者", "outsider")
    outsider.groups.clear()
    client.force_login(outsider)
    response = client.post(reverse("admin:proofing_word_check"), {"title": "x"})
    assert response.status_code == HTTPStatus.FORBIDDEN
