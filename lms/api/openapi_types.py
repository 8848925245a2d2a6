"""The building blocks of the OpenAPI schemas (lms.api.openapi_schemas and
openapi_schemas_records): JSON Schema types, references, nullable and closed objects."""

NO_NUL = "^[^\\u0000]*$"  # the app refuses a NUL character anywhere in a URL with 400


def ref(name: str) -> dict:
    return {"$ref": f"#/components/{name}"}


def nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


STRING, INTEGER, NUMBER = {"type": "string"}, {"type": "integer"}, {"type": "number"}
DATE, DATETIME = {"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}


def object_schema(properties: dict, required: list | None = None) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }
