"""django-allauth (headless): sign-up, codes, social sign-in, MFA and JWT for app clients."""

from config.settings.env import data_dir, env_int, env_str, kept_secret, rsa_private_key_pem

ACCOUNT_ADAPTER = "aapoon.accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "aapoon.accounts.adapter.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
# Changing email or phone asks for the password (or a 2FA code) unless given in the last 5 minutes.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# "Send a new code" (the web app offers it): up to two new codes per attempt, rate limited below.
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[aapoon meet] "
# Behind nginx (or any proxy) REMOTE_ADDR is the proxy; set TRUSTED_PROXY_COUNT to the number of
# proxies in front of Django so rate limits and audit rows see the client's address.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "confirm_email": "1/10s/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "request_login_code": "20/m/ip,3/m/key",
    "change_phone": "5/m/user",  # codes to any one number are limited by verify_phone
    "verify_phone": "1/30s/key,3/m/ip",
}

HEADLESS_ONLY = True
HEADLESS_CLIENTS = ("app", "browser")
HEADLESS_SERVE_SPECIFICATION = True
HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": "/verify-email?key={key}",
    "account_reset_password": "/forgot-password",
    "account_reset_password_from_key": "/reset-password?key={key}",
    "account_signup": "/signup",
    "socialaccount_login_error": "/signin?error=social",
}
HEADLESS_TOKEN_STRATEGY = "allauth.headless.tokens.strategies.jwt.strategy.JWTTokenStrategy"  # noqa: S105
HEADLESS_JWT_PRIVATE_KEY = env_str("JWT_PRIVATE_KEY") or kept_secret(
    data_dir(), "jwt_private_key.pem", rsa_private_key_pem
)
HEADLESS_JWT_ACCESS_TOKEN_EXPIRES_IN = env_int("JWT_ACCESS_TOKEN_SECONDS", 300)
HEADLESS_JWT_REFRESH_TOKEN_EXPIRES_IN = env_int("JWT_REFRESH_TOKEN_SECONDS", 14 * 24 * 3600)
# Stateful: every access token is checked against its session, so logout revokes it.
HEADLESS_JWT_STATEFUL_VALIDATION_ENABLED = True
HEADLESS_JWT_ROTATE_REFRESH_TOKEN = True

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "aapoon meet"

SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, object]] = {}
if env_str("GOOGLE_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["google"] = {
        "APPS": [
            {
                "client_id": env_str("GOOGLE_CLIENT_ID"),
                "secret": env_str("GOOGLE_CLIENT_SECRET"),
            }
        ],
        "SCOPE": ["profile", "email"],
        "OAUTH_PKCE_ENABLED": True,
    }
if env_str("FACEBOOK_APP_ID"):
    SOCIALACCOUNT_PROVIDERS["facebook"] = {
        "APPS": [
            {
                "client_id": env_str("FACEBOOK_APP_ID"),
                "secret": env_str("FACEBOOK_APP_SECRET"),
            }
        ],
        "SCOPE": ["email", "public_profile"],
        "FIELDS": ["id", "email", "name", "first_name", "last_name"],
        "VERSION": "v19.0",
    }
