"""Early warning (alerts) at scale, in a throw-away PostgreSQL database.

The bench_members org tree (~41,000 orgs), then 1,000,000 complaints written with COPY, scattered over
the branches and received over two years, with varied Chinese texts (a place, one of forty problems, a
random detail). 2% are near-duplicates of a recent complaint (the same text with a few characters
changed, a few days later, same branch and category) — the known answer the grouping is scored on
(two unrelated complaints of one branch about the same problem in a month may group too: they are the
same issue from the same village, and count against precision here); and
one branch gets a surge of 30 complaints of one category on the tested day.

Timed, each beside its SQL floor:
- the surge analysis (`alerts.service.find_surges`: the day's candidates, then their baselines, counted in
  SQL, the statistics in Python) for a county and the whole province; the floor is one GROUP BY over the
  whole window by hand;
- the near-duplicate grouping over 30 days (`alerts.service.find_duplicate_groups`: shingles, MinHash +
  LSH, Jaccard, union-find) for a county and the province; the floor is fetching the window's texts.
Precision and recall of the grouping against the injected duplicates are printed and saved.

    .venv/bin/python -m bench.bench_alerts [--complaints N] [--iterations N]   # try 50000 first
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import combinations
from typing import Any

import psycopg
from sqlalchemy.orm import Session

from bench.bench_complaints import CHANNELS, COMPLAINT_COLUMNS
from bench.bench_members import ORG_COLUMNS, SEED, Tree, _copy, build_tree
from bench.common import compare, psycopg_dsn, report, throwaway_database
from vanguard.alerts import service, similarity
from vanguard.core import migrate, policy
from vanguard.core.db import build_engine, make_sessionmaker
from vanguard.core.permissions import Scope

NOW = datetime(2026, 1, 1, tzinfo=UTC)  # 08:00 CST on 1 January
DAY = date(2025, 12, 31)  # the China day tested: the last whole day of the data
SPAN_DAYS = 730
DUPLICATE_SHARE = 0.02
SURGE = 30
WINDOW = policy.ALERTS_DUPLICATE_WINDOW_DAYS
CST_OFFSET = timedelta(hours=8)

PROBLEMS = (
    "道路塌陷坑洼车辆无法通行",
    "自来水停水多日生活困难",
    "小区噪音扰民影响休息",
    "垃圾堆积无人清理气味难闻",
    "养老金未按时发放",
    "低保申请迟迟没有回复",
    "路灯损坏夜间出行不便",
    "工厂排放黑烟污染空气",
    "河道污水直排鱼虾死亡",
    "宅基地纠纷长期未解决",
    "危房改造补贴没有到位",
    "医保报销手续繁琐",
    "农田灌溉渠道堵塞",
    "邻里因排水问题发生纠纷",
    "楼道堆放杂物存在消防隐患",
    "村务公开不及时不透明",
    "征地补偿款发放不到位",
    "学校周边交通秩序混乱",
    "菜市场占道经营",
    "公交线路班次太少",
    "网络信号差无法上网课",
    "电线老化存在安全隐患",
    "违章建筑占用公共通道",
    "流浪犬伤人无人管理",
    "供暖温度不达标",
    "物业收费不合理",
    "拖欠农民工工资",
    "集市乱收费",
    "山体滑坡隐患需排查",
    "饮用水水质浑浊有异味",
    "村道两旁树木遮挡视线",
    "桥梁护栏损坏",
    "公共厕所长期关闭",
    "健身器材损坏无人维修",
    "雨后积水严重",
    "秸秆焚烧烟雾大",
    "快递网点乱堆放",
    "商户油烟扰民",
    "夜市经营至深夜",
    "停车位被长期占用",
)
DETAIL_CHARS = (
    "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以"
    "会家可下而过天去能对小多然于心学么之都好看起发当没成只如事把还用第样道想作种开美"
    "总从无情己面最女但现前些所同日手又行意动方期它头经长儿回位分爱老因很给名法间斯知"
    "世什两次使身者被高已亲其进此话常与活正感"
)


def _detail(rng: random.Random) -> str:
    return "".join(rng.choice(DETAIL_CHARS) for _ in range(rng.randint(8, 16)))


def _edit(rng: random.Random, text: str) -> str:
    """The same complaint in other hands: two or three characters changed, dropped or added."""
    chars = list(text)
    for _ in range(rng.randint(2, 3)):
        i = rng.randrange(len(chars))
        op = rng.random()
        if op < 0.4:
            chars[i] = rng.choice(DETAIL_CHARS)
        elif op < 0.7 and len(chars) > 10:
            del chars[i]
        else:
            chars.insert(i, rng.choice("，。！"))
    return "".join(chars)


class Data:
    """The generated complaints' known answers: duplicate pairs (by id) and the surge's org and category."""

    def __init__(self) -> None:
        self.pairs: list[tuple[int, int]] = []
        self.received: dict[int, datetime] = {}  # of the ids in a pair, and the surge's
        self.surge: tuple[int, int] = (0, 0)


def complaint_lines(
    rng: random.Random, tree: Tree, categories: list[int], count: int, data: Data
) -> Iterator[str]:
    branches = tree.branches
    span = int(timedelta(days=SPAN_DAYS).total_seconds())
    stamp = NOW.isoformat()
    recent: list[tuple[int, str, str, int, int, datetime]] = []  # id, title, text, branch, category, received
    villages: dict[int, str] = {}  # a branch is a village's: its complaints name the village

    def village(branch: int) -> str:
        if branch not in villages:
            villages[branch] = _detail(rng)[:3] + "村"
        return villages[branch]

    def line(i: int, branch: int, cat: int, title: str, text: str, received: datetime) -> str:
        status = rng.choice(("closed", "closed", "resolved", "assigned", "received"))
        due = received + timedelta(days=60)
        return (
            f"A{i:011d}\t{rng.choice(CHANNELS)}\t{cat}\t{branch}\tnormal\t{title}\t{text}\t{status}"
            f"\t{received.isoformat()}\t{due.isoformat()}\t0\t0\t1\t{stamp}\t{stamp}\n"
        )

    for n in range(count):
        cid = n + 1
        if recent and rng.random() < DUPLICATE_SHARE:
            oid, title, text, branch, cat, orig = rng.choice(recent)
            received = min(orig + timedelta(seconds=rng.randrange(5 * 86_400)), NOW - timedelta(seconds=1))
            data.pairs.append((oid, cid))
            data.received[oid], data.received[cid] = orig, received
            yield line(cid, branch, cat, title, _edit(rng, text), received)
            continue
        branch, cat = branches[rng.randrange(len(branches))], rng.choice(categories)
        problem = rng.choice(PROBLEMS)
        title = problem[:8]
        text = f"{village(branch)}{problem}，{_detail(rng)}"
        received = NOW - timedelta(seconds=rng.randrange(span))
        recent.append((cid, title, text, branch, cat, received))
        if len(recent) > 2000:
            recent.pop(0)
        yield line(cid, branch, cat, title, text, received)
    branch, cat = branches[len(branches) // 3], categories[0]
    data.surge = (branch, cat)
    day_start = datetime(DAY.year, DAY.month, DAY.day, tzinfo=UTC) - CST_OFFSET
    for k in range(SURGE):
        cid = count + k + 1
        received = day_start + timedelta(minutes=20 * k + 5)
        data.received[cid] = received
        yield line(cid, branch, cat, "激增", f"{_detail(rng)}{_detail(rng)}", received)


def load(url: str, complaints: int) -> tuple[Tree, Data]:
    """Migrate, then COPY the tree and the complaints; VACUUM ANALYZE as autovacuum would."""
    migrate.upgrade(url)
    rng = random.Random(SEED)
    started = time.perf_counter()
    tree = build_tree(rng)
    data = Data()
    with psycopg.connect(psycopg_dsn(url)) as pg:
        _copy(pg, "orgs", ORG_COLUMNS, iter(tree.rows))
        pg.execute("SELECT setval(pg_get_serial_sequence('orgs', 'id'), (SELECT max(id) FROM orgs))")
        categories = [row[0] for row in pg.execute("SELECT id FROM complaint_categories ORDER BY id")]
        _copy(pg, "complaints", COMPLAINT_COLUMNS, complaint_lines(rng, tree, categories, complaints, data))
    with psycopg.connect(psycopg_dsn(url), autocommit=True) as pg:
        pg.execute("VACUUM ANALYZE orgs")
        pg.execute("VACUUM ANALYZE complaints")
    took = time.perf_counter() - started
    print(f"loaded {len(tree.rows)} organisations and {complaints + SURGE} complaints in {took:.0f}s")
    return tree, data


SURGE_FLOOR = """
SELECT c.org_id, c.category_id, ((c.received_at AT TIME ZONE 'Asia/Shanghai')::date) AS d, count(*)
FROM complaints c JOIN orgs o ON o.id = c.org_id
WHERE c.received_at >= %(lo)s AND c.received_at < %(hi)s AND o.path LIKE %(prefix)s
GROUP BY 1, 2, 3
"""
TEXTS_FLOOR = """
SELECT c.id, c.title, c.description, c.received_at, o.path
FROM complaints c JOIN orgs o ON o.id = c.org_id
WHERE c.received_at >= %(lo)s AND c.received_at < %(hi)s AND o.path LIKE %(prefix)s
"""


def _pairs(groups: list[list[int]]) -> set[tuple[int, int]]:
    return {pair for g in groups for pair in combinations(sorted(g), 2)}


def quality(session: Session, data: Data, path: str, pg: psycopg.Connection[Any]) -> dict[str, float]:
    """Precision and recall of the province's 30-day grouping against the injected duplicates (pairs in
    the window whose later item came on the tested day or before; groups need a new item on DAY, so
    this scores every group in the window by testing each of its days)."""
    hi = service.day_start(DAY + timedelta(days=1))
    lo = hi - timedelta(days=WINDOW)
    rows = pg.execute(TEXTS_FLOOR, {"lo": lo, "hi": hi, "prefix": path + "%"}).fetchall()
    found = _pairs(
        similarity.near_duplicate_groups(
            ((r[0], service.complaint_text(r[1], r[2])) for r in rows),
            threshold=policy.ALERTS_DUPLICATE_JACCARD,
        )
    )
    in_window = {r[0] for r in rows}
    truth = {tuple(sorted(p)) for p in data.pairs if p[0] in in_window and p[1] in in_window}
    # Duplicates of duplicates chain into one group: count pairs joined through a common original too.
    groups: dict[int, set[int]] = {}
    for a, b in sorted(truth):
        root = next((k for k, g in groups.items() if a in g or b in g), a)
        groups.setdefault(root, set()).update((a, b))
    truth_pairs = _pairs([sorted(g) for g in groups.values()])
    hit = len(found & truth_pairs)
    precision = hit / len(found) if found else 1.0
    recall = hit / len(truth_pairs) if truth_pairs else 1.0
    print(
        f"near-duplicates over {len(rows)} complaints: {len(found)} pairs found, {len(truth_pairs)} known; "
        f"precision {precision:.3f}, recall {recall:.3f}"
    )
    return {"precision": round(precision, 4), "recall": round(recall, 4), "window_complaints": len(rows)}


def run(complaints: int, iterations: int) -> list[dict[str, Any]]:
    with throwaway_database() as url:
        tree, data = load(url, complaints)
        engine = build_engine(url)
        session = make_sessionmaker(engine)()
        size = {"orgs": len(tree.rows), "complaints": complaints}
        results = []
        with psycopg.connect(psycopg_dsn(url), autocommit=True) as pg:
            surge_branch = data.surge[0]
            county_path = pg.execute(
                "SELECT p.path FROM orgs b JOIN orgs p ON b.path LIKE p.path || '%%' "
                "WHERE b.id = %s AND p.id = ANY(%s)",
                (surge_branch, tree.counties),
            ).fetchone()
            root_path = pg.execute("SELECT path FROM orgs WHERE id = %s", (tree.root,)).fetchone()
            assert county_path is not None
            assert root_path is not None
            params = service.SurgeParams()
            for label, path in (
                ("county, 1 of 50", county_path[0]),
                ("province, the whole tree", root_path[0]),
            ):
                scope = Scope(path)
                lo = service.day_start(DAY - timedelta(days=params.baseline_days))
                hi = service.day_start(DAY + timedelta(days=1))
                floor_params = {"lo": lo, "hi": hi, "prefix": path + "%"}

                def surges(s: Scope = scope) -> Any:
                    found = service.find_surges(session, s, DAY, params)
                    session.rollback()
                    return found

                def surge_floor(p: dict[str, Any] = floor_params) -> Any:
                    return pg.execute(SURGE_FLOOR, p).fetchall()

                fired = surges()
                assert data.surge in [key for key, _, _ in fired], "the injected surge did not fire"
                results.append(
                    compare(
                        f"alerts: surge analysis ({label}, 28-day baseline)",
                        surges,
                        surge_floor,
                        iterations,
                        fired=len(fired),
                        **size,
                    )
                )
                window = {"lo": hi - timedelta(days=WINDOW), "hi": hi, "prefix": path + "%"}

                def duplicates(s: Scope = scope) -> Any:
                    groups = service.find_duplicate_groups(
                        session, s, DAY, window_days=WINDOW, threshold=policy.ALERTS_DUPLICATE_JACCARD
                    )
                    session.rollback()
                    return groups

                def texts_floor(p: dict[str, Any] = window) -> Any:
                    return pg.execute(TEXTS_FLOOR, p).fetchall()

                groups = duplicates()
                extra: dict[str, Any] = {"groups_on_day": len(groups), **size}
                if label.startswith("province"):
                    extra |= quality(session, data, path, pg)
                results.append(
                    compare(
                        f"alerts: near-duplicate grouping ({label}, {WINDOW} days)",
                        duplicates,
                        texts_floor,
                        max(1, iterations // 10),
                        **extra,
                    )
                )
        session.close()
        engine.dispose()
        return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--iterations", type=int, default=20)
    args = parser.parse_args()
    report(run(args.complaints, args.iterations))


if __name__ == "__main__":
    main()
