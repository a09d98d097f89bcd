"""App factory: routers (authenticated by default at mount time), middleware, error handlers, SPA."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from sqlalchemy import Engine

from vanguard.alerts.jobs import alerts_job
from vanguard.alerts.routes import router as alerts_router
from vanguard.attachments.routes import router as attachments_router
from vanguard.audit import hook
from vanguard.audit.routes import router as audit_router
from vanguard.audit.sealer import seal_job
from vanguard.auth.deps import get_principal
from vanguard.auth.routes import public_router as auth_public_router
from vanguard.auth.routes import router as auth_router
from vanguard.complaints.routes import open311_router
from vanguard.complaints.routes import public_router as complaints_public_router
from vanguard.complaints.routes import router as complaints_router
from vanguard.complaints.sweeper import overdue_sweep_job
from vanguard.core import openapi, policy
from vanguard.core.background import PeriodicJob, periodic_jobs
from vanguard.core.config import Settings, get_settings
from vanguard.core.db import engine_for, make_sessionmaker
from vanguard.core.errors import Forbidden, Unauthenticated, install_error_handlers, problem_responses
from vanguard.core.http_guard import BodySizeLimitMiddleware, SecurityHeadersMiddleware
from vanguard.core.request_context import RequestIdMiddleware
from vanguard.core.spa import SpaStaticFiles
from vanguard.development.routes import router as development_router
from vanguard.dues.routes import router as dues_router
from vanguard.idempotency.middleware import IdempotencyMiddleware
from vanguard.idempotency.service import PURGE_JOB
from vanguard.imports.routes import router as imports_router
from vanguard.imports.service import PURGE_JOB as IMPORT_FILES_PURGE
from vanguard.jobs.routes import router as jobs_router
from vanguard.jobs.runner import recovering_jobs
from vanguard.members.routes import router as members_router
from vanguard.ops.routes import router as ops_router
from vanguard.orgs.routes import router as orgs_router
from vanguard.pairing.routes import router as pairing_router
from vanguard.petitions.routes import router as petitions_router
from vanguard.posts.routes import router as posts_router
from vanguard.publicity.routes import public_router as publicity_public_router
from vanguard.publicity.routes import router as publicity_router
from vanguard.scoring.routes import public_router as scoring_public_router
from vanguard.scoring.routes import router as scoring_router
from vanguard.stats.routes import router as stats_router
from vanguard.study.routes import member_study_router
from vanguard.study.routes import router as study_router
from vanguard.transfers.routes import router as transfers_router
from vanguard.users.routes import router as users_router
from vanguard.webhooks.routes import router as webhooks_router
from vanguard.webhooks.worker import delivery_job

API_PREFIX = "/api/v1"
__all__ = ["API_PREFIX", "create_app"]


def _operation_id(route: APIRoute) -> str:
    # Route function names are unique across the app and become clean client names (listOrgs).
    return route.name


meta_router = APIRouter(tags=["meta"])


@meta_router.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


def _include_api(app: FastAPI) -> None:
    # Each router is included straight into the app: every level of nesting makes FastAPI rebuild every
    # route once more, and building them is most of the cost of an app.
    for router in (
        auth_public_router,
        complaints_public_router,
        scoring_public_router,
        publicity_public_router,
    ):
        app.include_router(router, prefix=API_PREFIX)
    authenticated = (
        auth_router,
        orgs_router,
        members_router,
        development_router,
        transfers_router,
        dues_router,
        posts_router,
        study_router,
        member_study_router,
        pairing_router,
        publicity_router,
        complaints_router,
        scoring_router,
        petitions_router,
        attachments_router,
        stats_router,
        users_router,
        webhooks_router,
        imports_router,
        jobs_router,
        audit_router,
        alerts_router,
    )
    for router in authenticated:
        app.include_router(
            router,
            prefix=API_PREFIX,
            dependencies=[Depends(get_principal)],
            responses=problem_responses(Unauthenticated, Forbidden),
        )
    app.include_router(meta_router, prefix=API_PREFIX)


def _jobs(settings: Settings) -> list[PeriodicJob]:
    return [
        overdue_sweep_job(settings),
        delivery_job(settings),
        seal_job(settings),
        PURGE_JOB,
        IMPORT_FILES_PURGE,
        alerts_job(settings),
    ]


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    hook.install()
    app = FastAPI(
        title="Vanguard API",
        summary="保持党员先进性长效机制 — organisations, members, study, pairing, complaints, scoring",
        version="1.0.0",
        generate_unique_id_function=_operation_id,
        # Jobs left running by a dead process are marked interrupted first; no periodic job runs in tests.
        lifespan=lambda app: recovering_jobs(app, periodic_jobs(app, settings, _jobs(settings))),
    )
    app.state.sessionmaker = make_sessionmaker(engine or engine_for(settings))
    install_error_handlers(app)
    openapi.install(app)
    # Innermost: it bounds the body a route reads, the idempotency middleware's replay included.
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        upload_max_bytes=policy.UPLOAD_MAX_REQUEST_BYTES,
    )
    # Inside the request-id middleware, so replayed responses and its problems carry a request id.
    app.add_middleware(IdempotencyMiddleware, prefix=API_PREFIX)
    app.add_middleware(RequestIdMiddleware)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-Match", "Idempotency-Key", "X-Request-ID"],
            expose_headers=["ETag", "X-Request-ID", "Location", "Idempotent-Replayed"],
        )
    # Outermost of ours, so CORS preflights and every problem response carry the headers too.
    docs_paths = [path for path in (app.docs_url, app.swagger_ui_oauth2_redirect_url, app.redoc_url) if path]
    app.add_middleware(SecurityHeadersMiddleware, docs_paths=docs_paths)
    _include_api(app)
    app.include_router(open311_router)
    app.include_router(ops_router)  # /healthz, /readyz: public probes, outside the versioned API
    if settings.spa_dir is not None and (settings.spa_dir / "index.html").is_file():
        app.mount("/", SpaStaticFiles(directory=settings.spa_dir, html=True), name="spa")
    return app
