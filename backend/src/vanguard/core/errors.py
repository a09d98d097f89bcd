"""RFC 9457 problem details with a stable machine-readable `code` and bilingual messages.

Every error the API can return is an `AppError` subclass; routes list the ones they raise in
`responses=` so the errors are part of the OpenAPI contract.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar, Self

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from vanguard.core.request_context import current_request_id
from vanguard.core.validation_messages import zh_message

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldError(BaseModel):
    field: str = Field(description="Dotted location of the offending input, e.g. `body.name`")
    code: str
    message: str = Field(description="In the request's language (Accept-Language; Chinese by default)")
    messages: dict[str, str] | None = Field(
        default=None, description="The message per language: `zh-CN` and `en`"
    )

    @classmethod
    def of(cls, field: str, code: str, zh: str, en: str) -> FieldError:
        return cls(field=field, code=code, message=zh, messages={"zh-CN": zh, "en": en})

    def localised(self, lang: str) -> FieldError:
        if self.messages is None:
            return self
        return self.model_copy(update={"message": self.messages.get(lang, self.message)})


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    code: str = Field(description="Stable machine-readable error code")
    messages: dict[str, str] = Field(description="Human message per language: `zh-CN` and `en`")
    request_id: str | None = None
    errors: list[FieldError] | None = None


class AppError(Exception):
    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    message_zh: ClassVar[str] = "请求无效"
    message_en: ClassVar[str] = "Bad request"

    def __init__(
        self,
        message_zh: str | None = None,
        message_en: str | None = None,
        *,
        code: str | None = None,
        **extra: Any,
    ) -> None:
        self.zh = message_zh or self.message_zh
        self.en = message_en or self.message_en
        self.problem_code = code or self.code  # a more specific code for one occurrence
        self.extra = extra
        super().__init__(self.en)

    @classmethod
    def at(cls, field_name: str, *, part: str = "body") -> Self:
        """This error, naming the field (of the body, or `part="query"`) that caused it."""
        field = f"{part}.{field_name}"
        return cls(errors=[FieldError.of(field, cls.code, cls.message_zh, cls.message_en)])

    @classmethod
    def openapi_response(cls) -> dict[str, Any]:
        return {"model": Problem, "description": f"{cls.message_en} (`{cls.code}`)"}

    def response_headers(self) -> dict[str, str] | None:
        """Headers the problem response carries besides its body."""
        return None


class Unauthenticated(AppError):
    status = 401
    code = "unauthenticated"
    message_zh = "未登录或登录已过期"
    message_en = "Authentication required"

    def response_headers(self) -> dict[str, str] | None:
        return {"WWW-Authenticate": "Bearer"}


class InvalidCredentials(Unauthenticated):
    code = "invalid_credentials"
    message_zh = "用户名或密码错误"
    message_en = "Incorrect username or password"


class Forbidden(AppError):
    status = 403
    code = "forbidden"
    message_zh = "没有执行此操作的权限"
    message_en = "You are not allowed to do this"


class NotFound(AppError):
    status = 404
    code = "not_found"
    message_zh = "未找到该对象"
    message_en = "Not found"


class Conflict(AppError):
    status = 409
    code = "conflict"
    message_zh = "与当前状态冲突"
    message_en = "Conflicts with the current state"


class PreconditionFailed(AppError):
    status = 412
    code = "stale_version"
    message_zh = "数据已被他人修改，请刷新后重试"
    message_en = "The record was changed by someone else; reload and retry"


class InvalidInput(AppError):
    status = 422
    code = "validation_failed"
    message_zh = "输入数据有误"
    message_en = "Invalid input"


def problem_responses(*errors: type[AppError]) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route: each error it may raise, documented as problem+json."""
    return {error.status: error.openapi_response() for error in errors}


def _lang(request: Request) -> str:
    accept = request.headers.get("accept-language", "")
    return "en" if accept.lower().startswith("en") else "zh-CN"


