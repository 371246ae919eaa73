"""What the shared cache raises when it cannot serve, for the code that
goes on without it (the rate limit, Auth0's key set, the readiness probe)
or answers 503 (apps/core/api/exceptions.py)."""

try:  # with the production requirements: the shared cache in Redis
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
except ImportError:  # the embedded default keeps its cache in memory
    CACHE_UNREACHABLE: tuple[type[Exception], ...] = ()
else:
    # The shared cache refused a connection, dropped one, or did not answer
    # within its socket timeout (settings: CACHES).
    CACHE_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
