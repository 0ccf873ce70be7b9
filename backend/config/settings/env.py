"""Reading configuration from the environment: the only place settings come from."""

import os
import secrets
from collections.abc import Callable
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[3]


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def data_dir() -> Path:
    path = Path(env_str("DATA_DIR", str(REPO_DIR / "var"))).resolve()
    (path / "media").mkdir(parents=True, exist_ok=True)
    return path


def kept_secret(directory: Path, filename: str, make: Callable[[], str] | None = None) -> str:
    """A secret generated on first use and kept in DATA_DIR, so restarts keep sessions valid."""
    path = directory / filename
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text((make or _random_token)())
    return path.read_text().strip()


def _random_token() -> str:
    return secrets.token_urlsafe(50)


def rsa_private_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def email_timeout() -> int:
    """Seconds an email provider may take to answer (EMAIL_TIMEOUT, default 30): well below the
    notification worker's lease, so a hung server cannot hold a row until another worker sends it."""
    return env_int("EMAIL_TIMEOUT", 30)


def email_url_mailer(url: str) -> dict[str, object]:
    """An EMAIL_URL such as smtp+tls://user:pass@host:587 (optionally ?timeout=seconds) as a
    Django MAILERS entry. dj-email-url's schemes (smtp, submission, ...) work too."""
    import dj_email_url

    scheme, _, rest = url.partition("://")
    if scheme in ("smtp+tls", "smtp+ssl"):  # dj-email-url spells these smtp://...?tls=1 / ?ssl=1
        url = f"smtp://{rest}{'&' if '?' in rest else '?'}{scheme[-3:]}=1"
    parsed = dj_email_url.parse(url)
    if "EMAIL_BACKEND" not in parsed:
        raise ValueError(f"EMAIL_URL: unknown scheme {scheme!r} (smtp, smtp+tls, smtp+ssl, submission)")
    options = {
        "timeout": parsed["EMAIL_TIMEOUT"] or email_timeout(),
        "host": parsed["EMAIL_HOST"],
        "port": parsed["EMAIL_PORT"],
        "username": parsed["EMAIL_HOST_USER"],
        "password": parsed["EMAIL_HOST_PASSWORD"],
        "use_tls": parsed["EMAIL_USE_TLS"],
        "use_ssl": parsed["EMAIL_USE_SSL"],
    }
    is_smtp = parsed["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    return {"BACKEND": parsed["EMAIL_BACKEND"], "OPTIONS": options if is_smtp else {}}
