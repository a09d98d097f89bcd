"""Every way a pipeline command can be refused, each with its stable code.

Rule violations (a guard of DESIGN.md §3 / 发展党员工作细则) are 409 and name the rule and the
dates involved; input that cannot be true (future dates, dates before birth or before the previous
step) is 422 and names the field.
"""

from __future__ import annotations

from vanguard.core.errors import Conflict, FieldError, InvalidInput


class RuleViolation(Conflict):
    """A development rule refuses the command; subclasses name the rule in their code."""

    code = "development_rule_violated"
    message_zh = "不符合发展党员工作规定"
    message_en = "Refused by a rule of the development procedure"


class MemberNotActive(RuleViolation):
    code = "member_not_active"
    message_zh = "该人员已不在册，不能继续发展程序"
    message_en = "This person has left the roll; the procedure cannot continue"


class StageOutOfOrder(RuleViolation):
    code = "stage_out_of_order"
    message_zh = "发展程序步骤顺序不符"
    message_en = "This step is out of order"


class BirthDateUnknown(RuleViolation):
    code = "birth_date_unknown"
    message_zh = "未登记出生日期，无法核实年满十八岁"
    message_en = "The birth date is not recorded, so the minimum age cannot be checked"


class StageDateUnknown(RuleViolation):
    code = "stage_date_unknown"
    message_zh = "未登记当前阶段的开始日期（如递交申请、确定积极分子的日期）"
    message_en = "The date the current stage began (application, activist…) is not recorded"


class ApplicantUnder18(RuleViolation):
    code = "applicant_under_18"
    message_zh = "递交入党申请时未满十八周岁"
    message_en = "The applicant was under 18 when applying"


class TalkAlreadyHeld(RuleViolation):
    code = "talk_already_held"
    message_zh = "已记录过对本次入党申请的谈话"
    message_en = "The talk about this application is already recorded"


class TalkOverdue(RuleViolation):
    code = "talk_overdue"
    message_zh = "谈话应在收到入党申请书后一个月内进行"
    message_en = "The talk must be held within one month of the application"


class MentorNotEligible(RuleViolation):
    code = "mentor_not_eligible"
    message_zh = "培养联系人须为本支部的正式党员"
    message_en = "Mentors must be full members of the same organisation"


class IntroducerNotEligible(RuleViolation):
    code = "introducer_not_eligible"
    message_zh = "入党介绍人须为本支部的正式党员"
    message_en = "Introducers must be full members of the same organisation"


class ActivistPeriodTooShort(RuleViolation):
    code = "activist_period_too_short"
    message_zh = "入党积极分子须经过一年以上培养教育和考察，才能列为发展对象"
    message_en = "An activist must be trained and observed for a year before becoming a candidate"


class PoliticalReviewMissing(RuleViolation):
    code = "political_review_missing"
    message_zh = "发展对象未经政治审查或政治审查不合格，不能发展入党"
    message_en = "No passed political review before the meeting"


class TrainingInsufficient(RuleViolation):
    code = "training_insufficient"
    message_zh = "发展对象未完成规定的短期集中培训"
    message_en = "The candidate has not completed the required concentrated training"


class PublicNoticeTooShort(RuleViolation):
    code = "public_notice_too_short"
    message_zh = "公示期不足或未在支部大会前结束"
    message_en = "The public notice was too short, or did not end before the branch meeting"


class QuorumNotMet(RuleViolation):
    code = "quorum_not_met"
    message_zh = "到会有表决权的党员未超过应到会人数的半数"
    message_en = "Fewer than half of the members entitled to vote attended"


class MajorityNotReached(RuleViolation):
    code = "majority_not_reached"
    message_zh = "赞成人数未超过应到会有表决权党员的半数，决议未通过"
    message_en = "Votes for did not exceed half of the members entitled to vote"


class ApprovalPending(RuleViolation):
    code = "approval_pending"
    message_zh = "上一项决议尚待上级党委审批"
    message_en = "The previous decision still awaits the superior committee's approval"


class NothingToApprove(RuleViolation):
    code = "nothing_to_approve"
    message_zh = "没有待上级党委审批的决议"
    message_en = "There is no decision awaiting approval"


class ApprovalTooLate(RuleViolation):
    code = "approval_too_late"
    message_zh = "上级党委应在支部大会决议后三个月内审批"
    message_en = "The superior committee must decide within three months of the branch meeting"


class ProbationNotOver(RuleViolation):
    code = "probation_not_over"
    message_zh = "预备期未满"
    message_en = "The probation has not ended yet"


class ExtensionTooLong(RuleViolation):
    code = "extension_too_long"
    message_zh = "延长预备期最长不超过一年"
    message_en = "Probation may be extended by at most one year"


class ExtensionTooShort(RuleViolation):
    code = "extension_too_short"
    message_zh = "延长预备期不能少于半年"
    message_en = "Probation may not be extended by less than half a year"


class AlreadyExtended(RuleViolation):
    code = "probation_already_extended"
    message_zh = "预备期只能延长一次"
    message_en = "Probation can be extended only once"


class BadDate(InvalidInput):
    """A date that cannot be true; `field` names it (e.g. `body.decided_on`)."""

    code = "invalid_date"

    def __init__(self, field: str, zh: str, en: str) -> None:
        super().__init__(zh, en, errors=[FieldError.of(f"body.{field}", self.code, zh, en)])


class DateInFuture(BadDate):
    code = "date_in_future"
    message_zh = "日期不能晚于今天"
    message_en = "The date cannot be in the future"


class DateBeforeBirth(BadDate):
    code = "date_before_birth"
    message_zh = "日期不能早于出生日期"
    message_en = "The date cannot precede the birth date"


class DateBeforePreviousStep(BadDate):
    code = "date_before_previous_step"
    message_zh = "日期不能早于上一步骤"
    message_en = "The date cannot precede the previous step"


RULE_ERRORS: tuple[type[RuleViolation], ...] = (
    MemberNotActive,
    StageOutOfOrder,
    BirthDateUnknown,
    StageDateUnknown,
    ApplicantUnder18,
    TalkAlreadyHeld,
    TalkOverdue,
    MentorNotEligible,
    IntroducerNotEligible,
    ActivistPeriodTooShort,
    PoliticalReviewMissing,
    TrainingInsufficient,
    PublicNoticeTooShort,
    QuorumNotMet,
    MajorityNotReached,
    ApprovalPending,
    NothingToApprove,
    ApprovalTooLate,
    ProbationNotOver,
    ExtensionTooLong,
    ExtensionTooShort,
    AlreadyExtended,
)
