"""Notifications: email provider (SMTP by EMAIL_URL, or SendGrid / Amazon SES via anymail), web push."""

from email.utils import parseaddr

from django.core.exceptions import ImproperlyConfigured

from config.settings.env import email_timeout, env_bool, env_list, env_str

# "" keeps MAILERS from base.py (EMAIL_URL, else the dev mailbox); "sendgrid" or "ses" uses anymail.
EMAIL_PROVIDER = env_str("EMAIL_PROVIDER")
_ANYMAIL_BACKENDS = {
    "sendgrid": "anymail.backends.sendgrid.EmailBackend",
    "ses": "anymail.backends.amazon_ses.EmailBackend",
}
ANYMAIL = {
    "SENDGRID_API_KEY": env_str("SENDGRID_API_KEY"),
    # SendGrid's HTTP calls; like SMTP's timeout, well below the worker's lease.
    "REQUESTS_TIMEOUT": email_timeout(),
    # SES takes the usual AWS credentials (environment, instance role) through boto3.
    "AMAZON_SES_CLIENT_PARAMS": {
        "region_name": env_str("AWS_SES_REGION", "us-east-1"),
        "config": {"connect_timeout": email_timeout(), "read_timeout": email_timeout()},
    },
}
if EMAIL_PROVIDER:
    if EMAIL_PROVIDER not in _ANYMAIL_BACKENDS:
        raise ImproperlyConfigured(f"EMAIL_PROVIDER is one of {', '.join(_ANYMAIL_BACKENDS)} (or unset).")
    MAILERS: dict[str, dict[str, object] | dict[str, str]] = {
        "default": {"BACKEND": _ANYMAIL_BACKENDS[EMAIL_PROVIDER]}
    }

# Web push. The key pair is made on first use and kept in the database; set VAPID_PRIVATE_KEY
# (raw 32-byte key, urlsafe base64) only to bring a pair from elsewhere.
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY")
VAPID_SUBJECT = env_str(
    "VAPID_SUBJECT", "mailto:" + parseaddr(env_str("DEFAULT_FROM_EMAIL", "no-reply@aapoon.local"))[1]
)
# Subscriptions are accepted only for these push services (a leading dot: any subdomain), so
# the server never posts to an address a user made up.
WEBPUSH_ALLOWED_HOSTS = env_list(
    "WEBPUSH_ALLOWED_HOSTS",
    "fcm.googleapis.com,.push.services.mozilla.com,.notify.windows.com,.push.apple.com",
)
WEBPUSH_ALLOW_HTTP = env_bool("WEBPUSH_ALLOW_HTTP", False)  # tests' local push service only

# The worker: rows claimed per batch and how long a claim holds before another worker may retry it.
NOTIFICATIONS_BATCH = 50
NOTIFICATIONS_LEASE_SECONDS = 600
