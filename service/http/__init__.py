"""The HTTP edge: app factory, typed dependencies, routers per resource, limits, auth, metrics, the review page."""
