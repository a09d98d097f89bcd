"""Jobs: long work (imports, recomputations) with progress, ETA and cancellation. Thin over jobs.service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from vanguard.auth.deps import CurrentPrincipal
from vanguard.core.deps import SessionDep
from vanguard.core.errors import Conflict, Forbidden, InvalidInput, NotFound, problem_responses
from vanguard.core.exports import add_export_route, col
from vanguard.core.pagination import DEFAULT_LIMIT, Cursor, Limit, Page
from vanguard.jobs import service
from vanguard.jobs.models import JobState
from vanguard.jobs.schemas import JobRead, JobSummary

JobId = Annotated[int, Path(ge=1, le=2**31 - 1)]
router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("", response_model=Page[JobSummary], responses=problem_responses(InvalidInput))
def list_jobs(
    session: SessionDep,
    caller: CurrentPrincipal,
    kind: Annotated[str | None, Query(max_length=32, description="e.g. `import.members`")] = None,
    state: JobState | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[JobSummary]:
    """Newest first: the jobs you started, and with `jobs:read` every job on an org in your subtree."""
    return service.list_jobs(session, caller, kind=kind, state=state, cursor=cursor, limit=limit)


JOB_KIND_ZH = {
    "import.members": "导入党员名册",
    "import.orgs": "导入组织架构",
    "import.attendance": "导入学习出勤",
    "import.pairing": "导入结对帮扶台账",
    "import.complaints": "导入群众诉求",
    "scoring.recompute": "积分计算",
}
JOB_STATE_ZH = {
    JobState.QUEUED: "排队中",
    JobState.RUNNING: "运行中",
    JobState.SUCCEEDED: "已完成",
    JobState.FAILED: "失败",
    JobState.CANCELLED: "已取消",
}

add_export_route(
    router,
    list_jobs,
    kind="jobs",
    title="后台任务",
    columns=[
        col("编号", "id", width=8),
        col("任务类型", "kind", labels=JOB_KIND_ZH, width=16),
        col("党组织编号", "org_id", width=10),
        col("状态", "state", labels=JOB_STATE_ZH, width=8),
        col("总数", "total", width=8),
        col("已处理", "done", width=8),
        col("失败数", "failed", width=8),
        col("进度", "progress", width=8),
        col("请求取消", "cancel_requested", width=8),
        col("发起人", "created_by.name", width=16),
        col("创建时间", "created_at", width=18),
        col("开始时间", "started_at", width=18),
        col("结束时间", "finished_at", width=18),
    ],
)


@router.get("/{job_id}", response_model=JobRead, responses=problem_responses(NotFound, Forbidden))
def get_job(session: SessionDep, caller: CurrentPrincipal, job_id: JobId) -> JobRead:
    """State, counts (`done`, `failed`, `total`), rate and ETA, and when finished the result or error.
    Poll it for a progress bar; the creator and those holding `jobs:read` over the job's org see it."""
    return service.read(session, caller, job_id)


@router.post(
    "/{job_id}/cancel", response_model=JobRead, responses=problem_responses(NotFound, Forbidden, Conflict)
)
def cancel_job(session: SessionDep, caller: CurrentPrincipal, job_id: JobId) -> JobRead:
    """The job stops at its next chunk and rolls back everything it did (poll until `state` is
    `cancelled`; a job still queued may be cancelled at once). 409 `job_finished` when it has ended."""
    return service.cancel(session, caller, job_id)
