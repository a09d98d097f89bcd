"""民主评议: evaluation rounds per org under a scheme, ballots per rater group, the masses' one-time tokens.

- One ballot per rater per member (409 `ballot_exists`, backed by a unique constraint); none once the
  round is closed (409 `round_closed`) or the scheme published (409 `scheme_locked`).
- Fellow members' ballots are anonymous: the rater is kept only as a keyed one-way digest (HMAC with a
  key derived from `VANGUARD_PII_KEY`, per round), enough to refuse a second ballot and nothing else; no
  response and no audit event names a rater of any group.
- The masses rate through tokens the branch hands out: each token opens one ballot sheet, once.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from vanguard.core.errors import Conflict, NotFound
from vanguard.core.etag import check_if_match
from vanguard.core.pagination import Page, paginate_by_id
from vanguard.core.permissions import Principal, Scope, in_subtree
from vanguard.core.policy import SCORING_TOKEN_BYTES
from vanguard.core.security import pii, tokens
from vanguard.members.models import Member, MemberStatus, Stage
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation
from vanguard.scoring import engine
from vanguard.scoring.models import (
    Ballot,
    EvaluationRound,
    MassesToken,
    RaterGroup,
    RoundStatus,
    Scheme,
)
from vanguard.scoring.schemas import (
    BallotCreate,
    BallotRead,
    PublicBallots,
    PublicReceipt,
    PublicSheet,
    PublicSheetMember,
    RoundCreate,
    RoundRead,
)
from vanguard.scoring.service import ensure_draft, get_scheme, invalid

EVALUATED_STAGES = (Stage.PROBATIONARY, Stage.FULL)


class RoundNotFound(NotFound):
    code = "round_not_found"
    message_zh = "评议不存在或不在您的管理范围内"
    message_en = "Evaluation round not found, or outside your scope"


class TokenNotFound(NotFound):
    code = "token_not_found"
    message_zh = "评议码无效"
    message_en = "Unknown evaluation token"


class RoundExists(Conflict):
    code = "round_exists"
    message_zh = "该组织在本方案下已有民主评议"
    message_en = "This organisation already has an evaluation round under the scheme"


class RoundClosed(Conflict):
    code = "round_closed"
    message_zh = "民主评议已结束，不能再投票"
    message_en = "The evaluation round is closed"


class BallotExists(Conflict):
    code = "ballot_exists"
    message_zh = "该评议人已对该党员投过票"
    message_en = "This rater has already rated this member"


class TokenUsed(Conflict):
    code = "token_used"
    message_zh = "该评议码已使用"
    message_en = "This token has already been used"


class NotSuperior(Conflict):
    code = "not_superior_org"
    message_zh = "上级组织评议须由该组织上级党组织的用户填写"
    message_en = "Superior-org ballots come from users of an organisation above the evaluated one"


# --- rounds ------------------------------------------------------------------------------------


def _rounds(scope: Scope) -> Select[Any]:
    return (
        select(EvaluationRound)
        .join(Organisation, Organisation.id == EvaluationRound.org_id)
        .where(scope.clause(Organisation.path))
    )


def get_round(session: Session, scope: Scope, round_id: int, *, for_update: bool = False) -> EvaluationRound:
    stmt = _rounds(scope).where(EvaluationRound.id == round_id)
    if for_update:
        stmt = stmt.with_for_update(of=EvaluationRound)
    found: EvaluationRound | None = session.scalars(stmt).one_or_none()
    if found is None:
        raise RoundNotFound()
    return found


def round_to_read(session: Session, r: EvaluationRound) -> RoundRead:
    return rounds_to_read(session, [r])[0]


def rounds_to_read(session: Session, rounds: Sequence[EvaluationRound]) -> list[RoundRead]:
    """Rounds with their ballot and token counts: two grouped queries for the lot, not two per round."""
    ids = [r.id for r in rounds]
    ballots: dict[int, int] = {  # noqa: C416 - rows are Row objects
        round_id: count
        for round_id, count in session.execute(
            select(Ballot.round_id, func.count()).where(Ballot.round_id.in_(ids)).group_by(Ballot.round_id)
        )
    }
    tokens = {
        round_id: (issued, used)
        for round_id, issued, used in session.execute(
            select(MassesToken.round_id, func.count(), func.count(MassesToken.used_at))
            .where(MassesToken.round_id.in_(ids))
            .group_by(MassesToken.round_id)
        )
    }
    return [
        RoundRead(
            id=r.id,
            scheme_id=r.scheme_id,
            org_id=r.org_id,
            status=r.status,
            closed_at=r.closed_at,
            ballots=ballots.get(r.id, 0),
            tokens_issued=tokens.get(r.id, (0, 0))[0],
            tokens_used=tokens.get(r.id, (0, 0))[1],
            version=r.version,
        )
        for r in rounds
    ]


def create_round(session: Session, caller: Principal, scheme_id: int, data: RoundCreate) -> EvaluationRound:
    scheme, path = get_scheme(session, caller.scope, scheme_id)
    ensure_draft(scheme)
    org = orgs.get(session, caller.scope, data.org_id)
    if not in_subtree(org.path, path):
        raise invalid(
            "org_outside_scheme",
            "org_id",
            "该组织不在本方案覆盖范围内",
            "The org is outside the scheme's subtree",
        )
    if session.scalar(
        select(EvaluationRound.id).where(
            EvaluationRound.scheme_id == scheme.id, EvaluationRound.org_id == org.id
        )
    ):
        raise RoundExists()
    r = EvaluationRound(scheme_id=scheme.id, org_id=org.id, status=RoundStatus.OPEN)
    session.add(r)
    session.flush()
    return r


def list_rounds(
    session: Session, scope: Scope, scheme_id: int, *, cursor: str | None, limit: int
) -> Page[RoundRead]:
    get_scheme(session, scope, scheme_id)
    stmt = _rounds(scope).where(EvaluationRound.scheme_id == scheme_id)
    page = paginate_by_id(
        session, stmt, EvaluationRound.id, cursor=cursor, limit=limit, to_item=lambda row: row[0]
    )
    return Page[RoundRead](items=rounds_to_read(session, page.items), next_cursor=page.next_cursor)


def _open(session: Session, r: EvaluationRound) -> None:
    scheme = session.get(Scheme, r.scheme_id)
    assert scheme is not None
    ensure_draft(scheme)
    if r.status is not RoundStatus.OPEN:
        raise RoundClosed()


def close_round(
    session: Session, caller: Principal, round_id: int, if_match: str | None, *, now: datetime
) -> EvaluationRound:
    r = get_round(session, caller.scope, round_id, for_update=True)
    check_if_match(if_match, r.version)
    _open(session, r)
    r.status, r.closed_at = RoundStatus.CLOSED, now
    session.flush()
    return r


# --- ballots -----------------------------------------------------------------------------------


def round_roll(session: Session, org_id: int) -> dict[int, str]:
    """The members a round evaluates: those on the org's roll, probationary or full, in good standing."""
    rows = session.execute(
        select(Member.id, Member.name)
        .where(
            Member.org_id == org_id, Member.status == MemberStatus.NORMAL, Member.stage.in_(EVALUATED_STAGES)
        )
        .order_by(Member.id)
    )
    return {member_id: name for member_id, name in rows}  # noqa: C416 - rows are Row objects


