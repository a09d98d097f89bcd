"""Deployment settings, read from the environment (and an optional `.env`).

Domain numbers (deadlines, rates, limits) live in `vanguard.core.policy`, not here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# An origin as browsers send it: scheme, host (no wildcard) and optional port, no path or trailing slash.
_ORIGIN = re.compile(r"https?://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])(:[0-9]{1,5})?")
DEFAULT_SECRET = "dev-only-secret-change-me-0123456789abcdef"  # noqa: S105 - refused outside development
DEFAULT_PII_KEY = "dev-only-pii-key-change-me-0123456789abcdef"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = Field(
        default="development", validation_alias="VANGUARD_ENV"
    )
    database_url: str = Field(default="sqlite:///data/vanguard.db", validation_alias="DATABASE_URL")
    secret_key: str = Field(default=DEFAULT_SECRET, validation_alias="VANGUARD_SECRET_KEY", min_length=32)
    pii_key: str = Field(default=DEFAULT_PII_KEY, validation_alias="VANGUARD_PII_KEY", min_length=32)
    access_token_minutes: int = Field(default=30, validation_alias="VANGUARD_ACCESS_TOKEN_MINUTES", gt=0)
    refresh_token_days: int = Field(default=7, validation_alias="VANGUARD_REFRESH_TOKEN_DAYS", gt=0)
    spa_dir: Path | None = Field(default=None, validation_alias="VANGUARD_SPA_DIR")
    # Exact origins (scheme://host[:port]) allowed to call the API from a browser; "*" only in development.
    cors_origins: list[str] = Field(default_factory=list, validation_alias="VANGUARD_CORS_ORIGINS")
    # Every API request body, except to routes that take a file (policy.UPLOAD_MAX_REQUEST_BYTES).
    max_body_bytes: int = Field(default=1024 * 1024, validation_alias="VANGUARD_MAX_BODY_BYTES", gt=0)
    sql_echo: bool = Field(default=False, validation_alias="VANGUARD_SQL_ECHO")
    # Server processes (`vanguard serve`) and each one's PostgreSQL pool. A process holds at most
    # pool + overflow connections for requests (plus one per job worker): keep workers × that under the
    # server's max_connections (`serve` warns when it is not). 10 + 10 saturates 2 cores (make bench).
    workers: int = Field(default=1, validation_alias="VANGUARD_WORKERS", ge=1, le=64)
    db_pool_size: int = Field(default=10, validation_alias="VANGUARD_DB_POOL_SIZE", ge=1)
    db_max_overflow: int = Field(default=10, validation_alias="VANGUARD_DB_MAX_OVERFLOW", ge=0)
    # Public endpoints (complaint intake, tracking, Open311): `limits` storage URI ("memory://" per
    # process; "redis://host:6379" shares the counts between workers) and moving-window limits.
    rate_limit_storage: str = Field(default="memory://", validation_alias="VANGUARD_RATE_LIMIT_STORAGE")
    public_rate_limit_per_ip: str = Field(
        default="30/minute", validation_alias="VANGUARD_PUBLIC_RATE_LIMIT_IP"
    )
    public_rate_limit_per_code: str = Field(
        default="10/minute", validation_alias="VANGUARD_PUBLIC_RATE_LIMIT_CODE"
    )
    public_max_body_bytes: int = Field(
        default=16_384, validation_alias="VANGUARD_PUBLIC_MAX_BODY_BYTES", gt=0
    )
    # Complaints: the org that receives public/Open311 intake (by org code; default: the root org), the
    # overdue sweep's interval (0 turns it off; never runs in tests), and whether Open311 reads publish
    # descriptions and locations (never the reporter) or only categories, status and dates.
    complaints_intake_org_code: str | None = Field(
        default=None, validation_alias="VANGUARD_COMPLAINTS_INTAKE_ORG"
    )
    complaints_sweep_seconds: int = Field(
        default=300, validation_alias="VANGUARD_COMPLAINTS_SWEEP_SECONDS", ge=0
    )
    # The early-warning analysis (alerts): one pass per interval tests the current China day; it is
    # idempotent per day, so an hourly pass catches a surge the hour it crosses the threshold.
    alerts_run_seconds: int = Field(default=3600, validation_alias="VANGUARD_ALERTS_RUN_SECONDS", ge=0)
    open311_publish_details: bool = Field(default=False, validation_alias="VANGUARD_OPEN311_PUBLISH_DETAILS")

    # Webhooks: how often the in-process worker sends due deliveries (0: never). Several app processes
    # may all run it: each takes different rows (SKIP LOCKED on PostgreSQL).
    webhook_delivery_seconds: int = Field(
        default=5, validation_alias="VANGUARD_WEBHOOK_DELIVERY_SECONDS", ge=0
    )
    # In production webhooks go to public addresses only, and to these networks (JSON list of CIDRs, e.g.
    # ["10.20.0.0/16"] for an OA system on the intranet); see vanguard.webhooks.targets.
    webhook_allowed_networks: list[IPv4Network | IPv6Network] = Field(
        default_factory=list, validation_alias="VANGUARD_WEBHOOK_ALLOWED_NETWORKS"
    )

    # How often each app process seals committed audit events into the hash chain (0: never; then run
    # `vanguard audit seal`). Several processes may all run it: they take turns on an advisory lock.
    audit_seal_seconds: int = Field(default=2, validation_alias="VANGUARD_AUDIT_SEAL_SECONDS", ge=0)

    # Jobs (imports, recomputations) run in a thread pool of this size in each app process.
    job_workers: int = Field(default=2, validation_alias="VANGUARD_JOB_WORKERS", ge=1, le=32)

    @model_validator(mode="after")
    def _refuse_default_secret_in_production(self) -> Settings:
        if self.environment == "production" and self.secret_key == DEFAULT_SECRET:
            raise ValueError("VANGUARD_SECRET_KEY must be set to a private value in production")
        if self.environment == "production" and self.pii_key == DEFAULT_PII_KEY:
            raise ValueError("VANGUARD_PII_KEY must be set to a private value in production")
        return self

    @model_validator(mode="after")
    def _strict_cors_origins(self) -> Settings:
        for origin in self.cors_origins:
            if origin == "*" and self.environment == "development":
                continue  # a local playground may allow any origin; no deployment may
            if not _ORIGIN.fullmatch(origin):
                raise ValueError(
                    f"VANGUARD_CORS_ORIGINS: {origin!r} is not an origin such as https://oa.example.gov.cn"
                    " (scheme, host and optional port; no path, no wildcard)"
                )
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
