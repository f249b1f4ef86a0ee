from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.trunk_state import TrunkState
from ..types import UNSET, Unset

T = TypeVar("T", bound="TrunkStatus")


@_attrs_define
class TrunkStatus:
    """
    Attributes:
        trunk_id (str):
        name (str):
        state (TrunkState):
        updated_at (datetime.datetime):
        last_response (str | Unset): The carrier's last answer, e.g. `400 Bad Request; P-Registrar-Error: Invalid CSeq
            number`.
        registered_until (datetime.datetime | Unset):
        next_attempt_at (datetime.datetime | Unset): When the next REGISTER or keep-alive goes out.
        target (str | Unset): The server in use, as DNS located it: `name:port (transport address)`.
        target_note (str | Unset): Why it is not the preferred one, or came back to it (a timeout, a 503, the DNS
            answers expiring).
    """

    trunk_id: str
    name: str
    state: TrunkState
    updated_at: datetime.datetime
    last_response: str | Unset = UNSET
    registered_until: datetime.datetime | Unset = UNSET
    next_attempt_at: datetime.datetime | Unset = UNSET
    target: str | Unset = UNSET
    target_note: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        trunk_id = self.trunk_id

        name = self.name

        state = self.state.value

        updated_at = self.updated_at.isoformat()

        last_response = self.last_response

        registered_until: str | Unset = UNSET
        if not isinstance(self.registered_until, Unset):
            registered_until = self.registered_until.isoformat()

        next_attempt_at: str | Unset = UNSET
        if not isinstance(self.next_attempt_at, Unset):
            next_attempt_at = self.next_attempt_at.isoformat()

        target = self.target

        target_note = self.target_note

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "trunk_id": trunk_id,
                "name": name,
                "state": state,
                "updated_at": updated_at,
            }
        )
        if last_response is not UNSET:
            field_dict["last_response"] = last_response
        if registered_until is not UNSET:
            field_dict["registered_until"] = registered_until
        if next_attempt_at is not UNSET:
            field_dict["next_attempt_at"] = next_attempt_at
        if target is not UNSET:
            field_dict["target"] = target
        if target_note is not UNSET:
            field_dict["target_note"] = target_note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        trunk_id = d.pop("trunk_id")

        name = d.pop("name")

        state = TrunkState(d.pop("state"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        last_response = d.pop("last_response", UNSET)

        _registered_until = d.pop("registered_until", UNSET)
        registered_until: datetime.datetime | Unset
        if isinstance(_registered_until, Unset):
            registered_until = UNSET
        else:
            registered_until = datetime.datetime.fromisoformat(_registered_until)

        _next_attempt_at = d.pop("next_attempt_at", UNSET)
        next_attempt_at: datetime.datetime | Unset
        if isinstance(_next_attempt_at, Unset):
            next_attempt_at = UNSET
        else:
            next_attempt_at = datetime.datetime.fromisoformat(_next_attempt_at)

        target = d.pop("target", UNSET)

        target_note = d.pop("target_note", UNSET)

        trunk_status = cls(
            trunk_id=trunk_id,
            name=name,
            state=state,
            updated_at=updated_at,
            last_response=last_response,
            registered_until=registered_until,
            next_attempt_at=next_attempt_at,
            target=target,
            target_note=target_note,
        )

        trunk_status.additional_properties = d
        return trunk_status

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
