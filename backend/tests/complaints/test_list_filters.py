"""The board's filters on `GET /complaints`: channel, urgency and text (title words or a tracking code),
combined with each other, the overdue list and the caller's scope."""

from __future__ import annotations

from tests.complaints.conftest import BASE, Api
from tests.problems import assert_problem


def ids(api: Api, user: str = "sec_a1", **params: str) -> list[int]:
    r = api.client.get(BASE, params=params, headers=api.world.auth(user))
    assert r.status_code == 200, r.text
    return [int(i["id"]) for i in r.json()["items"]]


def test_channel_and_urgency_filters(api: Api) -> None:
    hotline = api.create(channel="hotline", urgency="urgent")
    letter = api.create(channel="letter")
    visit = api.create(channel="visit", urgency="urgent")
    assert ids(api, channel="hotline") == [hotline["id"]]
    assert ids(api, channel="letter") == [letter["id"]]
    assert ids(api, urgency="urgent") == [visit["id"], hotline["id"]]  # newest first
    assert ids(api, urgency="urgent", channel="visit") == [visit["id"]]
    assert ids(api, urgency="critical") == []
    assert_problem(
        api.client.get(BASE, params={"channel": "fax"}, headers=api.world.auth("sec_a1")),
        422,
        "validation_failed",
    )


def test_text_matches_title_words_or_an_exact_tracking_code(api: Api) -> None:
    road = api.create(title="村口道路塌陷")
    light = api.create(title="路灯不亮 100%")
    assert ids(api, q="道路") == [road["id"]]
    assert ids(api, q=" 塌陷 ") == [road["id"]]
    # LIKE wildcards are taken literally.
    assert ids(api, q="100%") == [light["id"]]
    assert ids(api, q="%") == [light["id"]]
    assert ids(api, q="_") == []
    # A code read out over the phone, in any case; part of a code matches nothing.
    code = str(road["tracking_code"])
    assert ids(api, q=code.lower()) == [road["id"]]
    assert ids(api, q=code[:6]) == []
    # A blank query filters nothing.
    assert ids(api, q="  ") == [light["id"], road["id"]]


def test_text_filter_stays_within_scope_and_combines_with_the_overdue_list(api: Api) -> None:
    mine = api.create(title="道路积水")
    api.clock.advance(days=1)
    theirs = api.create(user="sec_b1", title="道路积水")
    # Another town's item is invisible, even by its tracking code.
    assert ids(api, q="积水") == [mine["id"]]
    assert ids(api, q=str(theirs["tracking_code"])) == []
    assert ids(api, user="county_admin", q="积水") == [theirs["id"], mine["id"]]
    api.clock.advance(days=15)  # mine is past its 15 days to accept; theirs not yet
    assert ids(api, user="county_admin", q="积水", overdue="true") == [mine["id"]]
    assert ids(api, user="county_admin", q="积水", overdue="false") == [theirs["id"]]
    assert ids(api, user="county_admin", channel="letter", overdue="true") == []
