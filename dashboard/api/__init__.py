"""The HTTP API under /api/v1 (a Flask blueprint) and its OpenAPI document."""

from dashboard.api.routes import create_api_blueprint, openapi_document

__all__ = ["create_api_blueprint", "openapi_document"]
