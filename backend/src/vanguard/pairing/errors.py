"""The pairing feature's errors: each a stable machine `code` with zh/en messages."""

from __future__ import annotations

from vanguard.core.errors import Conflict, InvalidInput, NotFound
from vanguard.core.policy import PAIRING_MAX_ACTIVE_PAIRS_PER_BENEFICIARY, PAIRING_MAX_ACTIVE_PAIRS_PER_HELPER

_MAX_PER_BENEFICIARY = PAIRING_MAX_ACTIVE_PAIRS_PER_BENEFICIARY


class BeneficiaryNotFound(NotFound):
    code = "beneficiary_not_found"
    message_zh = "帮扶对象不存在或不在您的管理范围内"
    message_en = "Beneficiary not found, or outside your scope"


class PairNotFound(NotFound):
    code = "pair_not_found"
    message_zh = "结对关系不存在或不在您的管理范围内"
    message_en = "Pair not found, or outside your scope"


class HelperNotFound(NotFound):
    code = "helper_not_found"
    message_zh = "帮扶人不存在或不在您的管理范围内"
    message_en = "Helper not found, or outside your scope"


class TaskNotFound(NotFound):
    code = "task_not_found"
    message_zh = "必访任务不存在或不在您的管理范围内"
    message_en = "Must-visit task not found, or outside your scope"


class VisitNotFound(NotFound):
    code = "visit_not_found"
    message_zh = "走访记录不存在或不在您的管理范围内"
    message_en = "Visit not found, or outside your scope"


class DuplicateBeneficiary(Conflict):
    code = "duplicate_beneficiary"
    message_zh = "该党员已登记为帮扶对象"
    message_en = "This member is already registered as a beneficiary"


class DuplicateActivePair(Conflict):
    code = "duplicate_active_pair"
    message_zh = "该帮扶人与帮扶对象已有进行中的结对"
    message_en = "This helper already has an active pair with this beneficiary"


class HelperPairLimit(Conflict):
    code = "helper_pair_limit"
    message_zh = f"帮扶人进行中的结对已达上限（{PAIRING_MAX_ACTIVE_PAIRS_PER_HELPER}个）"
    message_en = (
        f"The helper already has the most active pairs allowed ({PAIRING_MAX_ACTIVE_PAIRS_PER_HELPER})"
    )


class BeneficiaryPairLimit(Conflict):
    code = "beneficiary_pair_limit"
    message_zh = f"帮扶对象进行中的结对已达上限（{_MAX_PER_BENEFICIARY}个）"
    message_en = f"The beneficiary already has the most active pairs allowed ({_MAX_PER_BENEFICIARY})"


class PairNotActive(Conflict):
    code = "pair_not_active"
    message_zh = "该结对已结束"
    message_en = "This pair has already ended"


class HelperInactive(Conflict):
    code = "helper_inactive"
    message_zh = "该帮扶人账号已停用"
    message_en = "The helper's account is disabled"


class TaskNotOpen(Conflict):
    code = "task_not_open"
    message_zh = "该必访任务已走访或已关闭"
    message_en = "This must-visit task is already visited or closed"


class VisitClosedTask(Conflict):
    code = "visit_closed_task"
    message_zh = "该走访已销号必访任务，不能修改类型或改到事件发生之前"
    message_en = (
        "This visit closed a must-visit task: its type cannot change, nor its date move before the event"
    )


class NoFollowUp(Conflict):
    code = "no_follow_up"
    message_zh = "该走访没有后续事项"
    message_en = "This visit has no follow-up"


class HelperChoiceInvalid(InvalidInput):
    code = "helper_choice_invalid"
    message_zh = "帮扶人须且只能指定党员或干部账号之一"
    message_en = "Give exactly one helper: helper_member_id or helper_user_id"


class HelperNotCadre(InvalidInput):
    code = "helper_not_cadre"
    message_zh = "只有组织管理员或书记账号可以作为干部帮扶人"
    message_en = "Only an org_admin or secretary account can be a cadre helper"


class FieldRequired(InvalidInput):
    code = "field_required"
    message_zh = "该字段不能为空"
    message_en = "This field cannot be null"


class FollowUpMissing(InvalidInput):
    code = "follow_up_missing"
    message_zh = "跟进期限须配有后续事项"
    message_en = "A follow-up due date needs the follow-up itself"


class HelperIsBeneficiary(InvalidInput):
    code = "helper_is_beneficiary"
    message_zh = "帮扶人不能与帮扶对象为同一人"
    message_en = "A member cannot help themselves"


class BeneficiaryDetailsInvalid(InvalidInput):
    code = "beneficiary_details_invalid"
    message_zh = "困难党员须指定党员；联系户须指定组织和户主，且不能关联党员"
    message_en = "A member beneficiary needs member_id; a household needs org_id and head_name, and no member"


class EndsBeforeStart(InvalidInput):
    code = "ends_before_start"
    message_zh = "结束日期不能早于开始日期"
    message_en = "The end cannot be before the start"


class EndReasonRequired(InvalidInput):
    code = "end_reason_required"
    message_zh = "提前终止结对须说明原因"
    message_en = "Ending a pair early needs a reason"


class EndStatusInvalid(InvalidInput):
    code = "end_status_invalid"
    message_zh = "结束状态只能是已完成或提前终止"
    message_en = "A pair ends as completed or ended_early"


class VisitOutsidePair(InvalidInput):
    code = "visit_outside_pair"
    message_zh = "走访日期须在结对的起止日期之内"
    message_en = "The visit date must fall within the pair's start and end"


class PairEndsBeforeLastVisit(InvalidInput):
    code = "pair_ends_before_last_visit"
    message_zh = "结束日期不能早于最后一次走访"
    message_en = "The pair cannot end before its last visit"


class FollowUpBeforeVisit(InvalidInput):
    code = "follow_up_before_visit"
    message_zh = "跟进期限不能早于走访日期"
    message_en = "A follow-up cannot fall due before the visit"
