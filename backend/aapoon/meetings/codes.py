"""Meeting codes: unguessable (60 bits from `secrets`) and easy to read aloud."""

import re
import secrets

# 32 symbols, so each carries 5 bits; no i, l, o or 0, which are read or typed as one another.
ALPHABET = "abcdefghjkmnpqrstuvwxyz123456789"
GROUPS, GROUP_LENGTH = 3, 4
_CODE = re.compile(rf"^[{ALPHABET}]{{{GROUPS * GROUP_LENGTH}}}$")


def meeting_code_generate() -> str:
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
    return "-".join(symbols[i : i + GROUP_LENGTH] for i in range(0, len(symbols), GROUP_LENGTH))


def meeting_code_normalize(text: str) -> str | None:
    """The canonical `xxxx-xxxx-xxxx` form of what someone typed or pasted, or None if it can't be a code."""
    compact = re.sub(r"[\s-]", "", text).lower()
    if not _CODE.match(compact):
        return None
    return "-".join(compact[i : i + GROUP_LENGTH] for i in range(0, len(compact), GROUP_LENGTH))
