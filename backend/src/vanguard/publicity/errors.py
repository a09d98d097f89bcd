"""The openness feature's errors: each a stable machine `code` with zh/en messages."""

from __future__ import annotations

from vanguard.core.errors import Conflict, FieldError, InvalidInput, NotFound


class PublicationNotFound(NotFound):
    code = "publication_not_found"
    message_zh = "公开事项不存在或不在您的查看范围内"
    message_en = "Publication not found, or outside what you may see"


class FeedbackNotFound(NotFound):
    code = "feedback_not_found"
    message_zh = "反馈意见不存在"
    message_en = "Feedback not found"


class PublicationMemberNotFound(NotFound):
    code = "member_not_found"
    message_zh = "党员不存在或不属于发布组织"
    message_en = "Member not found, or not of the publishing organisation"


class FieldNotPublishable(InvalidInput):
    code = "field_not_publishable"
    message_zh = "该字段不在此类公开事项允许公开的范围内"
    message_en = "This field may not be published for this kind of item"

    @classmethod
    def named(cls, field_name: str, kind: str | None) -> FieldNotPublishable:
        """422 naming the field: personal data (or anything else) outside the kind's allow-list."""
        what_zh = f"“{kind}”类公开事项" if kind else "公开事项"
        what_en = f"a {kind} item" if kind else "a published item"
        zh = (
            f"字段 {field_name} 不允许公开：{what_zh}只能公开允许的字段，"
            "不得包含身份证号、电话、出生日期、住址等个人信息"
        )
        en = (
            f"Field {field_name} may not be published: {what_en} carries only its allowed fields, never "
            "personal data such as ID number, phone, birth date or address"
        )
        error = FieldError.of(f"body.{field_name}", cls.code, zh, en)
        return cls(zh, en, errors=[error])


class FieldRequired(InvalidInput):
    code = "field_required"
    message_zh = "此类公开事项须填写该字段"
    message_en = "This kind of item needs this field"


class EndsBeforeStart(InvalidInput):
    code = "ends_before_start"
    message_zh = "公开期结束日期不能早于开始日期"
    message_en = "The period cannot end before it starts"


class DuplicateMember(InvalidInput):
    code = "duplicate_member"
    message_zh = "同一党员在名单中重复出现"
    message_en = "The same member appears twice in the list"


class NotUnderNotice(Conflict):
    code = "member_not_under_notice"
    message_zh = "只有发展对象或预备党员可以公示"
    message_en = "Only a candidate or a probationary member can be put under public notice"


class PublicationNotDraft(Conflict):
    code = "publication_not_draft"
    message_zh = "只有草稿可以修改或发布"
    message_en = "Only a draft can be edited or published"


class PublicationNotPublished(Conflict):
    code = "publication_not_published"
    message_zh = "只有已发布的事项可以撤回或接受反馈"
    message_en = "Only a published item can be withdrawn or receive feedback"


class PeriodOver(Conflict):
    code = "period_over"
    message_zh = "公开期已结束"
    message_en = "The publication period is over"


class FeedbackClosed(Conflict):
    code = "feedback_closed"
    message_zh = "不在公开期内，不能提出反馈"
    message_en = "Feedback can be filed only within the publication period"


class NotAnObjection(Conflict):
    code = "not_an_objection"
    message_zh = "只有异议需要答复"
    message_en = "Only an objection is answered"


class AlreadyAnswered(Conflict):
    code = "already_answered"
    message_zh = "该异议已答复"
    message_en = "This objection has already been answered"


class ObjectionsUnanswered(Conflict):
    code = "objections_unanswered"
    message_zh = "公示期间收到的异议尚未答复"
    message_en = "Objections to the public notice are still unanswered"

    @classmethod
    def count(cls, name: str, count: int) -> ObjectionsUnanswered:
        return cls(
            f"{name}的公示尚有 {count} 条异议未答复，答复后方可进行下一步",
            f"{count} objection(s) to {name}'s public notice are unanswered; "
            "answer them before the next step",
        )
