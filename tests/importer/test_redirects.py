"""The old site's other URL shapes answer 301 with the story's permanent URL; the desk
loads the table from CSV and edits it in the admin."""

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from importer.models import Redirect
from importer.redirects import normalise
from tests.factories import ArticleFactory, member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "old", ["/article/1201", "/news.php?id=1201", "/content/2022/04/27/1201.html"]
)
def test_old_shapes_of_an_imported_story_lead_to_its_permanent_url(imported, client, old):
    response = client.get(old)
    if old.startswith("/content/"):
        assert response.status_code == HTTPStatus.OK
    else:
        assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
        assert response["Location"] == "/content/2022/04/27/1201.html"


def test_query_parameters_match_in_any_order(db, client):
    article = ArticleFactory()
    Redirect.objects.create(old_path=normalise("/news.php?id=7&cat=2"), article=article)
    response = client.get("/news.php?cat=2&id=7")
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == article.get_absolute_url()


def test_an_address_the_table_does_not_know_is_still_not_found(db, client):
    assert client.get("/news.php?id=404404").status_code == HTTPStatus.NOT_FOUND


def test_a_missing_page_costs_one_lookup_and_a_public_page_none(
    imported, client, django_assert_num_queries
):
    # The lookup, then the 404 page's navigation.
    with django_assert_num_queries(2):
        assert client.get("/article/5").status_code == HTTPStatus.NOT_FOUND
    # A redirect: the lookup, then its story, nothing else.
    with django_assert_num_queries(2):
        assert client.get("/article/1201").status_code == HTTPStatus.MOVED_PERMANENTLY
    # A story's page asks the table nothing.
    with CaptureQueriesContext(connection) as page:
        assert client.get("/content/2022/04/27/1201.html").status_code == HTTPStatus.OK
    assert not [q for q in page.captured_queries if "importer_redirect" in q["sql"]]


def test_the_chief_editor_loads_the_table_from_csv(db, client):
    article = ArticleFactory()
    Redirect.objects.create(old_path="/old/1", target="/channel/a/")
    client.force_login(member("总编辑"))
    csv_file = f"旧网址,目标\n/article/{article.pk},{article.pk}\n/old/1,/channel/b/\n"
    upload = SimpleUploadedFile("redirects.csv", csv_file.encode())
    response = client.post("/admin/importer/redirect/load/", {"file": upload})
    assert response.status_code == HTTPStatus.FOUND
    assert Redirect.objects.get(old_path=f"/article/{article.pk}").article == article
    assert Redirect.objects.get(old_path="/old/1").target == "/channel/b/"
    assert client.get("/old/1")["Location"] == "/channel/b/"


def test_a_bad_row_loads_nothing_and_names_its_line(db, client):
    client.force_login(member("总编辑"))
    upload = SimpleUploadedFile("redirects.csv", b"/article/1,/ok/\n/article/2,999999\n")
    response = client.post("/admin/importer/redirect/load/", {"file": upload})
    assert response.status_code == HTTPStatus.OK
    assert "第 2 行：没有编号为 999999 的稿件。" in response.content.decode()
    assert not Redirect.objects.exists()


def test_the_chief_editor_edits_a_redirect_in_the_admin(db, client):
    article = ArticleFactory()
    client.force_login(member("总编辑"))
    response = client.post(
        "/admin/importer/redirect/add/",
        {"old_path": "/news.php?id=9&x=1", "article": article.pk, "target": ""},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Redirect.objects.get().old_path == "/news.php?id=9&x=1"


def test_an_editor_cannot_change_the_table(db, client):
    client.force_login(member("编辑"))
    assert client.get("/admin/importer/redirect/load/").status_code == HTTPStatus.FORBIDDEN
