"""SMS: Twilio when its keys are set, otherwise messages land in the dev mailbox."""

from config.settings.env import env_str

TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN")
TWILIO_FROM_NUMBER = env_str("TWILIO_FROM_NUMBER")
SMS_PROVIDER = (
    "aapoon.notifications.sms.TwilioSmsProvider"
    if TWILIO_ACCOUNT_SID
    else "aapoon.notifications.sms.DevMailboxSmsProvider"
)
