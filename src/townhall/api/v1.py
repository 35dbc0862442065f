"""The API object: OpenAPI at /api/docs, every route under /api/v1/."""

from __future__ import annotations

from ninja import NinjaAPI

from townhall.api import accounts, comments, errors, stories

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
