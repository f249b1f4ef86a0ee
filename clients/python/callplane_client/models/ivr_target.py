from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ivr_target_kind import IvrTargetKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="IvrTarget")


@_attrs_define
class IvrTarget:
    """Where a key (or the menu's fallback) leads.

    Attributes:
        kind (IvrTargetKind):
        number (str | Unset): For `number` and `voicemail`.
        id (str | Unset): For `lua_service`: the service's id.
    """

    kind: IvrTargetKind
    number: str | Unset = UNSET
    id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        number = self.number

        id = self.id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
            }
        )
        if number is not UNSET:
            field_dict["number"] = number
        if id is not UNSET:
            field_dict["id"] = id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = IvrTargetKind(d.pop("kind"))

        number = d.pop("number", UNSET)

        id = d.pop("id", UNSET)

        ivr_target = cls(
            kind=kind,
            number=number,
            id=id,
        )

        ivr_target.additional_properties = d
        return ivr_target

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
