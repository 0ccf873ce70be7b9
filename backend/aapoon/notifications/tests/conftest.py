from aapoon.notifications.tests.smtp import smtp_server  # noqa: F401
