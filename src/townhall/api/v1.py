"""The API object: OpenAPI at /api/docs, every route under /api/v1/."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from townhall.api import accounts, comments, errors, stories
from townhall.api import embed as embed_api
from townhall.api import moderation as moderation_api
from townhall.api import names as names_api
from townhall.api import notices as notices_api
from townhall.api import notify as notify_api
from townhall.api import overlay as overlay_api
from townhall.api import privacy as privacy_api
from townhall.api import sso as sso_api
from townhall.core.http_errors import openapi_error_responses

_ERROR_REF = {"$ref": "#/components/schemas/ErrorsOut"}


class TownhallAPI(NinjaAPI):
    """The API whose schema documents every refusal any operation may answer.

    Besides what each route declares, the framework may refuse any request before the route
    runs (a malformed body, a wrong host, a body over the limit, a method the path lacks):
    each operation lists those statuses too, all in the one error shape.
    """

    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in openapi_error_responses().items():
                    responses.setdefault(str(status), {
                        "description": description,
                        "content": {"application/json": {"schema": _ERROR_REF}},
                    })
        return schema


api = TownhallAPI(
    title="Townhall API",
    version="1",
    description="Real-name, moderated comments for news publishers.",
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api",
    parser=errors.JsonBodyParser(),
)
errors.install(api)
api.add_router("/v1/", accounts.router)
api.add_router("/v1/", stories.router)
api.add_router("/v1/", comments.router)
api.add_router("/v1/", notify_api.router)
api.add_router("/v1/", moderation_api.router)
api.add_router("/v1/", notices_api.router)
api.add_router("/v1/", privacy_api.router)
api.add_router("/v1/", embed_api.router)
api.add_router("/v1/", names_api.router)
api.add_router("/v1/", sso_api.router)
api.add_router("/v1/", overlay_api.router)
