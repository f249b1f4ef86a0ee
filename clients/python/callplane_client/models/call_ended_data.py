from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.hangup_reason import HangupReason
from ..models.hangup_side import HangupSide
from ..types import UNSET, Unset

T = TypeVar("T", bound="CallEndedData")


@_attrs_define
class CallEndedData:
    """
    Attributes:
        call_id (str):
        caller (str): The calling number (extension, or the caller id a trunk delivered).
        dialed (str): The number dialled.
        code (int): The SIP code the caller got (200 when answered).
        cause (str):
        duration_s (float): Seconds from answer to hang-up (0 when unanswered).
        hangup_side (HangupSide): Which side ended a call.
        hangup_reason (HangupReason): Why a call ended.
        click_to_call (bool | Unset): Present and true for calls placed with `POST /api/v1/calls`.
        final_callee (str | Unset):
    """

    call_id: str
    caller: str
    dialed: str
    code: int
    cause: str
    duration_s: float
    hangup_side: HangupSide
    hangup_reason: HangupReason
    click_to_call: bool | Unset = UNSET
    final_callee: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        call_id = self.call_id

        caller = self.caller

        dialed = self.dialed

        code = self.code

        cause = self.cause

        duration_s = self.duration_s

        hangup_side = self.hangup_side.value

        hangup_reason = self.hangup_reason.value

        click_to_call = self.click_to_call

        final_callee = self.final_callee

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "call_id": call_id,
                "caller": caller,
                "dialed": dialed,
                "code": code,
                "cause": cause,
                "duration_s": duration_s,
                "hangup_side": hangup_side,
                "hangup_reason": hangup_reason,
            }
        )
        if click_to_call is not UNSET:
            field_dict["click_to_call"] = click_to_call
        if final_callee is not UNSET:
            field_dict["final_callee"] = final_callee

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        call_id = d.pop("call_id")

        caller = d.pop("caller")

        dialed = d.pop("dialed")

        code = d.pop("code")

        cause = d.pop("cause")

        duration_s = d.pop("duration_s")

        hangup_side = HangupSide(d.pop("hangup_side"))

        hangup_reason = HangupReason(d.pop("hangup_reason"))

        click_to_call = d.pop("click_to_call", UNSET)

        final_callee = d.pop("final_callee", UNSET)

        call_ended_data = cls(
            call_id=call_id,
            caller=caller,
            dialed=dialed,
            code=code,
            cause=cause,
            duration_s=duration_s,
            hangup_side=hangup_side,
            hangup_reason=hangup_reason,
            click_to_call=click_to_call,
            final_callee=final_callee,
        )

        call_ended_data.additional_properties = d
        return call_ended_data

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
