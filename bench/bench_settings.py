"""The embedded default plus one bare view to compare the API against."""

from config.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
