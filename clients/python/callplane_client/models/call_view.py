from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.call_state import CallState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.leg_view import LegView


T = TypeVar("T", bound="CallView")


@_attrs_define
class CallView:
    """A live call as the API shows it.

    Attributes:
        id (str):
        caller (str):
        dialed (str):
        state (CallState): Where a call (or one of its legs) stands.
        started_at (datetime.datetime):
        legs (list[LegView]):
        node (str | Unset): The node carrying the call (several nodes on one PostgreSQL).
        answered_at (datetime.datetime | Unset):
    """

    id: str
    caller: str
    dialed: str
    state: CallState
    started_at: datetime.datetime
    legs: list[LegView]
    node: str | Unset = UNSET
    answered_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        caller = self.caller

        dialed = self.dialed

        state = self.state.value

        started_at = self.started_at.isoformat()

        legs = []
        for legs_item_data in self.legs:
            legs_item = legs_item_data.to_dict()
            legs.append(legs_item)

        node = self.node

        answered_at: str | Unset = UNSET
        if not isinstance(self.answered_at, Unset):
            answered_at = self.answered_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "caller": caller,
                "dialed": dialed,
                "state": state,
                "started_at": started_at,
                "legs": legs,
            }
        )
        if node is not UNSET:
            field_dict["node"] = node
        if answered_at is not UNSET:
            field_dict["answered_at"] = answered_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.leg_view import LegView  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        caller = d.pop("caller")

        dialed = d.pop("dialed")

        state = CallState(d.pop("state"))

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        legs = []
        _legs = d.pop("legs")
        for legs_item_data in _legs:
            legs_item = LegView.from_dict(legs_item_data)

            legs.append(legs_item)

        node = d.pop("node", UNSET)

        _answered_at = d.pop("answered_at", UNSET)
        answered_at: datetime.datetime | Unset
        if isinstance(_answered_at, Unset):
            answered_at = UNSET
        else:
            answered_at = datetime.datetime.fromisoformat(_answered_at)

        call_view = cls(
            id=id,
            caller=caller,
            dialed=dialed,
            state=state,
            started_at=started_at,
            legs=legs,
            node=node,
            answered_at=answered_at,
        )

        call_view.additional_properties = d
        return call_view

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
