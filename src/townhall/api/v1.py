"""The API object: OpenAPI at /api/docs, every route under /api/v1/."""

from __future__ import annotations

from ninja import NinjaAPI

from townhall.api import accounts, comments, errors, stories
from townhall.api import embed as embed_api
from townhall.api import moderation as moderation_api
from townhall.api import names as names_api
from townhall.api import notify as notify_api
from townhall.api import overlay as overlay_api
from townhall.api import privacy as privacy_api
from townhall.api import sso as sso_api

api = NinjaAPI(
    title="Townhall API",
    version="1",
    description="Real-name, moderated comments for news publishers.",
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api",
)
errors.install(api)
api.add_router("/v1/", accounts.router)
api.add_router("/v1/", stories.router)
api.add_router("/v1/", comments.router)
api.add_router("/v1/", notify_api.router)
api.add_router("/v1/", moderation_api.router)
api.add_router("/v1/", privacy_api.router)
api.add_router("/v1/", embed_api.router)
api.add_router("/v1/", names_api.router)
api.add_router("/v1/", sso_api.router)
api.add_router("/v1/", overlay_api.router)
