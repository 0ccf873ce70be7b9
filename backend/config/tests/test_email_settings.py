"""The email provider's timeout stays well below the worker's lease, so a hung server cannot hold
a claimed row until another worker sends it too."""

from django.conf import settings

from config.settings.env import email_url_mailer


def test_an_email_url_mailer_has_a_timeout_below_the_lease(monkeypatch):
    monkeypatch.delenv("EMAIL_TIMEOUT", raising=False)
    options = email_url_mailer("smtp+tls://user:secret@mail.example.com:587")["OPTIONS"]
    assert isinstance(options, dict)
    assert options["timeout"] == 30 < settings.NOTIFICATIONS_LEASE_SECONDS / 10
    assert (options["host"], options["port"], options["use_tls"]) == ("mail.example.com", 587, True)
    assert email_url_mailer("smtp://mail.example.com:25?timeout=7")["OPTIONS"]["timeout"] == 7  # type: ignore[index]
    ssl = email_url_mailer("smtp+ssl://mail.example.com:465?timeout=9")["OPTIONS"]
    assert ssl == {**ssl, "use_ssl": True, "use_tls": False, "timeout": 9}
    monkeypatch.setenv("EMAIL_TIMEOUT", "12")
    assert email_url_mailer("smtp://mail.example.com:25")["OPTIONS"]["timeout"] == 12  # type: ignore[index]


def test_anymail_providers_time_out_too():
    assert settings.ANYMAIL["REQUESTS_TIMEOUT"] == 30
    assert settings.ANYMAIL["AMAZON_SES_CLIENT_PARAMS"]["config"] == {
        "connect_timeout": 30,
        "read_timeout": 30,
    }
