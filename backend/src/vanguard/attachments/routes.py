from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile, status

from vanguard.attachments import service
from vanguard.attachments.schemas import AttachmentRead
from vanguard.auth.deps import MemberReader, MemberWriter
from vanguard.core import policy
from vanguard.core.deps import SessionDep
from vanguard.core.downloads import content_disposition
from vanguard.core.errors import Forbidden, InvalidInput, NotFound, problem_responses
from vanguard.core.exports import add_export_route, col
from vanguard.core.pagination import DEFAULT_LIMIT, Cursor, Limit, Page

router = APIRouter(prefix="/attachments", tags=["attachments"])

_read_errors = problem_responses(NotFound, InvalidInput)


@router.post(
    "",
    response_model=AttachmentRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(
        NotFound, Forbidden, InvalidInput, service.AttachmentTooLarge, service.UnsupportedAttachmentType
    ),
)
async def upload_attachment(
    session: SessionDep,
    caller: MemberWriter,
    file: Annotated[UploadFile, File(description="At most ATTACHMENT_MAX_BYTES (10 MiB)")],
    org_id: Annotated[int, Form(description="The organisation whose records the file documents")],
    request: Request,
    response: Response,
) -> AttachmentRead:
    """Upload a study material or a visit photo; link it by id from the record it documents.

    Accepted: PDF, JPEG, PNG, GIF, WebP, Word, Excel, PowerPoint and UTF-8 text, checked by content."""
    data = await file.read(policy.ATTACHMENT_MAX_BYTES + 1)  # one byte more tells "too large" apart
    attachment = service.store(session, caller, org_id, file.filename or "upload", data)
    response.headers["Location"] = request.url_for("get_attachment", attachment_id=attachment.id).path
    return service.to_read(attachment)


@router.get("", response_model=Page[AttachmentRead], responses=_read_errors)
def list_attachments(
    session: SessionDep,
    caller: MemberReader,
    org_id: Annotated[int, Query(description="Files uploaded for this organisation")],
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[AttachmentRead]:
    return service.list_attachments(session, caller.scope, org_id, cursor=cursor, limit=limit)


add_export_route(
    router,
    list_attachments,
    kind="attachments",
    title="附件",
    org_param="org_id",
    columns=[
        col("编号", "id", width=8),
        col("党组织编号", "org_id", width=10),
        col("文件名", "filename", width=30),
        col("类型", "content_type", width=24),
        col("大小（字节）", "size", width=12),
        col("SHA-256校验值", "sha256", width=66),
        col("上传时间", "created_at", width=18),
    ],
)


@router.get("/{attachment_id}", response_model=AttachmentRead, responses=_read_errors)
def get_attachment(session: SessionDep, caller: MemberReader, attachment_id: int) -> AttachmentRead:
    return service.to_read(service.get_attachment(session, caller.scope, attachment_id))


@router.get(
    "/{attachment_id}/content",
    response_class=Response,
    responses={
        # Served as the type its content was checked to be.
        200: {
            "content": {media_type: {} for media_type in sorted(set(policy.ATTACHMENT_TYPES.values()))},
            "description": "The file",
        },
        **_read_errors,
    },
)
def download_attachment(session: SessionDep, caller: MemberReader, attachment_id: int) -> Response:
    attachment, data = service.content(session, caller.scope, attachment_id)
    return Response(
        data,
        media_type=attachment.content_type,
        headers={
            "Content-Disposition": content_disposition(attachment.filename),
            "ETag": f'"{attachment.sha256}"',
            # The bytes never change under an id; sniffing could turn a text file into script.
            "Cache-Control": "private, max-age=86400, immutable",
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.delete(
    "/{attachment_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(NotFound, Forbidden, service.AttachmentInUse),
)
def delete_attachment(session: SessionDep, caller: MemberWriter, attachment_id: int) -> None:
    """Delete a file no record links to any more."""
    service.delete(session, caller.scope, attachment_id)
