"""Media on an S3-compatible store: a deployment check for the bucket, cacheable objects."""

import boto3
import pytest
from botocore.stub import Stubber
from django.core import checks

from ops import checks as ops_checks
from tests.ops.test_settings import PRODUCTION, configured

BUCKET = "xiangxi-media"
MEDIA = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {"bucket_name": BUCKET, "location": "", "endpoint_url": None},
}
PHOTO = {"Contents": [{"Key": "ab/ab12.jpg"}], "KeyCount": 1}


def stubbed(*replies: tuple[str, dict | int]):
    """A real boto3 client answering the given calls (a dict: a reply; a number: an error)."""
    client = boto3.client(
        "s3", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s"
    )
    stubber = Stubber(client)
    for operation, reply in replies:
        if isinstance(reply, int):
            stubber.add_client_error(operation, str(reply), http_status_code=reply)
        else:
            stubber.add_response(operation, reply)
    stubber.activate()
    return client


@pytest.fixture
def media_bucket(settings, monkeypatch):
    """Media in a bucket; ``answer(station, reader)`` sets what the store replies to each."""
    settings.STORAGES = {**settings.STORAGES, "default": MEDIA}

    def answer(station, reader=None) -> None:
        clients = {False: station, True: reader}
        monkeypatch.setattr(ops_checks, "s3_client", lambda options, anonymous: clients[anonymous])

    return answer


def ids(messages: list[checks.CheckMessage]) -> list[str]:
    return [message.id for message in messages]


def test_a_missing_media_bucket_is_reported(media_bucket):
    media_bucket(stubbed(("head_bucket", 404)))

    assert ids(ops_checks.media_bucket_exists_and_is_public(None)) == ["ops.W010"]


def test_a_media_bucket_readers_cannot_read_is_reported(media_bucket):
    station = stubbed(("head_bucket", {}), ("list_objects_v2", PHOTO))
    media_bucket(station, reader=stubbed(("head_object", 403)))

    assert ids(ops_checks.media_bucket_exists_and_is_public(None)) == ["ops.W011"]


def test_a_public_media_bucket_passes(media_bucket):
    station = stubbed(("head_bucket", {}), ("list_objects_v2", PHOTO))
    media_bucket(station, reader=stubbed(("head_object", {"ContentLength": 3})))

    assert ops_checks.media_bucket_exists_and_is_public(None) == []


def test_a_store_out_of_reach_is_reported_not_raised(settings):
    unreachable = {**MEDIA["OPTIONS"], "endpoint_url": "http://127.0.0.1:9", "access_key": "k"}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**MEDIA, "OPTIONS": unreachable | {"secret_key": "s"}},
    }

    assert ids(ops_checks.media_bucket_exists_and_is_public(None)) == ["ops.W012"]


def test_the_bucket_is_checked_only_by_check_deploy():
    everyday = checks.registry.registry.get_checks(include_deployment_checks=False)
    deploy = checks.registry.registry.get_checks(include_deployment_checks=True)

    assert ops_checks.media_bucket_exists_and_is_public not in everyday
    assert ops_checks.media_bucket_exists_and_is_public in deploy


def test_public_media_objects_are_written_cacheable_for_a_year_and_originals_are_not():
    storages = configured(PRODUCTION)["storages"]

    media = storages["default"]["OPTIONS"]["object_parameters"]
    assert media["CacheControl"] == "public, max-age=31536000, immutable"
    assert "object_parameters" not in storages["originals"]["OPTIONS"]
