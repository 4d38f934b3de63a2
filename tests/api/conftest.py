"""Fixtures shared by the API tests: the headers of the two tenants' keys."""

import pytest

from tests.helpers import auth


@pytest.fixture
def acme(api_keys):
    return auth(api_keys[0])


@pytest.fixture
def globex(api_keys):
    return auth(api_keys[1])
