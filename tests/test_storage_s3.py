"""Production storage: S3 (a real S3-protocol server on loopback), every key under the tenant."""

import socket
import time
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import schema_context
from moto.server import ThreadedMotoServer

from intake.models import Attachment
from intake.services.reporter_traces import settle_reporter_traces
from tenants.storage import TenantS3Storage
from tests.support.evidence import pdf_with_author
from tests.support.intake_api import FULL_REPORT, api, submit_with_files

BUCKET = "wbs-evidence-test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="ap-southeast-3",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    ).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-3"})
    yield endpoint
    server.stop()


@pytest.fixture
def s3_storage(s3_endpoint, settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    return TenantS3Storage(bucket_name=BUCKET, endpoint_url=s3_endpoint, region_name="ap-southeast-3")


def test_objects_are_written_under_the_tenant_prefix_and_encrypted(
    s3_storage, s3_endpoint, sulteng, sukabumi
):
    with schema_context("sulteng"):
        name = s3_storage.save("evidence/kwitansi.pdf", ContentFile(b"%PDF-1.4 sulteng"))
        link = s3_storage.url(name)
    with schema_context("sukabumi"):
        assert not s3_storage.exists(name)
        s3_storage.save("evidence/kwitansi.pdf", ContentFile(b"%PDF-1.4 sukabumi"))

    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="ap-southeast-3")
    keys = sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET)["Contents"])
    assert keys == ["sukabumi/evidence/kwitansi.pdf", "sulteng/evidence/kwitansi.pdf"]
    head = client.head_object(Bucket=BUCKET, Key="sulteng/evidence/kwitansi.pdf")
    assert head["ServerSideEncryption"] == "AES256"
    # Files are only ever handed out as short-lived signed links.
    assert "X-Amz-Signature=" in link and "X-Amz-Expires=300" in link
    with schema_context("sulteng"):
        assert s3_storage.open(name).read() == b"%PDF-1.4 sulteng"


def test_a_reporters_object_is_rewritten_by_the_days_batch(s3_storage, s3_endpoint, sukabumi, settings):
    """S3 stamps LastModified with the moment of the write: the batch after the reporter's day
    copies the object onto itself, so what S3 shows is the batch's time, the next day."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "tenants.storage.TenantS3Storage",
            "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": s3_endpoint, "region_name": "ap-southeast-3"},
        },
    }
    response = submit_with_files(
        api("sukabumi"),
        FULL_REPORT,
        [SimpleUploadedFile("kwitansi.pdf", pdf_with_author(), content_type="application/pdf")],
    )
    assert response.status_code == 201, response.content
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="ap-southeast-3")
    with schema_context("sukabumi"):
        key = f"sukabumi/{Attachment.objects.get().storage_name}"
    written = client.head_object(Bucket=BUCKET, Key=key)
    content = client.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    time.sleep(1.1)  # S3 keeps whole seconds
    batch_started = datetime.now(UTC).replace(microsecond=0)
    with schema_context("sukabumi"):
        settle_reporter_traces(timezone.now() + timedelta(days=1, hours=2))
    rewritten = client.head_object(Bucket=BUCKET, Key=key)
    assert rewritten["LastModified"] >= batch_started > written["LastModified"]
    assert rewritten["ServerSideEncryption"] == "AES256"
    assert client.get_object(Bucket=BUCKET, Key=key)["Body"].read() == content
