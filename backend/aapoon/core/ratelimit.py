"""A fixed-window counter in the cache (Redis in production, so it holds across app nodes)."""

from django.core.cache import cache

from aapoon.core.errors import RateLimited


def check_rate_limit(*, scope: str, key: str, limit: int, window_seconds: int) -> None:
    """Count one attempt for `key`; refuse once more than `limit` were made in the window."""
    cache_key = f"ratelimit:{scope}:{key}"
    # add() starts the window only if none is open; incr() is atomic in Redis and locmem.
    cache.add(cache_key, 0, window_seconds)
    try:
        attempts = cache.incr(cache_key)
    except ValueError:  # the window expired between add() and incr()
        cache.add(cache_key, 1, window_seconds)
        attempts = 1
    if attempts > limit:
        raise RateLimited("Too many attempts; wait a minute and try again.")
