import pytest

from aapoon.scheduling.tests.factories import Invitations


@pytest.fixture
def invitations(monkeypatch) -> Invitations:
    """Records the calls to the invitation hooks instead of sending."""
    box = Invitations()
    for module in ("aapoon.meetings.services", "aapoon.scheduling.services"):
        for name in ("invitations_send", "invitations_update", "invitations_cancel"):
            monkeypatch.setattr(
                f"{module}.{name}", box.hook(name.removeprefix("invitations_")), raising=False
            )
    return box
