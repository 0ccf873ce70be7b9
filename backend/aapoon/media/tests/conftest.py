from aapoon.media.testing import janus  # noqa: F401