def _not_on_roll(field_name: str) -> Exception:
    return invalid(
        "member_not_in_round",
        field_name,
        "该党员不在本次评议的组织名册上",
        "The member is not on the roll of the organisation being evaluated",
    )


def fellow_key(round_id: int, rater_member_id: int) -> str:
    """A keyed one-way digest: equal for the same rater in the same round, meaningless anywhere else."""
    return "fellow:" + pii.lookup_digest(f"scoring-fellow:{round_id}:{rater_member_id}")


def _value(grade: Any, score: Decimal | None, field_name: str = "grade") -> None:
    if (grade is None) == (score is None):
        raise invalid(
            "ballot_value_required",
            field_name,
            "须给出等次或分数之一",
            "Give either a grade or a score, not both",
        )


def _rater_key(
    session: Session, caller: Principal, r: EvaluationRound, data: BallotCreate, roll: dict[int, str]
) -> str:
    group = data.rater_group
    if group is RaterGroup.MASSES:
        raise invalid(
            "masses_use_tokens", "rater_group", "群众评议须使用评议码", "The masses rate through tokens"
        )
    if group is RaterGroup.SUPERIOR:
        if data.rater_member_id is not None:
            raise invalid(
                "rater_not_expected",
                "rater_member_id",
                "上级评议以当前用户为评议人",
                "Superior ballots are the caller's own",
            )
        holder = session.get(Organisation, caller.org_id) if caller.org_id is not None else None
        org = session.get(Organisation, r.org_id)
        assert org is not None
        if caller.kind != "user" or (
            holder is not None and (holder.path == org.path or not in_subtree(org.path, holder.path))
        ):
            raise NotSuperior()
        return f"user:{caller.id}"
    rater = data.rater_member_id
    if rater is None or rater not in roll:
        raise _not_on_roll("rater_member_id")
    if group is RaterGroup.SELF:
        if rater != data.member_id:
            raise invalid(
                "self_rater_mismatch",
                "rater_member_id",
                "自评须由本人填写",
                "A self-review is the member's own",
            )
        return f"member:{rater}"
    if group is RaterGroup.FELLOW:
        if rater == data.member_id:
            raise invalid(
                "fellow_is_self",
                "rater_member_id",
                "互评不能评自己",
                "Fellow members rate others, not themselves",
            )
        return fellow_key(r.id, rater)
    return f"member:{rater}"


def ballot_to_read(b: Ballot) -> BallotRead:
    return BallotRead(
        id=b.id,
        round_id=b.round_id,
        member_id=b.member_id,
        rater_group=b.rater_group,
        grade=b.grade,
        score=b.score,
        comment=b.comment,
        created_at=b.created_at,
    )


