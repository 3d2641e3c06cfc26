"""An administrator's one-time link sets a forgotten password (issue 20, point 8), through the
page as a browser uses it, and its secret reaches no log line (the request log writes every
request's target).
"""

from __future__ import annotations

from pathlib import Path

from conftest import StartServer
from mandate_testkit import Client, find_form


def test_a_reset_link_sets_a_password_once_and_its_secret_is_never_logged(
    start_server: StartServer, tmp_path: Path
) -> None:
    server = start_server(f"sqlite:{tmp_path}/m.sqlite")
    offset = server.log_path.stat().st_size
    admin = Client(server.url)
    csrf = admin.login_api()
    created = admin.post(
        "/api/v1/users",
        json={"email": "forgetful@example.vn", "displayName": "Forgetful", "unitCode": "01",
              "role": "unit_reporter", "password": "a first long passphrase"},
        headers={"X-CSRF-Token": csrf},
    )
    assert created.status == 201, created.describe()
    user_id = created.json()["id"]
    made = admin.post(f"/api/v1/users/{user_id}/password-reset", headers={"X-CSRF-Token": csrf})
    assert made.status == 201, made.describe()
    path = made.json()["path"]
    secret = path.rsplit("/", 1)[1]
    assert len(secret) == 43, path

    owner = Client(server.url)
    page = owner.get(path + "?lang=en")
    assert page.status == 200, page.describe()
    assert "forgetful@example.vn" in page.text
    assert page.header("Referrer-Policy") == "no-referrer", page.describe()
    form = find_form(page.text, field_name="newPassword")
    data = form.values()
    data.update({"newPassword": "a second long passphrase", "repeatPassword": "a second long passphrase"})
    done = owner.post(path, form=data)
    assert done.status == 303 and done.header("Location") == "/login?done=reset", done.describe()
    assert owner.post("/api/v1/session", json={"email": "forgetful@example.vn",
                                               "password": "a second long passphrase"}).status == 200
    again = Client(server.url).get(path)
    assert again.status == 410, again.describe()

    log = server.log_path.read_bytes()[offset:].decode("utf-8", errors="replace")
    assert "/password-reset/" in log, "the requests to the link's page were not logged at all"
    assert secret not in log, [line for line in log.splitlines() if secret in line]
