"""Own the JSON API v1: django-ninja routers, schemas, authentication and the error shape."""
