from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.call_state import CallState
from ..models.leg_role import LegRole

T = TypeVar("T", bound="LegView")


@_attrs_define
class LegView:
    """One leg of a live call as the API shows it.

    Attributes:
        role (LegRole): Which side of a call a leg is on.
        number (str): Extension number (or caller number) of this leg.
        state (CallState): Where a call (or one of its legs) stands.
        contact (str):
    """

    role: LegRole
    number: str
    state: CallState
    contact: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        role = self.role.value

        number = self.number

        state = self.state.value

        contact = self.contact

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "role": role,
                "number": number,
                "state": state,
                "contact": contact,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        role = LegRole(d.pop("role"))

        number = d.pop("number")

        state = CallState(d.pop("state"))

        contact = d.pop("contact")

        leg_view = cls(
            role=role,
            number=number,
            state=state,
            contact=contact,
        )

        leg_view.additional_properties = d
        return leg_view

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