def problem_response(
    request: Request,
    *,
    status: int,
    code: str,
    zh: str,
    en: str,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    messages = {"zh-CN": zh, "en": en}
    lang = _lang(request)
    body = Problem(
        type=f"urn:vanguard:problem:{code}",
        title=en,
        status=status,
        detail=messages[lang],
        code=code,
        messages=messages,
        request_id=current_request_id(),
        errors=None if errors is None else [e.localised(lang) for e in errors],
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


# SQLite's "database is locked" (a read transaction that must write after another wrote: WAL cannot let it,
# and no busy timeout helps) and PostgreSQL's deadlock and serialization failures (SQLSTATE 40P01, 40001)
# end a transaction that would succeed if retried: they are contention, not faults.
_CONTENTION_SQLSTATES = frozenset({"40P01", "40001"})
_OUT_OF_RANGE = "22003"  # PostgreSQL's numeric_value_out_of_range


def is_contention(exc: OperationalError) -> bool:
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return sqlstate in _CONTENTION_SQLSTATES or "database is locked" in str(exc.orig)


# Starlette's own HTTP errors, as problems: (code, zh, en).
HTTP_PROBLEMS: dict[int, tuple[str, str, str]] = {
    400: ("malformed_body", "请求体无法解析", "The request body could not be parsed"),
    401: ("unauthenticated", Unauthenticated.message_zh, Unauthenticated.message_en),
    403: ("forbidden", Forbidden.message_zh, Forbidden.message_en),
    404: ("not_found", "请求的地址不存在", "No such endpoint"),
    405: ("method_not_allowed", "不支持该请求方法", "Method not allowed"),
    413: ("payload_too_large", "请求体过大", "Request body too large"),
    415: ("unsupported_media_type", "不支持的内容类型", "Unsupported media type"),
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> JSONResponse:
        errors = exc.extra.get("errors")
        return problem_response(
            request,
            status=exc.status,
            code=exc.problem_code,
            zh=exc.zh,
            en=exc.en,
            errors=errors,
            headers=exc.response_headers(),
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            FieldError.of(_location(err["loc"]), err["type"], zh_message(err), err["msg"])
            for err in exc.errors()
        ]
        return problem_response(
            request,
            status=422,
            code=InvalidInput.code,
            zh="输入数据有误：" + "；".join(f"{e.field} {e.messages['zh-CN']}" for e in errors if e.messages),
            en=f"Invalid input: {', '.join(e.field for e in errors)}",
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, zh, en = HTTP_PROBLEMS.get(exc.status_code, ("http_error", "请求失败", str(exc.detail)))
        return problem_response(
            request, status=exc.status_code, code=code, zh=zh, en=en, headers=getattr(exc, "headers", None)
        )

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, _exc: StaleDataError) -> JSONResponse:
        err = PreconditionFailed()
        return problem_response(request, status=err.status, code=err.code, zh=err.zh, en=err.en)

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        # Services check the constraints they know of; this is the last line for races between requests.
        log.warning("integrity error: %s", exc.orig)
        err = Conflict(
            "数据与已有记录冲突（可能重复）", "Conflicts with an existing record (likely a duplicate)"
        )
        return problem_response(request, status=err.status, code="integrity_conflict", zh=err.zh, en=err.en)

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def _out_of_range(request: Request, exc: Exception) -> JSONResponse:
        # A number the database column cannot hold (an id past 2^31 or 2^63): SQLite's driver raises
        # OverflowError, PostgreSQL's a DataError. No such record can exist; the request is invalid.
        if isinstance(exc, DataError) and getattr(exc.orig, "sqlstate", None) != _OUT_OF_RANGE:
            return await _unexpected(request, exc)
        return problem_response(
            request,
            status=InvalidInput.status,
            code="value_out_of_range",
            zh="数值超出允许范围",
            en="A number in the request is out of range",
        )

    @app.exception_handler(OperationalError)
    async def _operational(request: Request, exc: OperationalError) -> JSONResponse:
        if not is_contention(exc):
            return await _unexpected(request, exc)
        # Another transaction got there first; the request's own transaction was rolled back whole.
        log.warning("database contention: %s", exc.orig)
        return problem_response(
            request,
            status=503,
            code="database_busy",
            zh="数据库繁忙，请稍后重试（本次请求未做任何修改）",
            en="The database is busy; retry shortly (this request changed nothing)",
            headers={"Retry-After": "1"},
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return problem_response(
            request, status=500, code="internal_error", zh="服务器内部错误", en="Internal server error"
        )
