from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="LuaLimits")


@_attrs_define
class LuaLimits:
    """
    Attributes:
        memory_bytes (int): Memory the service's VM may allocate, bytes (65536–268435456; default 8 MiB).
        instructions (int): Lua VM instructions one `on_route` call may run (1000–100000000; default 1,000,000).
        timeout_ms (int): Wall-clock time one `on_route` call may take, milliseconds (1–5000; default 100).
    """

    memory_bytes: int
    instructions: int
    timeout_ms: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        memory_bytes = self.memory_bytes

        instructions = self.instructions

        timeout_ms = self.timeout_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "memory_bytes": memory_bytes,
                "instructions": instructions,
                "timeout_ms": timeout_ms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        memory_bytes = d.pop("memory_bytes")

        instructions = d.pop("instructions")

        timeout_ms = d.pop("timeout_ms")

        lua_limits = cls(
            memory_bytes=memory_bytes,
            instructions=instructions,
            timeout_ms=timeout_ms,
        )

        lua_limits.additional_properties = d
        return lua_limits

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
