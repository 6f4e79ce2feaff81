"""The test run has no network: a test may connect to this machine only (pytest-socket, addopts in pyproject.toml),
so the suite neither depends on nor sends anything to another host."""

import socket

import pytest
import redis
from django.conf import settings
from pytest_socket import SocketConnectBlockedError


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_a_connection_to_another_host_is_refused_before_it_leaves_the_machine():
    with pytest.raises(SocketConnectBlockedError):
        socket.create_connection(("192.0.2.1", 80), timeout=1)  # TEST-NET-1: never routed
    with pytest.raises(SocketConnectBlockedError):
        socket.create_connection(("2001:db8::1", 443), timeout=1)


def test_the_loopback_stays_open():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    with listener, socket.create_connection(listener.getsockname(), timeout=1):
        pass
    if settings.REDIS_URL:
        assert redis.Redis.from_url(settings.REDIS_URL).ping()
