"""The local OpenID provider the single sign-on tests run against (``oidc_provider/``, the npm
package ``oidc-provider`` run with Node.js), and a browser-less walk through its login."""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

HERE = Path(__file__).parent / "oidc_provider"
CLIENT_ID = "arki"
CLIENT_SECRET = "test-client-secret-0123456789"
CALLBACK = "http://testserver/accounts/sso/{slug}/callback/"
LOGIN_BACK = "http://testserver/accounts/login/"


class Provider:
    def __init__(self, process: subprocess.Popen[str], issuer: str) -> None:
        self.process = process
        self.issuer = issuer

    def tamper_next_token(self, mode: str) -> None:
        requests.post(f"{self.issuer}/__test/tamper", params={"mode": mode}, timeout=10)


def start_provider(accounts: dict, slugs: list[str]) -> Provider:
    """Start the provider (installing it with ``npm ci`` first if needed). Without Node.js the
    test fails: single sign-on is not to go untested silently."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.fail(
            "Node.js 20+ and npm are needed for the single sign-on tests (apt install nodejs npm)"
        )
    with open(HERE / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (HERE / "node_modules" / "oidc-provider").exists():
            subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)  # noqa: S603
    env = {
        **os.environ,
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URIS": ",".join(CALLBACK.format(slug=s) for s in slugs),
        "POST_LOGOUT_REDIRECT_URIS": LOGIN_BACK,
        "ACCOUNTS": json.dumps(accounts),
        "NODE_NO_WARNINGS": "1",
    }
    process = subprocess.Popen(  # noqa: S603
        [node, "server.mjs"], cwd=HERE, env=env, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.match(r"listening (\S+)", line)
    if not match:
        process.kill()
        pytest.fail(f"The test OpenID provider did not start: {line!r}")
    return Provider(process, match.group(1))


def provider_login(
    authorize_url: str,
    username: str,
    password: str,
    otp: str = "",
    session: requests.Session | None = None,
) -> str:
    """Sign in at the provider as a person would (the login form) and return the address it
    sends the browser back to (Arki's callback)."""
    session = session or requests.Session()
    url = authorize_url
    for _ in range(10):
        response = session.get(url, allow_redirects=False, timeout=10)
        if response.status_code in (302, 303):
            url = urljoin(url, response.headers["Location"])
            if url.startswith("http://testserver/"):
                return url
            continue
        assert response.status_code == 200, response.text
        action = re.search(r'action="([^"]+)"', response.text).group(1)
        response = session.post(
            urljoin(url, action),
            data={"username": username, "password": password, "otp": otp},
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code in (302, 303), response.text
        url = urljoin(url, response.headers["Location"])
        if url.startswith("http://testserver/"):
            return url
    raise AssertionError("the provider never sent the browser back")


def local_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"
