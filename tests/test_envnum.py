"""The app's numeric server settings: one reading, the same default and warning for every variable."""

from __future__ import annotations

import logging

import pytest

from app_support import memcache
from app_support import state as app_state
from app_support.envnum import env_number

VAR = "FLASHPOINT_TEST_NUMBER"


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_unset_or_blank_gives_the_default_without_a_warning(monkeypatch, caplog, raw):
    if raw is None:
        monkeypatch.delenv(VAR, raising=False)
    else:
        monkeypatch.setenv(VAR, raw)
    with caplog.at_level(logging.WARNING):
        assert env_number(VAR, 7.5) == 7.5
    assert caplog.records == []


@pytest.mark.parametrize(("raw", "value"), [("12", 12.0), (" 0.25 ", 0.25), ("1e3", 1000.0), ("-3", -3.0)])
def test_a_number_is_read(monkeypatch, raw, value):
    monkeypatch.setenv(VAR, raw)
    assert env_number(VAR, 7.5) == value


@pytest.mark.parametrize("raw", ["abc", "12 MB", "nan", "inf", "-inf", "1,5"])
def test_what_is_not_a_finite_number_warns_with_name_value_and_default(monkeypatch, caplog, raw):
    monkeypatch.setenv(VAR, raw)
    with caplog.at_level(logging.WARNING, logger="flashpoint.app"):
        assert env_number(VAR, 7.5) == 7.5
    [record] = caplog.records
    assert VAR in record.getMessage() and repr(raw) in record.getMessage() and "7.5" in record.getMessage()


def test_the_minimum_raises_small_values_and_defaults_alike(monkeypatch):
    monkeypatch.setenv(VAR, "-3")
    assert env_number(VAR, 7.5, minimum=0) == 0
    monkeypatch.delenv(VAR)
    assert env_number(VAR, -1, minimum=0) == 0


@pytest.mark.parametrize(("raw", "mb"), [(None, 1024), ("64", 64), ("1", 16), ("lots", 1024), ("nan", 1024), ("inf", 1024)])
def test_the_cache_budget(monkeypatch, raw, mb):
    if raw is None:
        monkeypatch.delenv("FLASHPOINT_APP_CACHE_MB", raising=False)
    else:
        monkeypatch.setenv("FLASHPOINT_APP_CACHE_MB", raw)
    assert memcache.budget_bytes() == mb * 2**20


@pytest.mark.parametrize(("raw", "seconds"), [(None, 15 * 60), ("2", 120), ("-1", 0), ("soon", 15 * 60), ("nan", 15 * 60)])
def test_the_longest_wait(monkeypatch, raw, seconds):
    if raw is None:
        monkeypatch.delenv("FLASHPOINT_APP_MAX_MINUTES", raising=False)
    else:
        monkeypatch.setenv("FLASHPOINT_APP_MAX_MINUTES", raw)
    assert app_state.max_wall_seconds() == seconds
