"""Enums as shared components of the spec: one `$ref` per enum wherever it is used, in
requests and responses alike, so that generated clients get one type per enum.

A field marked with `shared_enum` is documented as a `$ref` to the named component (and as
`anyOf` the component and null when it may be null, or the component and one more value
when it takes one), keeping its description.
"""

from __future__ import annotations

from typing import Any, TypeVar

from apispec import APISpec

F = TypeVar("F")
MARK = "_spec_enum_component"
CONST = "_spec_const"
OR_CONST = "_spec_enum_or_const"
KEPT = ("description", "example", "deprecated", "default", "readOnly", "writeOnly")


def shared_enum(field: F, component: str, *, or_const: tuple[str, str] | None = None) -> F:
    """Document `field` (its values, or a list's items) as the enum component `component`;
    with `or_const=(value, description)`, as that component or the one value more (a filter's
    `none`), so a value read from an answer can still be sent as it is."""
    setattr(field, MARK, component)
    setattr(field, OR_CONST, or_const)
    return field


def constant(field: F, value: str) -> F:
    """Document `field` as always `value`: a `const`, which generated clients make a literal
    type of, where a one-value enum would give an enum class per field."""
    setattr(field, CONST, value)
    return field


def enum_property(self: Any, field: Any, ret: dict[str, Any], **_: Any) -> dict[str, Any]:
    """An apispec attribute function: a marked field becomes a reference to its component,
    or a `const`."""
    if hasattr(field, CONST):
        ret.pop("enum", None)
        ret["const"] = getattr(field, CONST)
        return {}
    component = getattr(field, MARK, None)
    if component is None:
        return {}
    kept = {key: ret[key] for key in KEPT if key in ret}
    ref = {"$ref": f"#/components/schemas/{component}"}
    ret.clear()
    ret.update(kept)
    more = getattr(field, OR_CONST, None)
    if more is not None:
        value, description = more
        ret["anyOf"] = [ref, {"type": "string", "const": value, "description": description}]
    elif field.allow_none:
        ret["anyOf"] = [ref, {"type": "null"}]
    else:
        ret.update(ref)
    return {}


def register(spec: APISpec, enums: dict[str, tuple[list[str], str]]) -> None:
    """The components themselves: name -> (values, description)."""
    for name, (values, description) in enums.items():
        spec.components.schema(
            name, {"type": "string", "enum": list(values), "description": description}
        )
