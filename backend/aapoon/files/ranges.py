"""HTTP byte ranges (RFC 9110 §14), so a <video> element can seek in a file it streams."""

import re
from dataclasses import dataclass

_SINGLE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$", re.ASCII)
# A position of more digits than this is past the end of any file, and read as 10**_MAX_DIGITS
# (Python refuses to read numbers of more than 4300 digits at all).
_MAX_DIGITS = 18


class RangeNotSatisfiable(Exception):
    """The range names no byte of the file (answer 416)."""


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive, as in Content-Range

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def byte_range(header: str | None, size: int) -> ByteRange | None:
    """The one range a `Range` header asks for, or None to send the whole file.

    Headers we do not take (several ranges, other units, garbage) mean the whole file, which
    the RFC allows; a well-formed range past the end is refused.
    """
    match = _SINGLE_RANGE.match((header or "").strip())
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # "-N": the last N bytes
        suffix = _position(last)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable()
        return ByteRange(start=max(size - suffix, 0), end=size - 1)
    start = _position(first)
    end = min(_position(last), size - 1) if last else size - 1
    if start >= size or (last and _position(last) < start):
        raise RangeNotSatisfiable()
    return ByteRange(start=start, end=end)


def _position(digits: str) -> int:
    significant = digits.lstrip("0")
    return int(significant or "0") if len(significant) <= _MAX_DIGITS else 10**_MAX_DIGITS
