"""System checks for a production configuration that cannot work as written."""

from django.conf import settings
from django.core import checks


def replicas_need_postgresql_and_redis(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Read replicas are PostgreSQL standbys, fenced through the Redis of CACHE_URL."""
    if not settings.DATABASE_REPLICAS:
        return []
    errors = []
    for alias, config in settings.DATABASES.items():
        if "postgresql" not in config["ENGINE"]:
            errors.append(
                checks.Error(
                    f"Database {alias!r} is not PostgreSQL; replicas need a PostgreSQL "
                    "primary and PostgreSQL hot standbys.",
                    id="ops.E001",
                )
            )
    if not settings.CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        errors.append(
            checks.Error(
                "DATABASE_REPLICA_URLS is set but CACHE_URL is not Redis: the replica fence "
                "must be shared by every app server.",
                hint="Set CACHE_URL=redis://host:6379/0",
                id="ops.E002",
            )
        )
    return errors


# --- The public media bucket (a deployment check: it talks to the object store) ---------

S3_TIMEOUT_SECONDS = 5


def s3_client(options: dict, *, anonymous: bool):
    """A boto3 S3 client for the bucket in ``options`` (settings.STORAGES), as a reader
    on the internet (``anonymous``) or with the station's credentials."""
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    config = Config(
        signature_version=UNSIGNED if anonymous else "s3v4",
        connect_timeout=S3_TIMEOUT_SECONDS,
        read_timeout=S3_TIMEOUT_SECONDS,
        retries={"max_attempts": 1},
    )
    credentials = (
        {}
        if anonymous
        else {
            "aws_access_key_id": options.get("access_key"),
            "aws_secret_access_key": options.get("secret_key"),
        }
    )
    return boto3.client(
        "s3",
        endpoint_url=options.get("endpoint_url"),
        region_name=options.get("region_name"),
        config=config,
        **credentials,
    )


def media_bucket_exists_and_is_public(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """With MEDIA_S3_BUCKET, readers fetch photos straight from the bucket: it must exist
    and be readable by anyone (its objects, not its listing)."""
    from botocore.exceptions import BotoCoreError, ClientError

    storage = settings.STORAGES["default"]
    if storage["BACKEND"] != "storages.backends.s3.S3Storage":
        return []
    options = storage["OPTIONS"]
    bucket = options["bucket_name"]
    try:
        station = s3_client(options, anonymous=False)
        try:
            station.head_bucket(Bucket=bucket)
        except ClientError as error:
            if error.response["Error"]["Code"] in {"404", "NoSuchBucket"}:
                return [bucket_missing(bucket)]
            raise
        listed = station.list_objects_v2(Bucket=bucket, Prefix=options["location"], MaxKeys=1)
        if not listed.get("Contents"):
            return []  # nothing to read yet: checked again once photos are there
        key = listed["Contents"][0]["Key"]
        try:
            s3_client(options, anonymous=True).head_object(Bucket=bucket, Key=key)
        except ClientError:
            return [bucket_not_public(bucket)]
    except (BotoCoreError, ClientError) as error:
        return [
            checks.Warning(
                f"Could not check the media bucket {bucket!r}: {error}",
                hint="Check MEDIA_S3_ENDPOINT_URL, the credentials and the network.",
                id="ops.W012",
            )
        ]
    return []


def bucket_missing(bucket: str) -> checks.CheckMessage:
    return checks.Warning(
        f"The media bucket {bucket!r} does not exist: uploads will fail.",
        hint="Create it (docs/production.md, 'Media on an object store').",
        id="ops.W010",
    )


def bucket_not_public(bucket: str) -> checks.CheckMessage:
    return checks.Warning(
        f"The media bucket {bucket!r} is not readable by anonymous readers: every public "
        "photo will be a 403.",
        hint="Give it a policy allowing s3:GetObject to everyone (docs/production.md).",
        id="ops.W011",
    )
