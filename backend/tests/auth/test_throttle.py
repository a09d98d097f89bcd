"""Login throttling rules, on the in-memory `limits` storage and a clock the tests move."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from limits.storage import MemoryStorage

from vanguard.auth.throttle import ACCOUNT_RULE, IP_RULE, LoginThrottle
from vanguard.core import policy

# On a window boundary, so which failures share a window is plain from the offsets.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
IP = "198.51.100.7"
MAX = ACCOUNT_RULE.max_failures
BASE = policy.LOGIN_LOCKOUT_BASE_SECONDS


def _throttle() -> LoginThrottle:
    return LoginThrottle(MemoryStorage())


def _fail(throttle: LoginThrottle, name: str, times: int, at: datetime, ip: str | None = None) -> None:
    for _ in range(times):
        throttle.failed(name, ip, at)


def test_failures_below_the_limit_leave_the_name_free() -> None:
    throttle = _throttle()
    _fail(throttle, "alice", MAX - 1, NOW)
    assert throttle.wait("alice", IP, NOW) == 0


def test_the_limit_of_failures_locks_the_name_for_the_base_time_from_any_ip() -> None:
    throttle = _throttle()
    _fail(throttle, "alice", MAX, NOW, ip=IP)
    assert throttle.wait("alice", IP, NOW) == BASE
    assert throttle.wait("alice", "203.0.113.1", NOW) == BASE
    assert throttle.wait("alice", IP, NOW + timedelta(seconds=BASE - 1)) == 1
    assert throttle.wait("alice", IP, NOW + timedelta(seconds=BASE)) == 0
    assert throttle.wait("bob", "203.0.113.1", NOW) == 0


def test_each_further_lockout_doubles_the_wait_up_to_the_cap() -> None:
    throttle = _throttle()
    at, waits = NOW, []
    for _ in range(7):
        _fail(throttle, "alice", MAX, at)
        waits.append(throttle.wait("alice", None, at))
        at += timedelta(seconds=waits[-1])
    assert waits == [min(BASE * 2**i, policy.LOGIN_LOCKOUT_MAX_SECONDS) for i in range(7)]
    assert waits[1] == 2 * BASE
    assert waits[-2] == waits[-1] == policy.LOGIN_LOCKOUT_MAX_SECONDS


def test_after_a_lockout_the_name_gets_a_full_set_of_attempts_again() -> None:
    throttle = _throttle()
    _fail(throttle, "alice", MAX, NOW)
    after = NOW + timedelta(seconds=BASE)
    _fail(throttle, "alice", MAX - 1, after)
    assert throttle.wait("alice", None, after) == 0


def test_a_lockout_long_after_the_previous_one_starts_again_from_the_base_time() -> None:
    throttle = _throttle()
    _fail(throttle, "alice", MAX, NOW)
    later = NOW + timedelta(seconds=BASE + policy.LOGIN_LOCKOUT_MEMORY_SECONDS)
    _fail(throttle, "alice", MAX, later)
    assert throttle.wait("alice", None, later) == BASE


def test_a_success_clears_the_names_failures() -> None:
    throttle = _throttle()
    _fail(throttle, "alice", MAX - 1, NOW)
    throttle.succeeded("alice", NOW)
    _fail(throttle, "alice", MAX - 1, NOW)
    assert throttle.wait("alice", None, NOW) == 0


def test_a_success_clears_the_names_lockout_history() -> None:
    throttle = _throttle()
    _fail(throttle, "alice", MAX, NOW)
    after = NOW + timedelta(seconds=BASE)
    throttle.succeeded("alice", after)
    _fail(throttle, "alice", MAX, after)
    assert throttle.wait("alice", None, after) == BASE  # not doubled


def test_failures_within_the_window_add_up() -> None:
    throttle = _throttle()
    _fail(throttle, "alice", MAX - 1, NOW)
    late = NOW + timedelta(seconds=ACCOUNT_RULE.window - 1)
    _fail(throttle, "alice", 1, late)
    assert throttle.wait("alice", None, late) == BASE


def test_failures_age_out_of_the_window() -> None:
    throttle = _throttle()
    _fail(throttle, "alice", MAX - 1, NOW)
    later = NOW + timedelta(seconds=2 * ACCOUNT_RULE.window)
    _fail(throttle, "alice", 1, later)
    assert throttle.wait("alice", None, later) == 0


def test_the_previous_window_counts_by_how_much_of_it_is_still_in_the_window() -> None:
    throttle = _throttle()
    _fail(throttle, "alice", MAX - 1, NOW)
    # A quarter into the next window three quarters of the earlier failures still count.
    quarter = NOW + timedelta(seconds=ACCOUNT_RULE.window * 5 // 4)
    _fail(throttle, "alice", 1, quarter)
    assert (MAX - 1) * 3 / 4 + 1 < MAX
    assert throttle.wait("alice", None, quarter) == 0
    _fail(throttle, "alice", 1, quarter)
    assert (MAX - 1) * 3 / 4 + 2 >= MAX
    assert throttle.wait("alice", None, quarter) == BASE


def test_an_ip_is_locked_out_after_its_own_limit_whichever_names_it_tried() -> None:
    throttle = _throttle()
    for i in range(IP_RULE.max_failures):
        throttle.failed(f"user{i}", IP, NOW)
    assert throttle.wait("someone-else", IP, NOW) == policy.LOGIN_IP_LOCKOUT_SECONDS
    assert throttle.wait("someone-else", "203.0.113.1", NOW) == 0


def test_an_ips_lockouts_do_not_grow() -> None:
    throttle = LoginThrottle(MemoryStorage(), ip_rule=replace(IP_RULE, max_failures=2))
    at = NOW
    for round_ in range(3):
        throttle.failed(f"a{round_}", IP, at)
        throttle.failed(f"b{round_}", IP, at)
        assert throttle.wait("someone-else", IP, at) == policy.LOGIN_IP_LOCKOUT_SECONDS
        at += timedelta(seconds=policy.LOGIN_IP_LOCKOUT_SECONDS)


def test_a_success_leaves_the_ips_failures_counted() -> None:
    throttle = LoginThrottle(MemoryStorage(), ip_rule=replace(IP_RULE, max_failures=3))
    throttle.failed("a", IP, NOW)
    throttle.failed("b", IP, NOW)
    throttle.succeeded("mallory", NOW)
    throttle.failed("c", IP, NOW)
    assert throttle.wait("mallory", IP, NOW) == policy.LOGIN_IP_LOCKOUT_SECONDS
