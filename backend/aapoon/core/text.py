"""Text from outside: PostgreSQL can't store NUL, so it is refused at the edge with a clear error."""

from typing import Annotated

from pydantic import AfterValidator


def has_nul(value: str) -> bool:
    return "\x00" in value


def _refuse_nul(value: str) -> str:
    if has_nul(value):
        raise ValueError("Text can't contain NUL characters.")
    return value


# A str field for API schemas that refuses NUL (422 naming the field, like any invalid value).
Text = Annotated[str, AfterValidator(_refuse_nul)]
