from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.lua_limits import LuaLimits


T = TypeVar("T", bound="LuaService")


@_attrs_define
class LuaService:
    """
    Attributes:
        id (str):
        name (str): Unique name, e.g. `business-hours`.
        description (str):
        source (str): Lua 5.4 source defining a global function `on_route(call)`.
        enabled (bool):
        limits (LuaLimits):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    id: str
    name: str
    description: str
    source: str
    enabled: bool
    limits: LuaLimits
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        description = self.description

        source = self.source

        enabled = self.enabled

        limits = self.limits.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "description": description,
                "source": source,
                "enabled": enabled,
                "limits": limits,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.lua_limits import LuaLimits  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        description = d.pop("description")

        source = d.pop("source")

        enabled = d.pop("enabled")

        limits = LuaLimits.from_dict(d.pop("limits"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        lua_service = cls(
            id=id,
            name=name,
            description=description,
            source=source,
            enabled=enabled,
            limits=limits,
            created_at=created_at,
            updated_at=updated_at,
        )

        lua_service.additional_properties = d
        return lua_service

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
