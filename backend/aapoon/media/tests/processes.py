"""This test process's own child processes, read from /proc (zombies included: a child that was
never waited for still counts)."""

import os
from pathlib import Path


def children_named(name: str) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # it exited while we looked
            continue
        command, after = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :].split()
        if command == name and int(after[1]) == os.getpid():
            found.append(int(stat.parent.name))
    return found
