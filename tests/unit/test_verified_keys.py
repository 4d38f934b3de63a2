"""The per-worker cache of verified API keys (app.web.auth.VerifiedKeys), on a test clock."""

from app.web.auth import VerifiedKeys


class Directory:
    """The key table as the cache sees it: counts lookups, and can revoke."""

    def __init__(self) -> None:
        self.live = {"key-a": 1, "key-b": 2}
        self.lookups: list[str] = []

    def look_up(self, key: str) -> int | None:
        self.lookups.append(key)
        return self.live.get(key)


def test_a_valid_key_is_looked_up_once_per_period():
    now = [100.0]
    cache, directory = VerifiedKeys(10, clock=lambda: now[0]), Directory()
    assert [cache.client_app("key-a", directory.look_up) for _ in range(3)] == [1, 1, 1]
    assert directory.lookups == ["key-a"]
    del directory.live["key-a"]  # revoked
    now[0] += 9.9
    assert cache.client_app("key-a", directory.look_up) == 1  # within the period
    now[0] += 0.2
    assert cache.client_app("key-a", directory.look_up) is None
    assert directory.lookups == ["key-a", "key-a"]


def test_unknown_keys_are_never_kept():
    cache, directory = VerifiedKeys(10), Directory()
    assert cache.client_app("guess", directory.look_up) is None
    assert cache.client_app("guess", directory.look_up) is None
    assert directory.lookups == ["guess", "guess"]


def test_zero_seconds_looks_up_every_time():
    cache, directory = VerifiedKeys(0), Directory()
    for _ in range(3):
        assert cache.client_app("key-b", directory.look_up) == 2
    assert directory.lookups == ["key-b"] * 3


def test_the_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(VerifiedKeys, "MAX_KEYS", 3)
    cache = VerifiedKeys(10)
    for number in range(3):
        cache.client_app(f"k{number}", lambda _key: 7)
    calls = []
    cache.client_app("k3", lambda key: calls.append(key) or 7)  # full: forgets the rest
    cache.client_app("k0", lambda key: calls.append(key) or 7)
    assert calls == ["k3", "k0"]
