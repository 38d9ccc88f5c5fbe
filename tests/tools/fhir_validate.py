#!/usr/bin/env python3
"""fhir_validate SCHEMA BUNDLE: validates a FHIR R4 JSON resource against
the official FHIR JSON schema (draft 6) with python3-jsonschema. Prints each
error with its path; exit 0 valid, 1 invalid, 2 usage or unreadable."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is missing (apt-get install python3-jsonschema)")
    sys.exit(2)

if len(sys.argv) != 3:
    print(__doc__)
    sys.exit(2)
with open(sys.argv[1], encoding="utf-8") as f:
    schema = json.load(f)
with open(sys.argv[2], encoding="utf-8") as f:
    doc = json.load(f)
validator = jsonschema.Draft6Validator(schema)
errors = list(validator.iter_errors(doc))


def checked_as(resource):
    """The errors of one resource checked as its own resourceType: they say
    what is wrong, where the whole bundle's oneOf only says none matched."""
    kind = resource.get("resourceType", "")
    if kind not in schema.get("definitions", {}):
        return [f"resourceType {kind!r} is not a FHIR R4 resource"]
    sub = {"$ref": f"#/definitions/{kind}", "definitions": schema["definitions"]}
    return [
        "/".join(str(p) for p in e.absolute_path) + ": " + e.message[:200]
        for e in jsonschema.Draft6Validator(sub).iter_errors(resource)
    ]


if errors:
    entries = doc.get("entry", []) if isinstance(doc, dict) else []
    for n, entry in enumerate(entries):
        for line in checked_as(entry.get("resource", {})):
            print(f"entry/{n}/resource/{line}")
    if not entries:
        for e in errors[:10]:
            print(e.message[:300])
sys.exit(1 if errors else 0)