def cast_ballot(session: Session, caller: Principal, round_id: int, data: BallotCreate) -> Ballot:
    r = get_round(session, caller.scope, round_id, for_update=True)
    _open(session, r)
    roll = round_roll(session, r.org_id)
    if data.member_id not in roll:
        raise _not_on_roll("member_id")
    _value(data.grade, data.score)
    key = _rater_key(session, caller, r, data, roll)
    taken = session.scalar(
        select(Ballot.id).where(
            Ballot.round_id == r.id,
            Ballot.member_id == data.member_id,
            Ballot.rater_group == data.rater_group,
            Ballot.rater_key == key,
        )
    )
    if taken is not None:
        raise BallotExists()
    ballot = Ballot(
        round_id=r.id,
        member_id=data.member_id,
        org_id=r.org_id,
        rater_group=data.rater_group,
        rater_key=key,
        grade=data.grade,
        score=engine.cents(data.score) if data.score is not None else None,
        comment=data.comment,
    )
    session.add(ballot)
    session.flush()
    return ballot


def list_ballots(
    session: Session, scope: Scope, round_id: int, *, member_id: int | None, cursor: str | None, limit: int
) -> Page[BallotRead]:
    r = get_round(session, scope, round_id)
    stmt = select(Ballot).where(Ballot.round_id == r.id)
    if member_id is not None:
        stmt = stmt.where(Ballot.member_id == member_id)
    return paginate_by_id(
        session, stmt, Ballot.id, cursor=cursor, limit=limit, to_item=lambda row: ballot_to_read(row[0])
    )


def ballot_values(
    session: Session, scheme_id: int, member_ids: list[int]
) -> dict[int, dict[RaterGroup, list[Decimal]]]:
    """Every ballot of the scheme's rounds for these members, as 0–100 values per rater group."""
    out: dict[int, dict[RaterGroup, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    rows = session.execute(
        select(Ballot.member_id, Ballot.rater_group, Ballot.grade, Ballot.score)
        .join(EvaluationRound, EvaluationRound.id == Ballot.round_id)
        .where(EvaluationRound.scheme_id == scheme_id, Ballot.member_id.in_(member_ids))
        .order_by(Ballot.id)
    )
    for member_id, group, grade, score in rows:
        out[member_id][group].append(engine.ballot_value(grade, score))
    return out


# --- the masses' tokens ------------------------------------------------------------------------


def issue_tokens(session: Session, caller: Principal, round_id: int, count: int) -> list[str]:
    r = get_round(session, caller.scope, round_id, for_update=True)
    _open(session, r)
    issued = [secrets.token_urlsafe(SCORING_TOKEN_BYTES) for _ in range(count)]
    session.add_all(
        MassesToken(round_id=r.id, org_id=r.org_id, token_digest=tokens.digest(t)) for t in issued
    )
    session.flush()
    return issued


def _token(session: Session, raw: str, *, for_update: bool = False) -> tuple[MassesToken, EvaluationRound]:
    stmt = select(MassesToken).where(MassesToken.token_digest == tokens.digest(raw))
    if for_update:
        stmt = stmt.with_for_update()
    token = session.scalars(stmt).one_or_none()
    if token is None:
        raise TokenNotFound()
    r = session.get(EvaluationRound, token.round_id)
    assert r is not None
    if token.used_at is not None:
        raise TokenUsed()
    _open(session, r)
    return token, r


def public_sheet(session: Session, raw: str) -> PublicSheet:
    """The ballot sheet a token opens: the org's name and the members to rate (names only)."""
    _, r = _token(session, raw)
    org = session.get(Organisation, r.org_id)
    scheme = session.get(Scheme, r.scheme_id)
    assert org is not None
    assert scheme is not None
    return PublicSheet(
        org_name=org.name,
        year=scheme.year,
        quarter=scheme.quarter or None,
        members=[PublicSheetMember(member_id=m, name=n) for m, n in round_roll(session, r.org_id).items()],
    )


def submit_public(session: Session, raw: str, data: PublicBallots, *, now: datetime) -> PublicReceipt:
    """All of a sheet's ballots or none; the token is spent with them."""
    token, r = _token(session, raw, for_update=True)
    roll = round_roll(session, r.org_id)
    seen: set[int] = set()
    for i, b in enumerate(data.ballots):
        if b.member_id not in roll:
            raise _not_on_roll(f"ballots.{i}.member_id")
        if b.member_id in seen:
            raise invalid(
                "ballot_repeated", f"ballots.{i}.member_id", "同一党员只能评一次", "One ballot per member"
            )
        seen.add(b.member_id)
        _value(b.grade, b.score, f"ballots.{i}.grade")
    key = f"token:{token.id}"
    session.add_all(
        Ballot(
            round_id=r.id,
            member_id=b.member_id,
            org_id=r.org_id,
            rater_group=RaterGroup.MASSES,
            rater_key=key,
            grade=b.grade,
            score=engine.cents(b.score) if b.score is not None else None,
            comment=b.comment,
        )
        for b in data.ballots
    )
    token.used_at = now
    session.flush()
    return PublicReceipt(accepted=len(data.ballots))
