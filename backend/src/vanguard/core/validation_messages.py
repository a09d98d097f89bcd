"""Chinese for pydantic's validation errors, so a 422 names what is wrong in both languages.

Keyed by pydantic-core's stable error `type`; the `ctx` values (limits, expected values) fill the
templates. Types not listed fall back to a generic message with pydantic's English in brackets."""

from __future__ import annotations

from typing import Any

_ZH: dict[str, str] = {
    "missing": "必填",
    "extra_forbidden": "不允许的字段",
    "string_type": "须为文本",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "string_pattern_mismatch": "格式不正确",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "greater_than": "须大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "须小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "multiple_of": "须为 {multiple_of} 的倍数",
    "int_type": "须为整数",
    "int_parsing": "须为整数",
    "int_from_float": "须为整数",
    "float_type": "须为数字",
    "float_parsing": "须为数字",
    "decimal_type": "须为数字",
    "decimal_parsing": "须为数字",
    "decimal_max_digits": "最多 {max_digits} 位数字",
    "decimal_max_places": "最多 {decimal_places} 位小数",
    "finite_number": "须为有限的数字",
    "bool_type": "须为是或否",
    "bool_parsing": "须为是或否",
    "date_type": "须为日期（YYYY-MM-DD）",
    "date_parsing": "须为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "须为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "须为日期，不带时间",
    "date_past": "须为过去的日期",
    "date_future": "须为将来的日期",
    "datetime_type": "须为日期时间（ISO 8601）",
    "datetime_parsing": "须为日期时间（ISO 8601）",
    "datetime_from_date_parsing": "须为日期时间（ISO 8601）",
    "timezone_aware": "须带时区",
    "time_parsing": "须为时间（HH:MM）",
    "enum": "须为以下之一：{expected}",
    "literal_error": "须为以下之一：{expected}",
    "list_type": "须为列表",
    "set_type": "须为集合",
    "dict_type": "须为对象",
    "model_type": "须为对象",
    "model_attributes_type": "须为对象",
    "json_invalid": "JSON 格式有误",
    "json_type": "须为 JSON",
    "url_type": "须为网址",
    "url_parsing": "须为有效的网址",
    "url_scheme": "网址协议须为 {expected_schemes}",
    "url_too_long": "网址最长 {max_length} 个字符",
    "uuid_type": "须为 UUID",
    "uuid_parsing": "须为 UUID",
    "bytes_type": "须为文件或字节",
    "no_such_attribute": "不允许的字段",
    "union_tag_invalid": "类型须为以下之一：{expected_tags}",
    "union_tag_not_found": "缺少类型字段 {discriminator}",
}


def _plain(value: Any) -> Any:
    """24.0 reads as 24, as pydantic's own English has it."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def zh_message(error: dict[str, Any]) -> str:
    """The Chinese message for one entry of `ValidationError.errors()`."""
    template = _ZH.get(error["type"])
    if template is None:
        # Custom validators (value_error, assertion_error) explain themselves in English.
        return f"取值无效（{error['msg']}）"
    context = {key: _plain(value) for key, value in (error.get("ctx") or {}).items()}
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return template.split("：")[0]
