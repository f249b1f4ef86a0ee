from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.disposition import Disposition
from ..models.hangup_reason import HangupReason
from ..models.hangup_side import HangupSide
from ..types import UNSET, Unset

T = TypeVar("T", bound="Cdr")


@_attrs_define
class Cdr:
    """A finished call.

    Attributes:
        id (str):
        caller (str):
        dialed (str):
        forwarding_chain (list[str]): Forwarding hops in order, `from>to`.
        started_at (datetime.datetime):
        ended_at (datetime.datetime):
        duration_s (float): Seconds from answer to hang-up (0 when unanswered).
        final_code (int): The SIP code the caller got (200 when answered).
        disposition (Disposition):
        hangup_side (HangupSide): Which side ended a call.
        final_callee (str | Unset): The extension that answered.
        ring_group (str | Unset):
        trunk (str | Unset): Name of the trunk the call used.
        answered_at (datetime.datetime | Unset):
        hangup_reason (HangupReason | Unset): Why a call ended.
        transfer_group (str | Unset): Set on every segment of a transferred call: the id of its first segment (which is
            also the call's id in `/api/v1/calls` and its events). Each transfer ends one
            segment (`hangup_reason: transferred`) and starts the next, in time order.
    """

    id: str
    caller: str
    dialed: str
    forwarding_chain: list[str]
    started_at: datetime.datetime
    ended_at: datetime.datetime
    duration_s: float
    final_code: int
    disposition: Disposition
    hangup_side: HangupSide
    final_callee: str | Unset = UNSET
    ring_group: str | Unset = UNSET
    trunk: str | Unset = UNSET
    answered_at: datetime.datetime | Unset = UNSET
    hangup_reason: HangupReason | Unset = UNSET
    transfer_group: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        caller = self.caller

        dialed = self.dialed

        forwarding_chain = self.forwarding_chain

        started_at = self.started_at.isoformat()

        ended_at = self.ended_at.isoformat()

        duration_s = self.duration_s

        final_code = self.final_code

        disposition = self.disposition.value

        hangup_side = self.hangup_side.value

        final_callee = self.final_callee

        ring_group = self.ring_group

        trunk = self.trunk

        answered_at: str | Unset = UNSET
        if not isinstance(self.answered_at, Unset):
            answered_at = self.answered_at.isoformat()

        hangup_reason: str | Unset = UNSET
        if not isinstance(self.hangup_reason, Unset):
            hangup_reason = self.hangup_reason.value

        transfer_group = self.transfer_group

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "caller": caller,
                "dialed": dialed,
                "forwarding_chain": forwarding_chain,
                "started_at": started_at,
                "ended_at": ended_at,
                "duration_s": duration_s,
                "final_code": final_code,
                "disposition": disposition,
                "hangup_side": hangup_side,
            }
        )
        if final_callee is not UNSET:
            field_dict["final_callee"] = final_callee
        if ring_group is not UNSET:
            field_dict["ring_group"] = ring_group
        if trunk is not UNSET:
            field_dict["trunk"] = trunk
        if answered_at is not UNSET:
            field_dict["answered_at"] = answered_at
        if hangup_reason is not UNSET:
            field_dict["hangup_reason"] = hangup_reason
        if transfer_group is not UNSET:
            field_dict["transfer_group"] = transfer_group

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        caller = d.pop("caller")

        dialed = d.pop("dialed")

        forwarding_chain = cast(list[str], d.pop("forwarding_chain"))

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        ended_at = datetime.datetime.fromisoformat(d.pop("ended_at"))

        duration_s = d.pop("duration_s")

        final_code = d.pop("final_code")

        disposition = Disposition(d.pop("disposition"))

        hangup_side = HangupSide(d.pop("hangup_side"))

        final_callee = d.pop("final_callee", UNSET)

        ring_group = d.pop("ring_group", UNSET)

        trunk = d.pop("trunk", UNSET)

        _answered_at = d.pop("answered_at", UNSET)
        answered_at: datetime.datetime | Unset
        if isinstance(_answered_at, Unset):
            answered_at = UNSET
        else:
            answered_at = datetime.datetime.fromisoformat(_answered_at)

        _hangup_reason = d.pop("hangup_reason", UNSET)
        hangup_reason: HangupReason | Unset
        if isinstance(_hangup_reason, Unset):
            hangup_reason = UNSET
        else:
            hangup_reason = HangupReason(_hangup_reason)

        transfer_group = d.pop("transfer_group", UNSET)

        cdr = cls(
            id=id,
            caller=caller,
            dialed=dialed,
            forwarding_chain=forwarding_chain,
            started_at=started_at,
            ended_at=ended_at,
            duration_s=duration_s,
            final_code=final_code,
            disposition=disposition,
            hangup_side=hangup_side,
            final_callee=final_callee,
            ring_group=ring_group,
            trunk=trunk,
            answered_at=answered_at,
            hangup_reason=hangup_reason,
            transfer_group=transfer_group,
        )

        cdr.additional_properties = d
        return cdr

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
