"""Files that must persist go to STORAGES["default"]: the local disk, or an S3-compatible object
store chosen by settings (django-storages), tested against moto's S3 server on loopback."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

ROOT = Path(__file__).resolve().parents[3]

ROUNDTRIP = """
import json
import django
django.setup()
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
name = default_storage.save("reports/summary.pdf", ContentFile(b"%PDF-1.7 arki"))
second = default_storage.save("reports/summary.pdf", ContentFile(b"%PDF-1.7 other"))
with default_storage.open(name) as handle:
    content = handle.read().decode()
print(json.dumps({
    "backend": settings.STORAGES["default"]["BACKEND"],
    "class": type(storages["default"]).__name__,
    "name": name,
    "second": second,
    "content": content,
    "url": default_storage.url(name),
}))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARKI_S3", "ARKI_STORAGE"))}
    env.update({"ARKI_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "arki.settings", **environment})
    return subprocess.run(  # noqa: S603 (the test's own fixed command)
        [sys.executable, "-c", ROUNDTRIP], cwd=ROOT, env=env, capture_output=True, text=True
    )


@pytest.fixture
def s3_server():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-north-1",
        aws_access_key_id="arki",
        aws_secret_access_key="arki-secret",
    )
    client.create_bucket(
        Bucket="arki-files", CreateBucketConfiguration={"LocationConstraint": "eu-north-1"}
    )
    yield endpoint, client
    server.stop()


def test_files_go_to_the_s3_bucket_when_configured(s3_server, tmp_path):
    endpoint, client = s3_server
    secret_file = tmp_path / "s3-secret"
    secret_file.write_text("arki-secret")
    result = _run(
        {
            "ARKI_STORAGE": "s3",
            "ARKI_S3_BUCKET": "arki-files",
            "ARKI_S3_ENDPOINT_URL": endpoint,
            "ARKI_S3_REGION": "eu-north-1",
            "ARKI_S3_ACCESS_KEY": "arki",
            "ARKI_S3_SECRET_KEY_FILE": str(secret_file),  # secrets from files, as in production
            "ARKI_S3_PREFIX": "tenant-files",
            "ARKI_S3_SERVER_SIDE_ENCRYPTION": "AES256",
        }
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["class"] == "S3Storage"
    assert out["content"] == "%PDF-1.7 arki"
    # A second file of the same name never overwrites the first.
    assert out["second"] != out["name"]
    keys = sorted(o["Key"] for o in client.list_objects_v2(Bucket="arki-files")["Contents"])
    assert keys == sorted(f"tenant-files/{n}" for n in (out["name"], out["second"]))
    head = client.head_object(Bucket="arki-files", Key=f"tenant-files/{out['name']}")
    assert head["ServerSideEncryption"] == "AES256"
    # Read through a short-lived signed URL, never a public one.
    assert "X-Amz-Signature=" in out["url"] and "X-Amz-Expires=300" in out["url"]


def test_files_go_to_the_local_disk_by_default(tmp_path):
    result = _run({"ARKI_MEDIA_ROOT": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["class"] == "FileSystemStorage"
    assert (tmp_path / out["name"]).read_bytes() == b"%PDF-1.7 arki"


def test_an_unknown_storage_is_a_clear_error():
    result = _run({"ARKI_STORAGE": "ftp"})
    assert result.returncode != 0
    assert "ARKI_STORAGE must be 'filesystem' or 's3'." in result.stderr
