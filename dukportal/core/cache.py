"""Django's Redis cache, with one redis-py client per connection pool instead of one per cache call.

`CACHES["default"]["BACKEND"] = "dukportal.core.cache.RedisCache"` when a shared cache is configured. Django's
`RedisCacheClient.get_client` builds `redis.Redis(connection_pool=pool)` for every get, set or incr, and redis-py's
constructor copies its table of ~170 response callbacks each time: about 0.13 ms of CPU a call, more than the GET
itself costs (bench/README.md "Branch load6", issue 13). The client holds no connection of its own (it borrows one
from the pool for each command) and is safe to share between threads, so one per pool behaves the same: the same
servers, pools, options, serializer, keys and timeouts as Django's backend, which this subclasses."""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
