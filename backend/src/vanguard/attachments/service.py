"""Uploaded files: type checked against the content, size bounded, scoped to an org like everything else."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import PurePath

import puremagic
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from vanguard.attachments.models import Attachment, AttachmentContent
from vanguard.attachments.schemas import AttachmentRead
from vanguard.core import policy
from vanguard.core.errors import AppError, Conflict, FieldError, InvalidInput, NotFound
from vanguard.core.pagination import Page, paginate_by_id
from vanguard.core.permissions import Principal, Scope
from vanguard.orgs import service as orgs
from vanguard.orgs.models import Organisation


class AttachmentNotFound(NotFound):
    code = "attachment_not_found"
    message_zh = "未找到该附件"
    message_en = "Attachment not found"


class AttachmentTooLarge(AppError):
    status = 413
    code = "attachment_too_large"
    message_zh = f"附件不能超过 {policy.ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB"
    message_en = f"Attachments may not exceed {policy.ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB"


class UnsupportedAttachmentType(AppError):
    status = 415
    code = "unsupported_attachment_type"
    message_zh = "不支持的附件类型，或文件内容与扩展名不符"
    message_en = "Unsupported file type, or the content does not match the file name's extension"


class EmptyAttachment(InvalidInput):
    code = "attachment_empty"
    message_zh = "附件为空"
    message_en = "The file is empty"


class AttachmentInUse(Conflict):
    code = "attachment_in_use"
    message_zh = "附件仍被记录引用，不能删除"
    message_en = "The attachment is still linked to a record and cannot be deleted"


class AttachmentsNotLinkable(InvalidInput):
    code = "attachments_not_linkable"


def content_type_of(filename: str, data: bytes) -> str:
    """The media type of an upload, or 415: an allowed extension, and bytes that agree with it."""
    extension = PurePath(filename).suffix.lower()
    expected = policy.ATTACHMENT_TYPES.get(extension)
    if expected is None:
        raise UnsupportedAttachmentType()
    if expected == "text/plain":
        if not _is_text(data):
            raise UnsupportedAttachmentType()
        return expected
    try:
        candidates = puremagic.magic_string(data)
    except puremagic.PureError:
        raise UnsupportedAttachmentType() from None
    # The magic database names some types by sibling extension (.jfif for .jpg) or older media types
    # (application/excel for .xls): either match is proof enough.
    if any(c.mime_type == expected or c.extension == extension for c in candidates):
        return expected
    raise UnsupportedAttachmentType()


def _is_image(attachment: Attachment) -> bool:
    return attachment.content_type.startswith("image/")


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return "\x00" not in text


def store(session: Session, caller: Principal, org_id: int, filename: str, data: bytes) -> Attachment:
    orgs.get(session, caller.scope, org_id)
    if len(data) > policy.ATTACHMENT_MAX_BYTES:
        raise AttachmentTooLarge()
    if not data:
        raise EmptyAttachment.at("file")
    name = PurePath(filename.replace("\\", "/")).name[:255]  # browsers on Windows may send a full path
    attachment = Attachment(
        org_id=org_id,
        filename=name,
        content_type=content_type_of(name, data),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by_id=caller.id if caller.kind == "user" else None,
    )
    session.add(attachment)
    session.flush()
    session.add(AttachmentContent(attachment_id=attachment.id, data=data))
    return attachment


def _visible(scope: Scope) -> Select[Attachment]:
    return (
        select(Attachment)
        .join(Organisation, Organisation.id == Attachment.org_id)
        .where(scope.clause(Organisation.path))
    )


def get_attachment(session: Session, scope: Scope, attachment_id: int) -> Attachment:
    found = session.scalars(_visible(scope).where(Attachment.id == attachment_id)).one_or_none()
    if found is None:
        raise AttachmentNotFound()
    return found


def content(session: Session, scope: Scope, attachment_id: int) -> tuple[Attachment, bytes]:
    attachment = get_attachment(session, scope, attachment_id)
    data = session.scalars(
        select(AttachmentContent.data).where(AttachmentContent.attachment_id == attachment.id)
    ).one()
    return attachment, data


def list_attachments(
    session: Session, scope: Scope, org_id: int, *, cursor: str | None, limit: int
) -> Page[AttachmentRead]:
    orgs.get(session, scope, org_id)
    stmt = _visible(scope).where(Attachment.org_id == org_id)
    return paginate_by_id(
        session, stmt, Attachment.id, cursor=cursor, limit=limit, to_item=lambda row: to_read(row[0])
    )


def to_read(attachment: Attachment) -> AttachmentRead:
    return AttachmentRead.model_validate(attachment)


def attachments_for_link(
    session: Session,
    scope: Scope,
    ids: Sequence[int],
    org_id: int,
    *,
    field: str = "attachment_ids",
    images_only: bool = False,
) -> list[Attachment]:
    """The attachments a record of `org_id` may link: visible, uploaded for that very org (so whoever can
    read the record can read its files), and images where only photos make sense. Refuses naming the ids."""
    wanted = list(dict.fromkeys(ids))
    found = {
        a.id: a
        for a in session.scalars(
            _visible(scope).where(Attachment.id.in_(wanted), Attachment.org_id == org_id)
        )
    }
    bad = [i for i in wanted if i not in found or (images_only and not _is_image(found[i]))]
    if bad:
        listed = ", ".join(map(str, bad))
        what_zh, what_en = ("图片", "images") if images_only else ("附件", "attachments")
        zh = f"以下{what_zh}不存在、不属于本组织或类型不符：{listed}"
        en = f"These are not {what_en} of this organisation: {listed}"
        raise AttachmentsNotLinkable(
            zh, en, errors=[FieldError.of(f"body.{field}", AttachmentsNotLinkable.code, zh, en)]
        )
    return [found[i] for i in wanted]


def delete(session: Session, scope: Scope, attachment_id: int) -> None:
    """Only unlinked files go: the features' link tables refer to attachments with ON DELETE RESTRICT."""
    attachment = get_attachment(session, scope, attachment_id)
    session.delete(attachment)
    try:
        session.flush()
    except IntegrityError:
        raise AttachmentInUse() from None
