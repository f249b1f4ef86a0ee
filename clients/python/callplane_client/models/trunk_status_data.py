from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.trunk_state import TrunkState
from ..types import UNSET, Unset

T = TypeVar("T", bound="TrunkStatusData")


@_attrs_define
class TrunkStatusData:
    """
    Attributes:
        trunk_id (str):
        name (str):
        state (TrunkState):
        last_response (str | Unset):
        target (str | Unset): The server in use (see the trunk status).
    """

    trunk_id: str
    name: str
    state: TrunkState
    last_response: str | Unset = UNSET
    target: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        trunk_id = self.trunk_id

        name = self.name

        state = self.state.value

        last_response = self.last_response

        target = self.target

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "trunk_id": trunk_id,
                "name": name,
                "state": state,
            }
        )
        if last_response is not UNSET:
            field_dict["last_response"] = last_response
        if target is not UNSET:
            field_dict["target"] = target

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        trunk_id = d.pop("trunk_id")

        name = d.pop("name")

        state = TrunkState(d.pop("state"))

        last_response = d.pop("last_response", UNSET)

        target = d.pop("target", UNSET)

        trunk_status_data = cls(
            trunk_id=trunk_id,
            name=name,
            state=state,
            last_response=last_response,
            target=target,
        )

        trunk_status_data.additional_properties = d
        return trunk_status_data

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
