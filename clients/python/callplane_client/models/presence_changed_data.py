from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.presence_state import PresenceState

T = TypeVar("T", bound="PresenceChangedData")


@_attrs_define
class PresenceChangedData:
    """
    Attributes:
        number (str):
        state (PresenceState): What an extension's presence shows (RFC 3856 / RFC 4480 activities).
        previous (PresenceState): What an extension's presence shows (RFC 3856 / RFC 4480 activities).
    """

    number: str
    state: PresenceState
    previous: PresenceState
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        number = self.number

        state = self.state.value

        previous = self.previous.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "number": number,
                "state": state,
                "previous": previous,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        number = d.pop("number")

        state = PresenceState(d.pop("state"))

        previous = PresenceState(d.pop("previous"))

        presence_changed_data = cls(
            number=number,
            state=state,
            previous=previous,
        )

        presence_changed_data.additional_properties = d
        return presence_changed_data

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
