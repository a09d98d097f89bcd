"""A handful of the masses' complaints for the demo county, at every point of the workflow, put
through the real complaints service as the county organisation department would (so the board,
the overdue list, timelines and ratings all have something to show after `make run`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from vanguard.auth.service import user_principal
from vanguard.complaints import service as complaints
from vanguard.complaints.models import Channel, ClosureReason, Complaint, Urgency
from vanguard.complaints.schemas import (
    ComplaintAssign,
    ComplaintClose,
    ComplaintCreate,
    ComplaintRating,
    ComplaintResolve,
    ComplaintStart,
)
from vanguard.core.permissions import Principal
from vanguard.users.models import User


@dataclass(frozen=True)
class DemoComplaint:
    days_ago: int
    category: str
    title: str
    description: str
    village: str
    channel: Channel = Channel.HOTLINE
    urgency: Urgency = Urgency.NORMAL
    # How far it has come: received, accepted, assigned, in_progress, resolved or closed.
    reached: str = "received"


COMPLAINTS = [
    DemoComplaint(1, "roads", "村口道路塌陷", "村口主路塌陷约两米，雨天无法通行，请尽快修复。", "柳树村"),
    DemoComplaint(
        2,
        "pension",
        "养老金迟迟未到账",
        "本人今年六十岁，办理养老金领取三个月仍未到账。",
        "石桥社区",
        Channel.WEB,
    ),
    DemoComplaint(
        24,
        "homestead",
        "宅基地审批无人答复",
        "去年底提交的宅基地申请至今没有答复。",
        "河口村",
        Channel.LETTER,
    ),
    DemoComplaint(
        20,
        "pollution",
        "养殖场污水直排",
        "村东养殖场污水直排入河，气味很大。",
        "东坝村",
        urgency=Urgency.URGENT,
    ),
    DemoComplaint(
        6,
        "water_power",
        "自来水经常停水",
        "近一个月每周停水两三次，没有通知。",
        "城关社区",
        reached="accepted",
    ),
    DemoComplaint(
        9,
        "sanitation",
        "垃圾清运不及时",
        "小区垃圾站三天没有清运。",
        "城关社区",
        Channel.WEB,
        reached="assigned",
    ),
    DemoComplaint(
        12,
        "disputes",
        "邻里宅基地边界纠纷",
        "与邻居因院墙边界发生纠纷，请村里调解。",
        "柳树村",
        reached="in_progress",
    ),
    DemoComplaint(
        15,
        "subsistence",
        "低保资格复核",
        "家中老人患病，申请重新核定低保资格。",
        "南湖村",
        Channel.VISIT,
        reached="resolved",
    ),
    DemoComplaint(
        30,
        "safety_hazards",
        "桥梁护栏损坏",
        "学校门口小桥护栏损坏，学生上学有危险。",
        "白沙村",
        reached="closed",
    ),
]


def seed_complaints(session: Session, *, department: User, secretary: User, now: datetime) -> int:
    """Walk each demo complaint as far as it has come; the department hands items to the secretary."""
    staff = user_principal(session, department)
    branch_id = secretary.org_id
    if branch_id is None:
        raise ValueError("the demo secretary belongs to a branch")
    for demo in COMPLAINTS:
        at = now - timedelta(days=demo.days_ago)
        item = complaints.create(
            session,
            staff,
            ComplaintCreate(
                category=demo.category,
                title=demo.title,
                description=demo.description,
                village=demo.village,
                location_text=demo.village,
                channel=demo.channel,
                urgency=demo.urgency,
                reporter_name="王秀英",
                reporter_phone="13800001234",
            ),
            at,
        )
        for step in STEPS[1 : STEPS.index(demo.reached) + 1]:
            at += timedelta(days=1)
            _advance(session, staff, item, step, branch_id, secretary.id, at)
    return len(COMPLAINTS)


STEPS = ["received", "accepted", "assigned", "in_progress", "resolved", "closed"]


def _advance(
    session: Session,
    staff: Principal,
    item: Complaint,
    step: str,
    branch_id: int,
    secretary_id: int,
    at: datetime,
) -> None:
    match step:
        case "accepted":
            complaints.accept(session, staff, item.id, at, None, None)
        case "assigned":
            assignment = ComplaintAssign(org_id=branch_id, responsible_user_id=secretary_id)
            complaints.assign(session, staff, item.id, assignment, at, None)
        case "in_progress":
            promise = ComplaintStart(promise="一周内组织双方现场调解", promised_by=at + timedelta(days=7))
            complaints.start(session, staff, item.id, promise, at, None)
        case "resolved":
            complaints.resolve(session, staff, item.id, ComplaintResolve(result="已办结并回访"), at, None)
        case "closed":
            complaints.rate(session, item.tracking_code, ComplaintRating(rating=5, comment="处理及时"), at)
            complaints.close(session, staff, item.id, ComplaintClose(reason=ClosureReason.FIXED), at, None)
