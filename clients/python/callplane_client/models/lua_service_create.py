from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.lua_limits import LuaLimits


T = TypeVar("T", bound="LuaServiceCreate")


@_attrs_define
class LuaServiceCreate:
    """Body of `POST /api/v1/lua-services`.

    Attributes:
        name (str):
        source (str):
        description (str | Unset):  Default: ''.
        enabled (bool | Unset):  Default: True.
        limits (LuaLimits | Unset):
    """

    name: str
    source: str
    description: str | Unset = ""
    enabled: bool | Unset = True
    limits: LuaLimits | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        source = self.source

        description = self.description

        enabled = self.enabled

        limits: dict[str, Any] | Unset = UNSET
        if not isinstance(self.limits, Unset):
            limits = self.limits.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "source": source,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if limits is not UNSET:
            field_dict["limits"] = limits

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.lua_limits import LuaLimits  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        source = d.pop("source")

        description = d.pop("description", UNSET)

        enabled = d.pop("enabled", UNSET)

        _limits = d.pop("limits", UNSET)
        limits: LuaLimits | Unset
        if isinstance(_limits, Unset):
            limits = UNSET
        else:
            limits = LuaLimits.from_dict(_limits)

        lua_service_create = cls(
            name=name,
            source=source,
            description=description,
            enabled=enabled,
            limits=limits,
        )

        lua_service_create.additional_properties = d
        return lua_service_create

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
