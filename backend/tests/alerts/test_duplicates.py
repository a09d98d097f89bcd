"""Near-duplicates: n-gram shingles, MinHash + LSH candidates, Jaccard-confirmed, grouped by union-find."""

from __future__ import annotations

from datetime import timedelta
from itertools import combinations

from sqlalchemy.orm import Session

from tests.alerts.conftest import DAY, NOW, add_complaint
from tests.world import World
from vanguard.alerts import service
from vanguard.alerts.models import AlertKind
from vanguard.alerts.schemas import AlertRun
from vanguard.alerts.similarity import jaccard, near_duplicate_groups, normalise, shingles
from vanguard.core.permissions import Scope

# A hand-made set: five groups of the same complaint in other words, and unrelated ones (some sharing
# words with a group: 村口, 小区, 幸福路, 养老).
GROUPS = [
    [
        "村口主路塌陷一米见方，夜间有摔伤风险，请尽快修复",
        "村口主路塌陷约一米见方，晚上容易摔伤，请尽快修复",
        "反映：村口主路塌陷一米见方，夜间有摔伤风险！请尽快修复。",
    ],
    ["小区楼下烧烤店每天营业到凌晨两点，噪音扰民严重", "小区楼下烧烤店营业到凌晨两点，噪音扰民十分严重"],
    ["幸福路三号楼已经连续停水三天，居民生活困难", "幸福路三号楼连续停水三天了，居民生活很困难"],
    ["我父亲的养老金已经两个月没有发放，请帮忙查询原因", "父亲的养老金两个月没有发放，请帮忙查询一下原因"],
    [
        "河边垃圾堆积无人清理，气味难闻，影响周边居民",
        "河边垃圾堆积很久无人清理，气味难闻影响周边居民",
        "河边的垃圾堆积无人清理，气味很难闻，影响周边居民生活",
    ],
]
SINGLES = [
    "邻居私自占用楼道堆放杂物，存在消防隐患",
    "申请低保材料已提交一个月，至今没有回复",
    "村里路灯坏了好几盏，晚上出行不便",
    "工厂排放黑烟，空气污染严重",
    "村口主干道路灯不亮，夜间出行有风险",
    "小区停车位被外来车辆长期占用",
    "幸福路菜市场污水横流",
    "养老院护理人员不足",
]


EVERYTHING = Scope.everything()


def _pairs(groups: list[list[int]]) -> set[tuple[int, int]]:
    return {pair for g in groups for pair in combinations(sorted(g), 2)}


def test_groups_a_chinese_set_with_known_answers() -> None:
    texts, truth, n = [], [], 0
    for group in GROUPS:
        truth.append(list(range(n, n + len(group))))
        texts += [(n + i, t) for i, t in enumerate(group)]
        n += len(group)
    texts += [(n + i, t) for i, t in enumerate(SINGLES)]
    found = near_duplicate_groups(texts)
    expected, got = _pairs(truth), _pairs(found)
    precision = len(expected & got) / len(got)
    recall = len(expected & got) / len(expected)
    print(f"near-duplicates: precision {precision:.2f}, recall {recall:.2f}")
    assert precision >= 0.95
    assert recall >= 0.75


def test_normalising_drops_punctuation_space_and_width() -> None:
    assert normalise("村口 主路，塌陷！ＡＢ１") == "村口主路塌陷ab1"
    assert shingles("村口主路") == {"村口", "口主", "主路", "村口主", "口主路"}
    assert jaccard(shingles("反映：村口主路塌陷。"), shingles("村口主路塌陷")) > 0.6


def test_unrelated_texts_never_group() -> None:
    assert near_duplicate_groups(list(enumerate(SINGLES))) == []


def _duplicates(session: Session, scope: Scope = EVERYTHING) -> list[service.Alert]:
    fired = service.run(session, scope, AlertRun(day=DAY), NOW)
    return [a for a in fired if a.kind is AlertKind.DUPLICATES]


def test_group_across_branches_fires_on_their_common_org(session: Session, world: World) -> None:
    a = add_complaint(session, world, "branch_a1", title="停水", description=GROUPS[2][0])
    b = add_complaint(session, world, "branch_a2", title="停水", description=GROUPS[2][1])
    add_complaint(session, world, "branch_a2", title="其他", description=SINGLES[0])
    session.commit()
    [alert] = _duplicates(session)
    assert alert.items == [a, b]
    assert alert.org_id == world.orgs["town_a"].id
    assert alert.why["size"] == 2
    assert alert.why["closest_pair_jaccard"] >= alert.why["jaccard_threshold"]


def test_a_branch_run_sees_only_its_own_complaints(session: Session, world: World) -> None:
    add_complaint(session, world, "branch_a1", title="停水", description=GROUPS[2][0])
    add_complaint(session, world, "branch_a2", title="停水", description=GROUPS[2][1])
    session.commit()
    assert _duplicates(session, Scope(world.orgs["branch_a1"].path)) == []


def test_old_group_without_a_new_item_stays_quiet(session: Session, world: World) -> None:
    for text in GROUPS[1]:
        add_complaint(session, world, "branch_a1", day=DAY - timedelta(days=3), description=text)
    session.commit()
    assert _duplicates(session) == []


def test_group_outside_the_window_is_not_joined(session: Session, world: World) -> None:
    add_complaint(session, world, "branch_a1", day=DAY - timedelta(days=40), description=GROUPS[1][0])
    add_complaint(session, world, "branch_a1", description=GROUPS[1][1])
    session.commit()
    assert _duplicates(session) == []
