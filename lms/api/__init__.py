"""JSON API /api/v1 for integrators: bearer tokens, scoped answers, the OpenAPI document; and
the /manage/tokens page where people make and revoke their tokens."""
