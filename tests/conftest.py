"""Shared fixtures: the real policies, validated once per test session."""

from __future__ import annotations

import copy

import pytest

from calculator import Calculator
from macros.bundle import make_bundle
from macros.validate import load_policies


@pytest.fixture(scope="session")
def policies():
    return load_policies()


@pytest.fixture(scope="session")
def bundle(policies):
    return make_bundle(policies)


@pytest.fixture(scope="session")
def calc(bundle):
    return Calculator(copy.deepcopy(bundle))
