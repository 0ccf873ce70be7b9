"""The web app's index.html is served for client-side routes; API-ish paths are not swallowed."""

import pytest

INDEX = b"<!doctype html><div id=root></div>"


@pytest.fixture
def built(settings, tmp_path):
    settings.FRONTEND_DIST = tmp_path
    (tmp_path / "index.html").write_bytes(INDEX)


@pytest.mark.parametrize("path", ["/", "/signin", "/meetings/abc-defg-hij", "/settings/profile"])
def test_client_routes_get_index_html_with_a_csrf_cookie(client, db, built, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.content == INDEX
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "csrftoken" in response.cookies


def test_not_built_yet_is_a_clear_503(client, db, settings, tmp_path):
    settings.FRONTEND_DIST = tmp_path / "missing"
    response = client.get("/signin")
    assert response.status_code == 503
    assert b"make run" in response.content


@pytest.mark.parametrize(
    "path", ["/api/v1/nope", "/media/avatar/x.png", "/static/app.js", "/ws/me/", "/x.js"]
)
def test_reserved_and_file_paths_are_not_the_web_app(client, db, built, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.content != INDEX


def test_unknown_api_paths_get_the_json_error_shape(client):
    response = client.get("/api/v1/no-such-thing")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found.", "detail": None}


def test_unknown_files_get_a_plain_404(client):
    response = client.get("/no-such-file.js")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/plain")
