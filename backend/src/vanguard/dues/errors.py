"""Every way a dues command can be refused, each with its own code and bilingual message."""

from __future__ import annotations

from vanguard.core import policy
from vanguard.core.errors import Conflict, Forbidden, InvalidInput, NotFound

# Errors ------------------------------------------------------------------------------------------


class IncomeRequired(InvalidInput):
    code = "dues_income_required"
    message_zh = "该类别党员须填写税后月收入作为党费计算基数"
    message_en = "This category pays on income: give the after-tax monthly income"


class IncomeNegative(InvalidInput):
    code = "dues_income_negative"
    message_zh = "月收入不能为负数"
    message_en = "The monthly income cannot be negative"


class RuralAmountRequired(InvalidInput):
    code = "dues_rural_amount_required"
    message_zh = "农民党员须选定每月交纳的党费金额（0.2元至1元）"
    message_en = "Rural members pay a chosen fixed amount: give fixed_amount (0.20-1.00)"


class RuralAmountOutOfRange(InvalidInput):
    code = "dues_rural_amount_out_of_range"
    message_zh = "农民党员每月交纳党费0.2元至1元"
    message_en = "Rural members pay between 0.20 and 1.00 a month"


class FixedAmountNotApplicable(InvalidInput):
    code = "dues_fixed_amount_not_applicable"
    message_zh = "只有农民党员可以选定固定金额"
    message_en = "Only rural members pay a chosen fixed amount"


class BaseBeforeRules(InvalidInput):
    code = "dues_base_before_2008_rules"
    message_zh = "党费计算基数只能从2008年4月（现行党费规定施行）起设定"
    message_en = "Dues bases start no earlier than April 2008, when the current rules took effect"


class NotPayable(InvalidInput):
    code = "dues_not_payable"
    message_zh = "该党员在该月份无需交纳党费（尚未成为预备党员或已不在党籍）"
    message_en = "The member owes no dues for that month (not yet a probationary member, or has left)"


class PrepaymentTooFar(InvalidInput):
    code = "dues_prepayment_too_far"
    message_zh = f"最多预交{policy.DUES_MAX_PREPAY_MONTHS}个月的党费"
    message_en = f"Dues may be prepaid at most {policy.DUES_MAX_PREPAY_MONTHS} months ahead"


class PaidOnInFuture(InvalidInput):
    code = "dues_paid_on_in_future"
    message_zh = "交纳日期不能晚于今天"
    message_en = "The payment date cannot be in the future"


class AmountInvalid(InvalidInput):
    code = "dues_amount_invalid"
    message_zh = "交纳金额须大于零（更正金额不能为零）"
    message_en = "A payment must be more than zero (a correction cannot be zero)"


class CorrectionNeedsNote(InvalidInput):
    code = "dues_correction_needs_note"
    message_zh = "更正须说明原因"
    message_en = "A correction needs a note saying why"


class BaseMissing(Conflict):
    code = "dues_base_missing"
    message_zh = "该月份尚未设定党费计算基数，请先设定"
    message_en = "No dues base is in effect for that month; set one first"


class MonthAlreadyPaid(Conflict):
    code = "dues_month_already_paid"
    message_zh = "该月份党费已登记交纳；如需补交或更正，请登记更正"
    message_en = "That month is already paid; record a correction to top up or fix it"


class NothingToCorrect(Conflict):
    code = "dues_correction_without_payment"
    message_zh = "该月份尚无交纳记录，无可更正"
    message_en = "That month has no payment to correct"


class CorrectionBelowZero(Conflict):
    code = "dues_correction_below_zero"
    message_zh = "更正后该月交纳总额不能为负数"
    message_en = "The correction would make the month's total paid negative"


class AsOfInFuture(InvalidInput):
    code = "dues_as_of_in_future"
    message_zh = "统计月份不能晚于本月"
    message_en = "as_of cannot be later than the current month"


class ReductionNotFound(NotFound):
    code = "dues_reduction_not_found"
    message_zh = "减免申请不存在或不在您的管理范围内"
    message_en = "Dues reduction not found, or outside your scope"


class ReductionRangeInvalid(InvalidInput):
    code = "dues_reduction_range_invalid"
    message_zh = "减免的结束月份不能早于开始月份"
    message_en = "to_month cannot be before from_month"


class ReductionTooLong(InvalidInput):
    code = "dues_reduction_too_long"
    message_zh = f"一次减免最长{policy.DUES_MAX_REDUCTION_MONTHS}个月"
    message_en = f"A reduction covers at most {policy.DUES_MAX_REDUCTION_MONTHS} months"


class ReducedAmountRequired(InvalidInput):
    code = "dues_reduced_amount_required"
    message_zh = "少交须填写减少后的每月金额；免交不填"
    message_en = "A reduction needs reduced_amount; a waiver takes none"


class ReductionOverlap(Conflict):
    code = "dues_reduction_overlap"
    message_zh = "该期间已有未被驳回的减免申请"
    message_en = "Another reduction that was not rejected covers some of these months"


class InvalidTransition(Conflict):
    code = "dues_reduction_invalid_transition"
    message_zh = "减免申请当前状态下不能执行此操作"
    message_en = "The reduction is not in a state that allows this"


class DecisionNeedsUser(Forbidden):
    code = "dues_decision_needs_user"
    message_zh = "党费减免须由党组织的工作人员审核审批"
    message_en = "Reductions are reviewed and approved by people, not service accounts"


class NotBranchReviewer(Forbidden):
    code = "dues_review_outside_branch"
    message_zh = "只有该党员所在党支部（或其上级）可以研究减免申请"
    message_en = "Only the member's branch (or an organisation above it) may review the request"


class NotSuperiorCommittee(Forbidden):
    code = "dues_approval_needs_superior_committee"
    message_zh = "减免须由党支部的上一级党委批准"
    message_en = "A reduction is approved by the committee above the member's branch"


class ApproverIsReviewer(Forbidden):
    code = "dues_approver_is_reviewer"
    message_zh = "审批人不能与支部审核人为同一人"
    message_en = "The approver must be someone other than the branch reviewer"
